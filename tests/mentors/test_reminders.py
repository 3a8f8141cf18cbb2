"""Reminders a day and an hour before a confirmed session: queued at those times, sent once to
both people, never for a cancelled or moved session, and caught up by the sweep."""

import datetime

import pytest
from django_tasks import default_task_backend
from freezegun import freeze_time

from mentors import tasks
from mentors.models import SessionReminder
from mentors.services import sessions as services
from mentors.services.session_mail import session_reminders_send_due
from tests.mentors.session_factories import NOW, at, key, make_pair

pytestmark = pytest.mark.django_db

DAY, HOUR = datetime.timedelta(days=1), datetime.timedelta(hours=1)
START = at(2027, 3, 24, 17)


@pytest.fixture
def deferred(settings):
    """A task backend that defers (as the database and RQ ones do) and keeps what it got."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()


def _confirmed(capture, *, starts_at=START, now=NOW):
    match = make_pair()
    with capture(execute=True):
        session = services.session_book(
            match=match,
            starts_at=starts_at,
            by=match.mentor.user,
            mode="remote",
            link="https://meet.example.org/m",
            key=key(),
            now=now,
        )
        services.session_confirm(session=session, by=match.participant.user, now=now)
    session.refresh_from_db()
    return session


def _queued(backend):
    return sorted(
        (result.task.run_after, result.args[0])
        for result in backend.results
        if result.task.name == tasks.send_session_reminder.name
    )


def test_reminders_are_queued_a_day_and_an_hour_before(
    site, deferred, django_capture_on_commit_callbacks
):
    session = _confirmed(django_capture_on_commit_callbacks)
    rows = {r.kind: r for r in SessionReminder.objects.filter(session=session)}
    assert rows["day"].send_at == START - DAY and rows["hour"].send_at == START - HOUR
    assert _queued(deferred) == [
        (START - DAY, rows["day"].pk),
        (START - HOUR, rows["hour"].pk),
    ]


def test_a_reminder_whose_time_has_passed_is_not_queued(
    site, deferred, django_capture_on_commit_callbacks
):
    """Confirmed 20 hours before: only the hour's reminder is still to come."""
    session = _confirmed(
        django_capture_on_commit_callbacks, starts_at=at(2027, 3, 23, 9), now=at(2027, 3, 22, 13)
    )
    assert list(SessionReminder.objects.filter(session=session).values_list("kind", flat=True)) == [
        "hour"
    ]
    assert [run_after for run_after, _pk in _queued(deferred)] == [at(2027, 3, 23, 8)]


def test_each_reminder_goes_to_both_people_once_at_its_time(
    site, mailoutbox, django_capture_on_commit_callbacks
):
    session = _confirmed(django_capture_on_commit_callbacks)
    day = SessionReminder.objects.get(session=session, kind="day")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        with freeze_time(day.send_at - datetime.timedelta(minutes=1)):
            assert tasks.send_session_reminder.call(day.pk) is False  # not yet
        with freeze_time(day.send_at):
            assert tasks.send_session_reminder.call(day.pk) is True
            assert tasks.send_session_reminder.call(day.pk) is False  # never twice
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [session.mentor.user.email, session.participant.user.email]
    )
    assert {m.subject for m in mailoutbox} == {"Reminder: your mentoring session is tomorrow"}
    to_mentor = next(m for m in mailoutbox if m.to == [session.mentor.user.email])
    assert "A reminder of your mentoring session with Paolo:" in to_mentor.body
    assert "Wednesday 24 March 2027, 17:00 (Italian time)" in to_mentor.body
    day.refresh_from_db()
    assert day.sent_at == START - DAY


def test_nothing_is_sent_for_a_cancelled_session(
    site, mailoutbox, django_capture_on_commit_callbacks
):
    session = _confirmed(django_capture_on_commit_callbacks)
    services.session_cancel(session=session, by=session.mentor.user, reason="Ill", now=NOW)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for reminder in SessionReminder.objects.filter(session=session):
            with freeze_time(reminder.send_at):
                assert tasks.send_session_reminder.call(reminder.pk) is False
        assert session_reminders_send_due(now=START - HOUR) == 0
    assert mailoutbox == []
    assert not SessionReminder.objects.filter(sent_at__isnull=False).exists()


def test_nothing_is_sent_for_the_old_time_of_a_moved_session(
    site, mailoutbox, django_capture_on_commit_callbacks
):
    session = _confirmed(django_capture_on_commit_callbacks)
    old = list(SessionReminder.objects.filter(session=session))
    with django_capture_on_commit_callbacks(execute=True):
        services.session_reschedule(
            session=session, starts_at=at(2027, 3, 31, 17), by=session.mentor.user, now=NOW
        )
    # A row left for the old time (say, read by a worker just before the move) sends nothing.
    stale = SessionReminder.objects.create(
        session=session, kind="hour", starts_at=START, send_at=START - HOUR
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for reminder in [*old, stale]:
            with freeze_time(reminder.send_at):
                assert tasks.send_session_reminder.call(reminder.pk) is False
        assert session_reminders_send_due(now=START - HOUR) == 0
        # The new time's reminders do go.
        assert session_reminders_send_due(now=at(2027, 3, 30, 17)) == 1
    assert len(mailoutbox) == 2
    assert {m.subject for m in mailoutbox} == {"Reminder: your mentoring session is tomorrow"}


def test_the_sweep_catches_up_once(site, mailoutbox, django_capture_on_commit_callbacks):
    """On a backend without deferral (the immediate one here) the sweep is what sends."""
    session = _confirmed(django_capture_on_commit_callbacks)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert session_reminders_send_due(now=START - DAY - HOUR) == 0
        assert session_reminders_send_due(now=START - HOUR) == 2  # both are due by then
        assert session_reminders_send_due(now=START - HOUR) == 0
        with freeze_time(START - datetime.timedelta(minutes=30)):
            assert tasks.send_due_session_reminders.call() == 0
    assert len(mailoutbox) == 4
    assert SessionReminder.objects.filter(session=session, sent_at__isnull=True).count() == 0
