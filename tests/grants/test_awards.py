"""Deciding applications: a grant is awarded within the call's budget, its rules and the
amount asked for, once the evaluations the call needs are in; once, however often the button
is pressed, and never past the budget even when two coordinators award at the same moment.
A rejection carries its reason to the applicant. Only the application's site's coordinators
decide."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from coaching.grants.agreement import euros
from coaching.grants.models import Award, GrantApplication, GrantLogEntry
from coaching.grants.services.awards import (
    application_reject,
    award_grant,
    budget_left,
    committed,
)
from coaching.grants.services.evaluation import assignment_create, assignment_declare
from coaching.models import Notification
from tests.coaching.factories import sign_in
from tests.concurrency import at_once
from tests.grants.factories import (
    make_application,
    make_award,
    make_call,
    make_rules,
    make_staff,
)
from tests.grants.pages import page_text
from tests.grants.test_evaluation import evaluate

pytestmark = pytest.mark.django_db


def _it(msgid: str, **values) -> str:
    """``msgid`` as the site says it in its language, Italian (the services speak it and the
    admin pages are under ``/it/``), amounts (``Decimal``) written as Italian euros."""
    with translation.override("it"):
        return gettext(msgid) % {
            name: euros(value) if isinstance(value, Decimal) else value
            for name, value in values.items()
        }


def evaluated(call, coordinator, n=2):
    """A submitted application to ``call`` with ``n`` submitted evaluations."""
    application = make_application(call=call, submitted=True)
    for _ in range(n):
        evaluate(
            application, make_staff("Evaluator", site=application.site), (8, 5), by=coordinator
        )
    return application


@pytest.fixture
def call(site):
    return make_call(site=site, budget="12000")


def test_an_award_offers_the_grant_logs_it_and_tells_the_applicant(
    call, coordinator, django_capture_on_commit_callbacks
):
    application = evaluated(call, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        award, created = award_grant(
            application=application, amount=Decimal("4500"), by=coordinator
        )
    assert created and award.status == Award.Status.OFFERED and award.amount == Decimal("4500")
    application.refresh_from_db()
    assert application.status == GrantApplication.Status.AWARDED
    assert application.decided_by == coordinator and application.decided_at is not None
    assert budget_left(call) == Decimal("7500.00")
    entry = GrantLogEntry.objects.get(action="grants.award_grant")
    assert entry.data["amount"] == "4500" and entry.user_id == coordinator.pk
    (message,) = mail.outbox
    assert message.to == [application.participant.user.email]
    assert "4.500,00 €" in message.body
    assert reverse("grants:award", args=[award.pk]) in message.body
    assert Notification.objects.filter(user=application.participant.user).exists()


def test_the_same_award_twice_is_one_award(call, coordinator):
    application = evaluated(call, coordinator)
    first, created = award_grant(application=application, amount=Decimal("4500"), by=coordinator)
    again, created_again = award_grant(
        application=application, amount=Decimal("4500"), by=coordinator
    )
    assert created and not created_again and first == again
    assert Award.objects.count() == 1
    assert GrantLogEntry.objects.filter(action="grants.award_grant").count() == 1


def test_an_award_past_the_budget_is_refused_saying_how_much_is_left(site, coordinator):
    call = make_call(site=site, budget="6000")
    first, second = evaluated(call, coordinator), evaluated(call, coordinator)
    award_grant(application=first, amount=Decimal("5000"), by=coordinator)
    with pytest.raises(ValidationError) as refused:
        award_grant(application=second, amount=Decimal("1500"), by=coordinator)
    assert "1.000,00 €" in " ".join(refused.value.messages)
    assert (
        _it(
            "Not enough budget left: the call has %(left)s left of %(budget)s, "
            "and this grant is %(amount)s.",
            left=Decimal("1000"),
            budget=Decimal("6000"),
            amount=Decimal("1500"),
        )
        in refused.value.messages
    )
    assert not Award.objects.filter(application=second).exists()
    second.refresh_from_db()
    assert second.status == GrantApplication.Status.SUBMITTED


def test_a_declined_award_gives_its_budget_back(site, coordinator):
    call = make_call(site=site, budget="6000")
    first, second = evaluated(call, coordinator), evaluated(call, coordinator)
    award = make_award(application=first, amount="5000", accepted=False)
    assert committed(call) == Decimal("5000")
    Award.objects.filter(pk=award.pk).update(status=Award.Status.DECLINED)
    assert committed(call) == 0
    award_grant(application=second, amount=Decimal("5000"), by=coordinator)


@pytest.mark.parametrize(
    ("amount", "words", "values"),
    [
        (  # asked for 5000
            "5000.01",
            "The applicant asked for %(asked)s: the grant cannot be larger.",
            {"asked": Decimal("5000")},
        ),
        (  # the rules' smallest is 1000
            "500",
            "The call's smallest grant is %(min)s.",
            {"min": Decimal("1000")},
        ),
        ("0", "Give an amount above zero.", {}),
    ],
    ids=["asked for", "smallest grant", "above zero"],
)
def test_amounts_outside_the_rules_or_above_the_request_are_refused(
    call, coordinator, amount, words, values
):
    application = evaluated(call, coordinator)
    with pytest.raises(ValidationError) as refused:
        award_grant(application=application, amount=Decimal(amount), by=coordinator)
    assert _it(words, **values) in refused.value.messages
    assert not Award.objects.exists()


def test_the_largest_grant_of_the_rules_holds(site, coordinator):
    call = make_call(site=site, rules=make_rules(site=site, max_grant="4000"))
    application = make_application(call=call, submitted=True)  # asks for 5000
    for _ in range(2):
        evaluate(application, make_staff("Evaluator", site=site), (8, 5), by=coordinator)
    application.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        award_grant(application=application, amount=Decimal("4500"), by=coordinator)
    assert (
        _it("The call's largest grant is %(max)s.", max=Decimal("4000")) in refused.value.messages
    )


def test_no_award_before_the_evaluations_the_call_needs(call, coordinator, site):
    application = evaluated(call, coordinator, n=1)
    # A conflict declared does not count either.
    conflicted = make_staff("Evaluator", site=site)
    assignment, _ = assignment_create(application=application, evaluator=conflicted, by=coordinator)
    assignment_declare(assignment=assignment, conflict=True, note="Parente", by=conflicted)
    with pytest.raises(ValidationError) as refused:
        award_grant(application=application, amount=Decimal("4000"), by=coordinator)
    assert (
        _it(
            "The call needs %(needed)d evaluations before a decision; %(done)d are submitted.",
            needed=call.evaluators_per_application,
            done=1,
        )
        in refused.value.messages
    )


def test_only_a_coordinator_of_the_site_decides(call, coordinator, other_site):
    application = evaluated(call, coordinator)
    for person in (make_staff("Coordinator", site=other_site), make_staff("Evaluator")):
        with pytest.raises(PermissionDenied):
            award_grant(application=application, amount=Decimal("4000"), by=person)
        with pytest.raises(PermissionDenied):
            application_reject(application=application, reason="No", by=person)
    assert not Award.objects.exists()


def test_a_rejection_needs_its_reason_is_logged_and_tells_the_applicant_why(
    call, coordinator, django_capture_on_commit_callbacks
):
    application = make_application(call=call, submitted=True)
    with pytest.raises(ValidationError):
        application_reject(application=application, reason="  ", by=coordinator)
    reason = "Il piano non mostra clienti per il secondo anno."
    with django_capture_on_commit_callbacks(execute=True):
        rejected, done = application_reject(application=application, reason=reason, by=coordinator)
        _again, done_again = application_reject(
            application=application, reason="Altro", by=coordinator
        )
    assert done and not done_again
    assert rejected.status == GrantApplication.Status.REJECTED
    assert rejected.rejection_reason == reason and rejected.decided_by == coordinator
    assert GrantLogEntry.objects.filter(action="grants.application_reject").count() == 1
    (message,) = mail.outbox
    assert reason in message.body and message.to == [application.participant.user.email]
    with pytest.raises(ValidationError):  # decided: no award after a rejection
        award_grant(application=rejected, amount=Decimal("4000"), by=coordinator)


# --- The admin page ---------------------------------------------------------------------------


def test_the_coordinator_awards_on_the_application_page_once(client, call, coordinator):
    application = evaluated(call, coordinator)
    sign_in(client, coordinator)
    url = reverse("grants_evaluation:application", args=[application.pk])
    page = page_text(client.get(url))
    assert "12.000,00 €" in page  # the budget left

    refused = client.post(url, {"action": "award", "award-amount": "6000"})
    assert refused.status_code == 400
    assert _it(
        "The applicant asked for %(asked)s: the grant cannot be larger.",
        asked=application.requested_amount,
    ) in page_text(refused)
    assert 'value="6000"' in page_text(refused)  # kept as typed
    bad = client.post(url, {"action": "award", "award-amount": "tanti"})
    assert bad.status_code == 400
    assert _it("Give an amount in euros, like 4500 or 4500.50.") in page_text(bad)

    assert client.post(url, {"action": "award", "award-amount": "4500"}).status_code == 302
    assert client.post(url, {"action": "award", "award-amount": "4500"}).status_code in (302, 400)
    assert Award.objects.filter(application=application).count() == 1
    ranking = page_text(client.get(reverse("grants_evaluation:ranking", args=[call.pk])))
    assert "7.500,00 €" in ranking


def test_the_coordinator_rejects_on_the_application_page(client, call, coordinator):
    application = make_application(call=call, submitted=True)
    sign_in(client, coordinator)
    url = reverse("grants_evaluation:application", args=[application.pk])
    refused = client.post(url, {"action": "reject", "reject-reason": ""})
    assert refused.status_code == 400
    assert _it("Say why the application is not funded.") in page_text(refused)
    assert client.post(url, {"action": "reject", "reject-reason": "Fuori tema"}).status_code == 302
    application.refresh_from_db()
    assert application.status == GrantApplication.Status.REJECTED


def test_another_sites_coordinator_cannot_award_on_the_page(client, call, coordinator, other_site):
    application = evaluated(call, coordinator)
    sign_in(client, make_staff("Coordinator", site=other_site))
    url = reverse("grants_evaluation:application", args=[application.pk])
    response = client.post(url, {"action": "award", "award-amount": "4500"}, follow=True)
    assert response.status_code == 404
    assert not Award.objects.exists()


# --- Two coordinators at the same moment ------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_coordinators_awarding_at_once_cannot_overspend(site, coordinator):
    assert connection.vendor == "postgresql"
    second_coordinator = make_staff("Coordinator", site=site)
    call = make_call(site=site, budget="6000")
    applications = [evaluated(call, coordinator) for _ in range(2)]

    def award(application, by):
        return lambda: award_grant(application=application, amount=Decimal("5000"), by=by)

    results = at_once(
        award(applications[0], coordinator), award(applications[1], second_coordinator)
    )
    won = [r for r in results if isinstance(r, tuple)]
    lost = [r for r in results if isinstance(r, ValidationError)]
    assert len(won) == 1 and len(lost) == 1, results
    assert "1.000,00 €" in " ".join(lost[0].messages)
    assert Award.objects.count() == 1
    assert committed(call) == Decimal("5000")
