"""Follow-up reminders reach only people whose current consent says yes."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from coaching import services
from coaching.models import ConsentRecord, FollowUp, Notification
from coaching.selectors import followup_for_user_or_404, followups_due
from tests.coaching.factories import make_participant

pytestmark = pytest.mark.django_db

EXIT_DATE = datetime.date(2026, 1, 31)
AFTER_FOUR_WEEKS = timezone.make_aware(datetime.datetime(2026, 3, 2, 12))


def _exited(coordinator):
    person = make_participant(status="eligible", by=coordinator)
    services.participant_exit(participant=person, by=coordinator, exit_date=EXIT_DATE)
    Notification.objects.filter(participant=person).delete()
    return person, FollowUp.objects.filter(participant=person).order_by("due_at").first()


def _withdraw(person):
    services.consent_record(
        participant=person,
        kind=ConsentRecord.Kind.FOLLOW_UP_CONTACT,
        granted=False,
        by=person.user,
    )


def test_withdrawn_follow_up_consent_stops_the_reminder_at_once(
    site_coordinator, django_capture_on_commit_callbacks
):
    person, four = _exited(site_coordinator)
    assert list(followups_due(AFTER_FOUR_WEEKS)) == [four]  # consent given at intake
    _withdraw(person)

    assert list(followups_due(AFTER_FOUR_WEEKS)) == []
    with django_capture_on_commit_callbacks(execute=True):
        assert services.followup_send_reminder(follow_up_id=four.pk, now=AFTER_FOUR_WEEKS) is False
        assert services.followups_send_due(now=AFTER_FOUR_WEEKS) == 0
    assert mail.outbox == []
    assert not Notification.objects.filter(participant=person).exists()
    four.refresh_from_db()
    assert four.reminded_at is None

    # It stays with the coordinator, who can still record the answers.
    assert followup_for_user_or_404(site_coordinator, four.pk) == four
    services.followup_complete(
        follow_up=four, by=site_coordinator, situation="self_employed", business_active=True
    )
    four.refresh_from_db()
    assert four.completed_at is not None


def test_people_who_never_agreed_are_not_contacted(
    site_coordinator, django_capture_on_commit_callbacks
):
    person = make_participant(status="draft")
    services.intake_save_step(
        participant=person,
        step="consent",
        data={"privacy_notice": True, "follow_up_contact": False},
        by=person.user,
    )
    services.participant_submit(participant=person, by=person.user)
    services.participant_decide(participant=person, eligible=True, reason="", by=site_coordinator)
    services.participant_exit(participant=person, by=site_coordinator, exit_date=EXIT_DATE)
    four = FollowUp.objects.filter(participant=person).order_by("due_at").first()
    mail.outbox.clear()

    assert list(followups_due(AFTER_FOUR_WEEKS)) == []
    with django_capture_on_commit_callbacks(execute=True):
        assert services.followup_send_reminder(follow_up_id=four.pk, now=AFTER_FOUR_WEEKS) is False
    assert mail.outbox == []


def test_consent_given_again_makes_the_reminder_due(
    site_coordinator, django_capture_on_commit_callbacks
):
    person, four = _exited(site_coordinator)
    _withdraw(person)
    services.consent_record(
        participant=person,
        kind=ConsentRecord.Kind.FOLLOW_UP_CONTACT,
        granted=True,
        by=person.user,
    )
    assert list(followups_due(AFTER_FOUR_WEEKS)) == [four]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.followups_send_due(now=AFTER_FOUR_WEEKS) == 1
    assert [m.to for m in mail.outbox] == [[person.user.email]]
