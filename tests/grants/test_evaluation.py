"""Evaluation of grant applications: coordinators assign evaluators of the application's site
(never the applicant), evaluators declare no conflict of interest before they read anything
of the applicant, score every criterion with a reason and submit once; the ranking shows the
weighted scores, the evaluations done and the disagreements, on the coordinator's sites only.
"""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import formats, timezone, translation

from coaching.grants.models import Assignment, GrantApplication, GrantCriterion, GrantLogEntry
from coaching.grants.selectors import applications_for_coordinator
from coaching.grants.services.evaluation import (
    assignable_evaluators,
    assignment_create,
    assignment_declare,
    assignments_missing,
    call_ranking,
    evaluation_save,
    weighted_score,
)
from coaching.models import AccessLog
from tests.coaching.factories import assign, sign_in
from tests.grants.factories import make_application, make_call, make_staff
from tests.grants.pages import italian, page_text

pytestmark = pytest.mark.django_db


def _it_when(moment, format_name="SHORT_DATETIME_FORMAT") -> str:
    """``moment`` as the Italian page writes it (``|date:format_name``)."""
    with translation.override("it"):
        return formats.date_format(timezone.localtime(moment), format_name)


def _refused(client, url) -> bool:
    """Refused in the admin: a 403, Wagtail's redirect to the admin home for a missing
    permission, or a 404 (sent on to ``/it/admin/…`` by the locale middleware first)."""
    response = client.get(url)
    if response.status_code == 302 and response["Location"] == "/admin/":
        return True
    return client.get(url, follow=True).status_code in (403, 404)


def _criteria(call):
    return list(GrantCriterion.objects.filter(page=call).order_by("sort_order"))


def evaluate(application, evaluator, scores, *, by=None, comment="Solido."):
    """Assign ``evaluator``, declare no conflict and submit ``scores`` (in the call's
    criteria order), through the services."""
    coordinator = by or make_staff("Coordinator", site=application.site)
    assignment, _created = assignment_create(
        application=application, evaluator=evaluator, by=coordinator
    )
    assignment_declare(assignment=assignment, conflict=False, by=evaluator)
    criteria = _criteria(application.call)
    evaluation_save(
        assignment=assignment,
        scores={
            c.pk: (value, f"Perché {value}") for c, value in zip(criteria, scores, strict=True)
        },
        comment=comment,
        submit=True,
        by=evaluator,
    )
    assignment.refresh_from_db()
    return assignment


@pytest.fixture
def call(site):
    return make_call(site=site)


@pytest.fixture
def application(call):
    return make_application(call=call, submitted=True)


@pytest.fixture
def evaluator(site):
    return make_staff("Evaluator", site=site)


@pytest.fixture
def ours(coordinator):
    return coordinator


# --- Assigning --------------------------------------------------------------------------------


def test_only_evaluators_of_the_site_who_are_not_the_applicant_can_be_assigned(
    application, evaluator, coordinator, other_site
):
    theirs = make_staff("Evaluator", site=other_site)
    editor = make_staff("Editor")
    applicant = application.participant.user
    # The applicant is an evaluator of the site too: still never their own.
    applicant.groups.add(Group.objects.get(name="Evaluator"))
    assign(applicant, application.site)

    assert list(assignable_evaluators(application)) == [evaluator]
    for person in (theirs, editor, applicant):
        with pytest.raises(ValidationError):
            assignment_create(application=application, evaluator=person, by=coordinator)
    assert not Assignment.objects.exists()

    first, created = assignment_create(application=application, evaluator=evaluator, by=coordinator)
    again, created_again = assignment_create(
        application=application, evaluator=evaluator, by=coordinator
    )
    assert created and not created_again and first == again
    assert Assignment.objects.count() == 1
    assert GrantLogEntry.objects.filter(action="grants.assignment_create").count() == 1
    assert list(assignable_evaluators(application)) == []


def test_another_sites_coordinator_cannot_assign(application, evaluator, other_site):
    theirs = make_staff("Coordinator", site=other_site)
    with pytest.raises(PermissionDenied):
        assignment_create(application=application, evaluator=evaluator, by=theirs)


def test_a_draft_gets_no_evaluators(call, evaluator, coordinator):
    draft = make_application(call=call)
    with pytest.raises(ValidationError):
        assignment_create(application=draft, evaluator=evaluator, by=coordinator)


def test_a_declared_conflict_does_not_count_and_someone_else_can_be_assigned(
    application, evaluator, coordinator, site
):
    second = make_staff("Evaluator", site=site)
    third = make_staff("Evaluator", site=site)
    assert assignments_missing(application) == 2
    for person in (evaluator, second):
        assignment_create(application=application, evaluator=person, by=coordinator)
    assert assignments_missing(application) == 0

    conflicted = Assignment.objects.get(evaluator=second)
    with pytest.raises(ValidationError):  # a conflict needs a word about it
        assignment_declare(assignment=conflicted, conflict=True, note=" ", by=second)
    assignment_declare(assignment=conflicted, conflict=True, note="È mio cugino.", by=second)
    assert assignments_missing(application) == 1
    assert list(assignable_evaluators(application)) == [third]
    assignment_create(application=application, evaluator=third, by=coordinator)
    assert assignments_missing(application) == 0


# --- Scoring ----------------------------------------------------------------------------------


def test_the_weighted_score_is_out_of_100_on_each_criterions_range(site):
    call = make_call(site=site, criteria=(("Fattibilità", "60", 0, 10), ("Impatto", "40", 1, 5)))
    criteria = _criteria(call)
    feasible, impact = criteria
    # 60 × 8/10 + 40 × (3 − 1)/(5 − 1) = 48 + 20
    assert weighted_score(criteria, {feasible.pk: 8, impact.pk: 3}) == Decimal("68.00")
    assert weighted_score(criteria, {feasible.pk: 10, impact.pk: 5}) == Decimal("100.00")
    assert weighted_score(criteria, {feasible.pk: 0, impact.pk: 1}) == Decimal("0.00")
    assert weighted_score(criteria, {feasible.pk: 8}) is None


def test_an_evaluator_scores_within_range_with_reasons_and_submits_once(application, evaluator):
    coordinator = make_staff("Coordinator")
    assignment, _ = assignment_create(application=application, evaluator=evaluator, by=coordinator)
    with pytest.raises(PermissionDenied):  # nothing before the declaration
        evaluation_save(assignment=assignment, scores={}, comment="", submit=False, by=evaluator)
    assignment_declare(assignment=assignment, conflict=False, by=evaluator)
    feasible, impact = _criteria(application.call)

    with pytest.raises(ValidationError) as refused:
        evaluation_save(
            assignment=assignment,
            scores={feasible.pk: (11, "Troppo"), impact.pk: (5, "")},
            comment="",
            submit=True,
            by=evaluator,
        )
    errors = refused.value.message_dict
    assert set(errors) == {f"score_{feasible.pk}", f"comment_{impact.pk}", "comment"}

    # A draft may be partial.
    evaluation_save(
        assignment=assignment,
        scores={feasible.pk: (7, "Buono"), impact.pk: (None, "")},
        comment="",
        submit=False,
        by=evaluator,
    )
    assert assignment.scores.count() == 1
    full = {feasible.pk: (7, "Buono"), impact.pk: (6, "Medio")}
    _a, done = evaluation_save(
        assignment=assignment, scores=full, comment="Ok", submit=True, by=evaluator
    )
    _a, again = evaluation_save(
        assignment=assignment,
        scores={feasible.pk: (1, "Cambiato"), impact.pk: (1, "x")},
        comment="Cambiato",
        submit=True,
        by=evaluator,
    )
    assert done and not again
    assignment.refresh_from_db()
    assert assignment.submitted_at is not None and assignment.comment == "Ok"
    assert dict(assignment.scores.values_list("criterion_id", "score")) == {
        feasible.pk: 7,
        impact.pk: 6,
    }
    assert GrantLogEntry.objects.filter(action="grants.evaluation_submit").count() == 1


def test_someone_else_cannot_declare_or_score_an_assignment(application, evaluator, site):
    other = make_staff("Evaluator", site=site)
    assignment, _ = assignment_create(
        application=application, evaluator=evaluator, by=make_staff("Coordinator")
    )
    with pytest.raises(PermissionDenied):
        assignment_declare(assignment=assignment, conflict=False, by=other)
    assignment_declare(assignment=assignment, conflict=False, by=evaluator)
    with pytest.raises(PermissionDenied):
        evaluation_save(assignment=assignment, scores={}, comment="", submit=False, by=other)


# --- Ranking ----------------------------------------------------------------------------------


def test_the_ranking_averages_evaluations_flags_disagreement_and_knows_when_it_is_final(
    call, site, coordinator
):
    first = make_application(call=call, submitted=True)
    second = make_application(call=call, submitted=True)
    a, b = make_staff("Evaluator", site=site), make_staff("Evaluator", site=site)
    evaluate(first, a, (8, 5), by=coordinator)  # 48 + 20 = 68
    evaluate(first, b, (10, 8), by=coordinator)  # 60 + 32 = 92
    evaluate(second, a, (7, 7), by=coordinator)  # 42 + 28 = 70

    ranking = call_ranking(call, applications_for_coordinator(coordinator))
    top, low = ranking.rows
    assert top.application == first and top.score == Decimal("80.00") and top.rank == 1
    assert top.disagreement and top.spread == Decimal("24.00") and top.done == 2
    assert low.application == second and low.score == Decimal("70.00") and not low.disagreement
    assert low.done == 1 and not low.complete and not ranking.final

    evaluate(second, b, (7, 8), by=coordinator)  # 42 + 32 = 74: 4 points from 70
    ranking = call_ranking(call, applications_for_coordinator(coordinator))
    assert ranking.final
    assert ranking.rows[1].score == Decimal("72.00") and ranking.rows[1].disagreement


def test_agreeing_evaluators_are_not_flagged(call, site, coordinator):
    application = make_application(call=call, submitted=True)
    evaluate(application, make_staff("Evaluator", site=site), (8, 5), by=coordinator)  # 68
    evaluate(
        application, make_staff("Evaluator", site=site), (9, 4), by=coordinator
    )  # 54 + 16 = 70
    (row,) = call_ranking(call, applications_for_coordinator(coordinator)).rows
    assert row.spread == Decimal("2.00") and not row.disagreement  # not more than 2


# --- Admin: the coordinator -------------------------------------------------------------------


def test_the_coordinator_sees_the_ranking_and_assigns_on_the_application_page(
    client, call, application, evaluator, coordinator
):
    sign_in(client, coordinator)
    calls = client.get(reverse("grants_evaluation:calls"))
    assert calls.status_code == 200 and call.title in page_text(calls)
    ranking = client.get(reverse("grants_evaluation:ranking", args=[call.pk]))
    text = page_text(ranking)
    assert application.reference in text and "20.000,00 €" in text  # budget left

    url = reverse("grants_evaluation:application", args=[application.pk])
    page = client.get(url)
    assert page.status_code == 200 and evaluator.get_full_name() in page_text(page)
    data = {"action": "assign", "assign-evaluator": evaluator.pk}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 400  # no longer a choice: still one
    assert Assignment.objects.filter(application=application).count() == 1

    refused = client.post(url, {"action": "assign", "assign-evaluator": "999999"})
    assert refused.status_code == 400
    assert italian("Choose one of the evaluators in the list.") in page_text(refused)


def test_another_sites_coordinator_gets_404(client, call, application, other_site):
    theirs = make_staff("Coordinator", site=other_site)
    sign_in(client, theirs)
    for url in (
        reverse("grants_evaluation:ranking", args=[call.pk]),
        reverse("grants_evaluation:application", args=[application.pk]),
    ):
        assert client.get(url, follow=True).status_code == 404
    assert call.title not in page_text(client.get(reverse("grants_evaluation:calls")))


@pytest.mark.parametrize("role", ["Editor", "Finance officer", "Evaluator"])
def test_editors_finance_officers_and_evaluators_see_no_application(
    client, call, application, role
):
    sign_in(client, make_staff(role))
    for url in (
        reverse("grants_evaluation:calls"),
        reverse("grants_evaluation:ranking", args=[call.pk]),
        reverse("grants_evaluation:application", args=[application.pk]),
    ):
        assert _refused(client, url)
        assert application.reference not in page_text(client.get(url, follow=True))


def test_anonymous_people_are_sent_to_sign_in(client, application, evaluator):
    assignment, _ = assignment_create(
        application=application, evaluator=evaluator, by=make_staff("Coordinator")
    )
    for url in (
        reverse("grants_evaluation:calls"),
        reverse("grants_evaluation:application", args=[application.pk]),
        reverse("grants_evaluation:assignments"),
        reverse("grants_evaluation:assignment", args=[assignment.pk]),
        reverse("grants_evaluation:plan", args=[assignment.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


# --- Admin: the evaluator ---------------------------------------------------------------------


def test_an_evaluator_sees_nothing_of_the_applicant_before_declaring_no_conflict(
    client, application, evaluator
):
    GrantApplication.objects.filter(pk=application.pk).update(
        project_summary="Un forno di quartiere con pane a lievito madre."
    )
    assignment, _ = assignment_create(
        application=application, evaluator=evaluator, by=make_staff("Coordinator")
    )
    sign_in(client, evaluator)
    listing = page_text(client.get(reverse("grants_evaluation:assignments")))
    assert application.reference in listing

    url = reverse("grants_evaluation:assignment", args=[assignment.pk])
    before = page_text(client.get(url))
    assert application.call.title in before and application.reference in before
    participant = application.participant
    for secret in (
        participant.full_name,
        participant.user.last_name,
        "lievito madre",
        "Forno e banco",  # a budget line
        "5.000",  # the amount asked for
    ):
        assert secret not in before
    plan_url = reverse("grants_evaluation:plan", args=[assignment.pk])
    assert client.get(plan_url, follow=True).status_code == 404

    # Nothing personal was shown, so nothing is in the access log yet.
    assert not AccessLog.objects.filter(participant=participant).exists()

    refused = client.post(url, {"conflict": "conflict", "note": ""})
    assert refused.status_code == 400
    assert italian("Say what the conflict of interest is, in a few words.") in page_text(refused)
    assert client.post(url, {"conflict": "none"}).status_code == 302

    after = page_text(client.get(url))
    assert participant.full_name in after and "lievito madre" in after
    assert "Forno e banco" in after and "5.000,00 €" in after
    plan = client.get(plan_url)
    assert plan.status_code == 200 and application.plan.title in page_text(plan)
    # Each reading of the applicant's data is in the access log, by the evaluator.
    assert list(
        AccessLog.objects.filter(participant=participant)
        .order_by("pk")
        .values_list("actor", "details__page")
    ) == [(evaluator.pk, "grant_evaluation"), (evaluator.pk, "grant_evaluation_plan")]


def test_an_evaluator_who_declares_a_conflict_never_reads_it(client, application, evaluator):
    assignment, _ = assignment_create(
        application=application, evaluator=evaluator, by=make_staff("Coordinator")
    )
    sign_in(client, evaluator)
    url = reverse("grants_evaluation:assignment", args=[assignment.pk])
    client.post(url, {"conflict": "conflict", "note": "Lavoro con lei."})
    page = page_text(client.get(url))
    declared = Assignment.objects.get(pk=assignment.pk).declared_at
    assert (
        italian(
            "You declared a conflict of interest on %(when)s: you do not evaluate this "
            "application, and the coordinator assigns someone else.",
            when=_it_when(declared),
        )
        in page
    )
    assert application.participant.full_name not in page
    # A second declaration changes nothing.
    client.post(url, {"conflict": "none"})
    assert Assignment.objects.get(pk=assignment.pk).conflict == Assignment.Conflict.CONFLICT
    plan_url = reverse("grants_evaluation:plan", args=[assignment.pk])
    assert client.get(plan_url, follow=True).status_code == 404


def test_the_evaluator_scores_on_the_page_and_a_second_submit_changes_nothing(
    client, application, evaluator
):
    assignment, _ = assignment_create(
        application=application, evaluator=evaluator, by=make_staff("Coordinator")
    )
    assignment_declare(assignment=assignment, conflict=False, by=evaluator)
    feasible, impact = _criteria(application.call)
    sign_in(client, evaluator)
    url = reverse("grants_evaluation:assignment", args=[assignment.pk])

    typed = {
        "action": "submit",
        f"score_{feasible.pk}": "12",
        f"comment_{feasible.pk}": "Ben fatto",
        f"score_{impact.pk}": "6",
        f"comment_{impact.pk}": "",
        "comment": "Un buon progetto",
    }
    refused = client.post(url, typed)
    assert refused.status_code == 400
    text = page_text(refused)
    assert "Ben fatto" in text and "Un buon progetto" in text  # kept as typed
    assert 'aria-invalid="true"' in text

    typed.update({f"score_{feasible.pk}": "8", f"comment_{impact.pk}": "Medio"})
    assert client.post(url, typed).status_code == 302
    typed.update({f"score_{feasible.pk}": "1"})
    again = client.post(url, typed, follow=True)
    assert italian("This evaluation was already submitted: nothing changed.") in page_text(again)
    assignment.refresh_from_db()
    assert assignment.submitted_at is not None
    assert assignment.scores.get(criterion=feasible).score == 8
    page = page_text(client.get(url))
    with translation.override("it"):
        score = floatformat(
            weighted_score(_criteria(application.call), {feasible.pk: 8, impact.pk: 6}), "2"
        )
    assert (
        italian(
            "Submitted on %(when)s: %(score)s of 100. It can no longer be changed.",
            when=_it_when(assignment.submitted_at),
            score=score,
        )
        in page
    )
    assert 'name="action"' not in page


def test_evaluators_see_only_their_own_assignments_on_their_sites(
    client, application, evaluator, site, other_site
):
    mine, _ = assignment_create(
        application=application, evaluator=evaluator, by=make_staff("Coordinator")
    )
    colleague = make_staff("Evaluator", site=site)
    sign_in(client, colleague)
    assert application.reference not in page_text(
        client.get(reverse("grants_evaluation:assignments"))
    )
    url = reverse("grants_evaluation:assignment", args=[mine.pk])
    assert client.get(url, follow=True).status_code == 404
    assert client.post(url, {"conflict": "none"}, follow=True).status_code == 404
    assert Assignment.objects.get(pk=mine.pk).conflict == Assignment.Conflict.UNDECLARED


def test_an_evaluator_of_another_site_assigned_there_sees_nothing(client, application, other_site):
    """An assignment made past the rules (an evaluator who works for another municipality):
    without a site assignment for the application's site, the evaluator reads nothing."""
    outsider = make_staff("Evaluator", site=other_site)
    assignment = Assignment.objects.create(
        application=application, evaluator=outsider, conflict=Assignment.Conflict.NONE
    )
    sign_in(client, outsider)
    assert application.reference not in page_text(
        client.get(reverse("grants_evaluation:assignments"))
    )
    for name in ("grants_evaluation:assignment", "grants_evaluation:plan"):
        response = client.get(reverse(name, args=[assignment.pk]), follow=True)
        assert response.status_code == 404


def test_coordinators_do_not_score(client, application, evaluator, coordinator):
    assignment, _ = assignment_create(application=application, evaluator=evaluator, by=coordinator)
    sign_in(client, coordinator)
    url = reverse("grants_evaluation:assignment", args=[assignment.pk])
    assert _refused(client, url)


def test_the_admin_menu_shows_each_role_its_own_pages(client, coordinator, evaluator):
    # As the sidebar's JSON names them.
    calls = f'"url": "{reverse("grants_evaluation:calls")}"'
    mine = f'"url": "{reverse("grants_evaluation:assignments")}"'
    sign_in(client, coordinator)
    page = page_text(client.get("/admin/"))
    assert calls in page and mine not in page
    sign_in(client, evaluator)
    page = page_text(client.get("/admin/"))
    assert mine in page and calls not in page
    sign_in(client, make_staff("Editor"))
    page = page_text(client.get("/admin/"))
    assert mine not in page and calls not in page
