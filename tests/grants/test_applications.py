"""The applicant's application: started from the call's page with a ready plan (inside the
window only), the draft saved with what was typed kept and a stale page caught, submitted once
with a receipt, read-only after, withdrawn before a decision, and listed for its applicant
only. Nobody else (another participant, another site's participant or staff, an editor, a
coordinator while it is a draft) opens or changes it; anonymous people are sent to sign in."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext
from wagtail.log_actions import registry as log_registry

from coaching.grants.models import ApplicationDocument, GrantApplication
from coaching.grants.services.applications import (
    StaleApplication,
    application_save,
    application_submit,
    rules_problems,
    submit_problems,
    window_problem,
)
from tests.coaching.factories import make_participant, sign_in
from tests.concurrency import at_once
from tests.grants.factories import make_application, make_call, make_ready_plan, make_staff

pytestmark = pytest.mark.django_db

OTHER_HOST = "altro.example.org"


def _it(text_or_function, *args, **kwargs):
    """A text as the Italian page shows it (escaped), whatever the translations say."""
    with translation.override("it"):
        if callable(text_or_function):
            value = text_or_function(*args, **kwargs)
        else:
            value = gettext(text_or_function)
    if isinstance(value, list):
        return [escape(item) for item in value]
    return escape(value)


def _client(user, **defaults) -> Client:
    client = Client(**defaults)
    sign_in(client, user)
    return client


def _url(application, tail=""):
    return f"/it/grants/applications/{application.pk}/{tail}"


def _actions(application) -> list[str]:
    return list(
        log_registry.get_logs_for_instance(application)
        .order_by("timestamp", "pk")
        .values_list("action", flat=True)
    )


def _form(application, **overrides) -> dict:
    data = {
        "requested_amount": "5000,00",
        "project_summary": "Un forno di quartiere con pane a lievitazione naturale.",
        "de_minimis_received": "",
        "revision": str(application.revision),
        "action": "save",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def call(site):
    return make_call(site=site)


@pytest.fixture
def applicant(site):
    participant = make_participant(site=site, status="eligible")
    participant.user.preferred_language = "en"
    participant.user.save(update_fields=["preferred_language"])
    return participant


@pytest.fixture
def draft(call, applicant):
    return make_application(call=call, participant=applicant)


# --- Starting ----------------------------------------------------------------------------------


def test_apply_from_the_call_page_makes_one_draft_from_the_ready_plan(call, applicant):
    plan = make_ready_plan(participant=applicant)
    client = _client(applicant.user)
    page = client.get(call.url).content.decode()
    assert f'action="/it/grants/calls/{call.pk}/apply/"' in page

    response = client.post(f"/it/grants/calls/{call.pk}/apply/", {"plan": plan.pk})
    application = GrantApplication.objects.get(participant=applicant)
    assert response["Location"] == _url(application)
    assert application.plan_version.frozen
    assert application.requested_amount == Decimal("5000.00")
    assert application.budget_lines.count() == 4

    again = client.post(f"/it/grants/calls/{call.pk}/apply/", {"plan": plan.pk})
    assert again["Location"] == _url(application)
    assert GrantApplication.objects.filter(participant=applicant).count() == 1


@pytest.mark.parametrize(
    ("opens", "closes", "words"),
    [(2, 30, "Applications open on %(when)s."), (-30, -2, "Applications closed on %(when)s.")],
)
def test_outside_the_window_the_start_is_refused_saying_when(site, applicant, opens, closes, words):
    now = timezone.now()
    call = make_call(
        site=site,
        opens_at=now + datetime.timedelta(days=opens),
        closes_at=now + datetime.timedelta(days=closes),
    )
    plan = make_ready_plan(participant=applicant)
    client = _client(applicant.user)
    response = client.post(f"/it/grants/calls/{call.pk}/apply/", {"plan": plan.pk}, follow=True)
    assert not GrantApplication.objects.exists()
    message = _it(window_problem, call)
    with translation.override("it"):
        before, after = gettext(words).split("%(when)s")
    assert message.startswith(escape(before)) and message.endswith(escape(after))
    assert message in response.content.decode()


def test_a_plan_not_ready_or_not_ones_own_is_not_attached(call, applicant, site):
    stranger_plan = make_ready_plan(site=site)
    client = _client(applicant.user)
    response = client.post(
        f"/it/grants/calls/{call.pk}/apply/", {"plan": stranger_plan.pk}, follow=True
    )
    assert not GrantApplication.objects.exists()
    assert _it("Choose one of your plans that your mentor marked ready.") in (
        response.content.decode()
    )


# --- The draft ---------------------------------------------------------------------------------


def test_saving_the_draft_keeps_italian_amounts_and_logs_it(draft, applicant):
    client = _client(applicant.user)
    response = client.post(
        _url(draft),
        _form(draft, requested_amount="4500,50", de_minimis_received="0", de_minimis_declared="on"),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.requested_amount == Decimal("4500.50")
    assert draft.de_minimis_received == Decimal("0")
    assert draft.de_minimis_declared
    assert draft.revision == 1
    assert _actions(draft) == ["grants.application_start", "grants.application_save"]


def test_a_bad_amount_is_refused_in_words_and_what_was_typed_stays(draft, applicant):
    client = _client(applicant.user)
    response = client.post(
        _url(draft), _form(draft, requested_amount="4.500", project_summary="Testo nuovo")
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="4.500"' in page
    assert "Testo nuovo" in page
    assert 'aria-invalid="true"' in page
    draft.refresh_from_db()
    assert draft.requested_amount == Decimal("5000.00")
    assert draft.revision == 0


def test_declaring_de_minimis_needs_the_amount_and_zero_is_an_amount(draft, applicant):
    client = _client(applicant.user)
    response = client.post(_url(draft), _form(draft, de_minimis_declared="on"))
    assert response.status_code == 400
    assert _it("Write the amount you declare: 0 if you received no de minimis aid.") in (
        response.content.decode()
    )
    response = client.post(
        _url(draft), _form(draft, de_minimis_declared="on", de_minimis_received="0")
    )
    assert response.status_code == 302


def test_a_page_opened_before_another_save_warns_and_does_not_overwrite(draft, applicant):
    client = _client(applicant.user)
    old_form = _form(draft, project_summary="Dal telefono")
    application_save(
        application=draft,
        by=applicant.user,
        data={"project_summary": "Dal computer"},
        revision=0,
    )
    response = client.post(_url(draft), old_form)
    page = response.content.decode()
    assert response.status_code == 409
    assert "Dal telefono" in page  # what was typed
    assert "Dal computer" in page  # what is saved now
    draft.refresh_from_db()
    assert draft.project_summary == "Dal computer"
    # Sent again from the page shown now, it is saved: the person has seen the other save.
    assert 'name="revision" value="1"' in page
    again = client.post(_url(draft), _form(draft, project_summary="Dal telefono"))
    assert again.status_code == 302
    draft.refresh_from_db()
    assert draft.project_summary == "Dal telefono"


def test_the_same_save_sent_twice_is_saved_once(draft, applicant):
    client = _client(applicant.user)
    form = _form(draft, project_summary="Una volta sola")
    assert client.post(_url(draft), form).status_code == 302
    second = client.post(_url(draft), form, follow=True)
    assert _it("Nothing changed: the draft was already saved like this.") in second.content.decode()
    draft.refresh_from_db()
    assert draft.revision == 1
    assert _actions(draft).count("grants.application_save") == 1


def test_the_page_shows_the_frozen_budget_its_rule_breaches_and_the_plan_version(call, applicant):
    plan = make_ready_plan(
        participant=applicant,
        costs=(("equipment", "Forno", "3000.00"), ("vehicles", "Furgone", "4000.00")),
    )
    application = make_application(call=call, participant=applicant, plan=plan)
    page = _client(applicant.user).get(_url(application)).content.decode()
    assert "Furgone" in page
    breaches = _it(
        rules_problems,
        call,
        lines=application.budget_lines.all(),
        requested=application.requested_amount,
    )
    assert breaches
    assert all(breach in page for breach in breaches)
    assert f"/it/plans/{plan.pk}/versions/{application.plan_version.number}/" in page


# --- Submitting --------------------------------------------------------------------------------


def _complete(application):
    GrantApplication.objects.filter(pk=application.pk).update(
        declares_truthful=True, de_minimis_declared=True, de_minimis_received=Decimal("0")
    )
    ApplicationDocument.objects.create(
        application=application,
        requirement=application.call.required_documents.first(),
        file="grants/documents/x.pdf",
        original_name="id.pdf",
        content_type="application/pdf",
        size=10,
    )
    application.refresh_from_db()


def test_submit_lists_what_is_missing_and_submits_nothing(draft, applicant):
    client = _client(applicant.user)
    response = client.post(_url(draft), _form(draft, action="submit"), follow=True)
    page = response.content.decode()
    problems = _it(submit_problems, draft)
    assert len(problems) == 3  # the truth, de minimis, the identity document
    assert all(problem in page for problem in problems)
    draft.refresh_from_db()
    assert draft.status == GrantApplication.Status.DRAFT


def test_submit_sends_a_receipt_in_the_applicants_language_and_locks_it(
    draft, applicant, django_capture_on_commit_callbacks
):
    _complete(draft)
    client = _client(applicant.user)
    data = _form(
        draft,
        action="submit",
        declares_truthful="on",
        de_minimis_declared="on",
        de_minimis_received="0",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(draft), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == GrantApplication.Status.SUBMITTED
    assert len(mail.outbox) == 1
    receipt = mail.outbox[0]
    assert receipt.to == [applicant.user.email]
    assert draft.reference in receipt.subject
    assert "We received your application" in receipt.body
    assert f"/en/grants/applications/{draft.pk}/" in receipt.body

    # A double click: nothing more happens, and the page is read-only now.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(_url(draft), {**data, "project_summary": "Cambiato dopo"})
    assert again.status_code == 302
    draft.refresh_from_db()
    assert draft.project_summary != "Cambiato dopo"
    assert len(mail.outbox) == 1
    assert _actions(draft).count("grants.application_submit") == 1
    page = client.get(_url(draft)).content.decode()
    assert 'name="requested_amount"' not in page
    assert "upload/" not in page


# --- Withdrawing -------------------------------------------------------------------------------


def test_withdraw_asks_first_then_withdraws_once_and_logs_it(call, applicant):
    application = make_application(call=call, participant=applicant, submitted=True)
    client = _client(applicant.user)
    confirm = client.get(_url(application, "withdraw/"))
    assert confirm.status_code == 200
    application.refresh_from_db()
    assert application.status == GrantApplication.Status.SUBMITTED
    assert client.post(_url(application, "withdraw/")).status_code == 302
    assert client.post(_url(application, "withdraw/")).status_code == 302
    application.refresh_from_db()
    assert application.status == GrantApplication.Status.WITHDRAWN
    assert application.withdrawn_at is not None
    assert _actions(application).count("grants.application_withdraw") == 1


def test_after_a_decision_it_cannot_be_withdrawn(call, applicant):
    application = make_application(call=call, participant=applicant, submitted=True)
    GrantApplication.objects.filter(pk=application.pk).update(
        status=GrantApplication.Status.REJECTED
    )
    response = _client(applicant.user).post(_url(application, "withdraw/"))
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.status == GrantApplication.Status.REJECTED


# --- The list and who may see what -------------------------------------------------------------


def test_my_applications_lists_only_ones_own(call, applicant, site):
    own = make_application(call=call, participant=applicant)
    other = make_application(call=call)
    page = _client(applicant.user).get("/it/grants/applications/").content.decode()
    assert own.reference in page
    assert other.reference not in page


@pytest.fixture
def outsiders(site, other_site):
    elsewhere = make_participant(site=other_site, status="eligible")
    return {
        "another participant": (make_participant(site=site, status="eligible").user, {}),
        "a participant of another site": (elsewhere.user, {"HTTP_HOST": OTHER_HOST}),
        "another site's coordinator": (make_staff("Coordinator", site=other_site), {}),
        "an editor": (make_staff("Editor", site=site), {}),
        "this site's coordinator (a draft)": (make_staff("Coordinator", site=site), {}),
    }


@pytest.mark.parametrize(
    "who",
    [
        "another participant",
        "a participant of another site",
        "another site's coordinator",
        "an editor",
        "this site's coordinator (a draft)",
    ],
)
def test_nobody_else_opens_or_changes_the_application(draft, outsiders, who):
    user, host = outsiders[who]
    client = _client(user)
    assert client.get(_url(draft), **host).status_code == 404
    assert client.post(_url(draft), _form(draft, project_summary="X"), **host).status_code == 404
    assert client.post(_url(draft, "withdraw/"), **host).status_code == 404
    assert draft.reference not in client.get("/it/grants/applications/", **host).content.decode()
    draft.refresh_from_db()
    assert draft.project_summary == ""
    assert draft.status == GrantApplication.Status.DRAFT


def test_the_applicant_on_another_sites_address_finds_nothing(draft, applicant, other_site):
    client = _client(applicant.user)
    assert client.get(_url(draft), HTTP_HOST=OTHER_HOST).status_code == 404


def test_anonymous_people_are_sent_to_sign_in(draft, call):
    client = Client()
    for url in (_url(draft), _url(draft, "withdraw/"), "/it/grants/applications/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/account/login/" in response["Location"]
    response = client.post(f"/it/grants/calls/{call.pk}/apply/", {})
    assert "/account/login/" in response["Location"]


# --- At the same instant -----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_saves_from_pages_opened_at_the_same_revision_one_wins(site):
    assert connection.vendor == "postgresql"
    application = make_application(call=make_call(site=site))
    user = application.participant.user

    def save(text):
        return lambda: application_save(
            application=application, by=user, data={"project_summary": text}, revision=0
        )

    results = at_once(save("Dal telefono"), save("Dal computer"))
    won = [result for result in results if isinstance(result, tuple)]
    stale = [result for result in results if isinstance(result, StaleApplication)]
    assert len(won) == 1 and len(stale) == 1, results
    application.refresh_from_db()
    assert application.revision == 1
    assert application.project_summary == won[0][0].project_summary


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_submit_sent_twice_at_once_submits_once(site):
    application = make_application(call=make_call(site=site))
    _complete(application)
    user = application.participant.user
    results = at_once(*[lambda: application_submit(application=application, by=user)] * 2)
    assert sorted(done for _application, done in results) == [False, True], results
    assert _actions(application).count("grants.application_submit") == 1
    receipts = [message for message in mail.outbox if application.reference in message.subject]
    assert len(receipts) == 1
