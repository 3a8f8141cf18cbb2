"""Eligibility, the entry snapshot, stage history, exit and follow-ups."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from coaching import services, tasks
from coaching.models import (
    EntryRecord,
    FollowUp,
    Notification,
    Participant,
    StageChange,
    vat_number_is_valid,
)
from coaching.selectors import followups_due
from tests.coaching.factories import CohortFactory, make_participant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "subject"),
    [("en", "Your application has been accepted"), ("it", "La tua domanda è stata accettata")],
)
def test_acceptance_notifies_the_person_in_their_language(
    site_coordinator, language, subject, django_capture_on_commit_callbacks
):
    person = make_participant(user=UserFactory(preferred_language=language), status="submitted")
    cohort = CohortFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.participant_decide(
            participant=person, eligible=True, reason="", cohort=cohort, by=site_coordinator
        )
    assert [m.subject for m in mail.outbox] == [subject]
    assert mail.outbox[0].to == [person.user.email]
    assert Notification.objects.get(participant=person).subject == subject
    person.refresh_from_db()
    assert (person.status, person.stage, person.cohort) == ("eligible", "orientation", cohort)


def test_decline_needs_a_reason_and_shows_on_the_dashboard(
    client, site_coordinator, django_capture_on_commit_callbacks
):
    person = make_participant(user=UserFactory(preferred_language="it"), status="submitted")
    with pytest.raises(ValidationError):
        services.participant_decide(participant=person, eligible=False, reason="", by=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.participant_decide(
            participant=person,
            eligible=False,
            reason="Residenza fuori comune",
            by=site_coordinator,
        )
    assert mail.outbox[0].subject == "La tua domanda"
    assert "Residenza fuori comune" in mail.outbox[0].body
    client.force_login(person.user)
    page = client.get("/it/path/dashboard/").content.decode()
    assert "Residenza fuori comune" in page
    assert "Non ammissibile" in page


def test_a_full_cohort_refuses_more_people(site_coordinator):
    cohort = CohortFactory(capacity=1)
    first = make_participant(status="submitted")
    second = make_participant(status="submitted")
    services.participant_decide(participant=first, eligible=True, reason="", cohort=cohort, by=None)
    with pytest.raises(ValidationError):
        services.participant_decide(
            participant=second, eligible=True, reason="", cohort=cohort, by=None
        )


def test_entry_snapshot_does_not_change_when_the_profile_changes(site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    entry = EntryRecord.objects.get(participant=person)
    assert entry.labour_status == "unemployed"
    assert entry.long_term_unemployed is True
    assert entry.isced_group == "0-2"
    assert entry.snapshot["municipality"] == "Napoli"
    # Once accepted, the person can no longer change the entry answers at all.
    with pytest.raises(ValidationError):
        services.intake_save_step(
            participant=person,
            step="work",
            data={"labour_status": "self_employed", "works_without_contract": "no"},
            by=person.user,
        )
    services.intake_save_step(
        participant=person,
        step="contact",
        data={"phone": "333 7654321", "municipality": "Bari", "languages": "x"},
        by=person.user,
    )
    entry.refresh_from_db()
    assert entry.labour_status == "unemployed"
    assert entry.snapshot["municipality"] == "Napoli"
    assert entry.snapshot["labour_status"] == "unemployed"
    assert "disability" not in entry.snapshot


def test_re_entry_keeps_the_first_entry_record(site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    first = EntryRecord.objects.get(participant=person)
    services.participant_exit(
        participant=person, by=site_coordinator, exit_date=datetime.date.today()
    )
    services.intake_save_step(
        participant=person,
        step="contact",
        data={"phone": "333 7654321", "municipality": "Bari", "languages": "x"},
        by=person.user,
    )
    services.participant_submit(participant=person, by=person.user)
    services.participant_decide(participant=person, eligible=True, reason="", by=site_coordinator)
    assert EntryRecord.objects.get(participant=person).pk == first.pk
    assert EntryRecord.objects.get(participant=person).snapshot["municipality"] == "Napoli"


def test_stage_history_is_append_only(site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    services.stage_change(participant=person, to_stage="training", by=site_coordinator, reason="r")
    services.stage_change(participant=person, to_stage="mentoring", by=site_coordinator)
    history = list(
        StageChange.objects.filter(participant=person).values_list("to_stage", flat=True)
    )
    assert history == ["intake", "orientation", "training", "mentoring"]
    change = StageChange.objects.filter(participant=person).last()
    change.reason = "rewritten"
    with pytest.raises(ValidationError):
        change.save()
    with pytest.raises(ValidationError):
        change.delete()
    assert StageChange.objects.filter(participant=person).count() == 4
    person.refresh_from_db()
    assert person.stage == "mentoring"
    # The stage change was told to the person too.
    assert Notification.objects.filter(participant=person).count() == 3


def test_only_people_on_the_path_change_stage():
    person = make_participant(status="submitted")
    with pytest.raises(ValidationError):
        services.stage_change(participant=person, to_stage="training", by=None)


@pytest.mark.parametrize(
    ("number", "valid"),
    [("01114601006", True), ("12345678903", True), ("12345678901", False), ("1234567890", False),
     ("abcdefghijk", False)],
)  # fmt: skip
def test_vat_number_checksum(number, valid):
    assert vat_number_is_valid(number) is valid


def test_exit_refuses_a_bad_vat_number(site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    with pytest.raises(ValidationError):
        services.participant_exit(
            participant=person,
            by=site_coordinator,
            exit_date=datetime.date(2026, 1, 15),
            business_registered=True,
            registration_date=datetime.date(2026, 1, 10),
            legal_form="flat_rate",
            vat_number="12345678901",
        )
    assert not FollowUp.objects.exists()


def test_follow_ups_are_created_at_exit_and_run_at_their_time(
    site_coordinator, client, django_capture_on_commit_callbacks
):
    person = make_participant(status="eligible", by=site_coordinator)
    exit_date = datetime.date(2026, 1, 31)
    services.participant_exit(
        participant=person,
        by=site_coordinator,
        exit_date=exit_date,
        in_employment=True,
        business_registered=True,
        registration_date=datetime.date(2026, 1, 20),
        legal_form="flat_rate",
        vat_number="01114601006",
    )
    person.refresh_from_db()
    assert (person.status, person.stage) == ("exited", "exit")
    four, six = FollowUp.objects.filter(participant=person).order_by("due_at")
    assert timezone.localtime(four.due_at).date() == datetime.date(2026, 2, 28)
    assert timezone.localtime(six.due_at).date() == datetime.date(2026, 7, 31)

    def at(day):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))

    mail.outbox.clear()
    assert list(followups_due(at(datetime.date(2026, 2, 27)))) == []
    assert services.followups_send_due(now=at(datetime.date(2026, 2, 27))) == 0
    assert list(followups_due(at(datetime.date(2026, 2, 28)))) == [four]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.followups_send_due(now=at(datetime.date(2026, 2, 28))) == 1
        assert services.followups_send_due(now=at(datetime.date(2026, 3, 1))) == 0
    assert len(mail.outbox) == 1
    assert services.followups_send_due(now=at(datetime.date(2026, 8, 1))) == 1
    # The reminder task itself refuses to act before its time.
    assert tasks.send_followup_reminder.call(four.pk) is False

    client.force_login(person.user)
    response = client.post(
        f"/en/path/follow-up/{four.pk}/", {"situation": "self_employed", "business_active": "yes"}
    )
    assert response.status_code == 302
    four.refresh_from_db()
    assert four.completed_at and four.business_active is True


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_exit_enqueues_reminders_with_run_after_on_the_database_backend(
    site_coordinator, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    person = make_participant(status="eligible", by=site_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        services.participant_exit(
            participant=person, by=site_coordinator, exit_date=datetime.date(2026, 1, 31)
        )
    due = sorted(FollowUp.objects.values_list("due_at", flat=True))
    queued = sorted(
        DBTaskResult.objects.filter(task_path__endswith="send_followup_reminder").values_list(
            "run_after", flat=True
        )
    )
    assert queued == due


def test_participant_cannot_answer_someone_elses_follow_up(client, site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    services.participant_exit(
        participant=person, by=site_coordinator, exit_date=datetime.date(2026, 1, 31)
    )
    other = make_participant()
    client.force_login(other.user)
    follow_up = FollowUp.objects.first()
    assert client.get(f"/it/path/follow-up/{follow_up.pk}/").status_code == 404
    assert Participant.objects.get(pk=person.pk).status == "exited"


def test_the_exit_stage_is_reached_only_by_recording_the_exit(site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    with pytest.raises(ValidationError):
        services.stage_change(participant=person, to_stage="exit", by=site_coordinator)
    person.refresh_from_db()
    assert (person.status, person.stage) == ("eligible", "orientation")
    services.participant_exit(
        participant=person, by=site_coordinator, exit_date=datetime.date(2026, 1, 31)
    )
    person.refresh_from_db()
    assert (person.status, person.stage) == ("exited", "exit")
    assert StageChange.objects.filter(participant=person, to_stage="exit").count() == 1


def test_double_submitted_admin_actions_do_not_double_their_effect(client, site_coordinator):
    from tests.coaching.factories import sign_in

    person = make_participant(status="submitted")
    sign_in(client, site_coordinator)
    url = f"/admin/coaching/participant/{person.pk}/manage/"
    accept = {"action": "decide", "decide-decision": "accept"}
    assert client.post(url, accept).status_code == 302
    assert client.post(url, accept).status_code == 400  # no second decision
    move = {"action": "stage", "stage-to_stage": "training", "stage-reason": "ready"}
    client.post(url, move)
    client.post(url, move)
    leave = {"action": "exit", "exit-exit_date": "2026-01-31"}
    client.post(url, leave)
    assert client.post(url, leave).status_code == 400
    assert Notification.objects.filter(participant=person).count() == 2  # accepted, training
    assert StageChange.objects.filter(participant=person, to_stage="training").count() == 1
    assert FollowUp.objects.filter(participant=person).count() == 2


def test_after_re_entry_the_person_can_leave_again(site_coordinator):
    """ESF+ counts each participation: enter, exit, re-enter, exit again."""
    person = make_participant(status="eligible", by=site_coordinator)
    first_entry = EntryRecord.objects.get(participant=person)
    snapshot = dict(first_entry.snapshot)
    services.participant_exit(
        participant=person,
        by=site_coordinator,
        exit_date=datetime.date(2026, 1, 31),
        job_searching=True,
    )
    services.intake_save_step(
        participant=person,
        step="contact",
        data={"phone": "333 7654321", "municipality": "Bari", "languages": "x"},
        by=person.user,
    )
    services.participant_submit(participant=person, by=person.user)
    services.participant_decide(participant=person, eligible=True, reason="", by=site_coordinator)
    services.participant_exit(
        participant=person,
        by=site_coordinator,
        exit_date=datetime.date(2026, 9, 30),
        in_employment=True,
    )
    with pytest.raises(ValidationError):  # still one exit per participation
        services.participant_exit(
            participant=person, by=site_coordinator, exit_date=datetime.date(2026, 9, 30)
        )
    person.refresh_from_db()
    assert (person.status, person.stage, person.participation) == ("exited", "exit", 2)
    exits = list(person.exit_records.order_by("participation"))
    assert [(e.participation, e.exit_date) for e in exits] == [
        (1, datetime.date(2026, 1, 31)),
        (2, datetime.date(2026, 9, 30)),
    ]
    assert (exits[0].job_searching, exits[1].in_employment) == (True, True)
    assert sorted(
        FollowUp.objects.filter(participant=person).values_list("participation", "kind")
    ) == [(1, "4w"), (1, "6m"), (2, "4w"), (2, "6m")]
    entry = EntryRecord.objects.get(participant=person)
    assert (entry.pk, entry.entered_at, entry.snapshot) == (
        first_entry.pk,
        first_entry.entered_at,
        snapshot,
    )
