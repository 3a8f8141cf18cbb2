"""Helpers for the session tests: a match whose mentor has weekly windows, times in Rome."""

import datetime
import uuid
from zoneinfo import ZoneInfo

from mentors.models import AvailabilityWindow, Match, Session
from tests.coaching.factories import make_participant
from tests.factories import UserFactory
from tests.mentors.factories import make_match, make_mentor

ROME = ZoneInfo("Europe/Rome")
UTC = datetime.UTC

#: A Monday in Rome, a week before summer time begins (Sunday 28 March 2027) and Easter
#: Monday (29 March 2027, a public holiday).
NOW = datetime.datetime(2027, 3, 22, 6, 0, tzinfo=ROME)


def at(year, month, day, hour, minute=0) -> datetime.datetime:
    """Wall-clock time in Rome, as an aware datetime."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=ROME)


def with_windows(mentor, *windows):
    """``windows``: (weekday, "10:00", "12:00") tuples."""
    for weekday, starts, ends in windows:
        AvailabilityWindow.objects.create(
            profile=mentor,
            weekday=weekday,
            starts=datetime.time.fromisoformat(starts),
            ends=datetime.time.fromisoformat(ends),
        )
    return mentor


#: Monday 10–12 and Wednesday 17–18.
WINDOWS = ((0, "10:00", "12:00"), (2, "17:00", "18:00"))


def make_pair(*, mentor=None, windows=WINDOWS, language="en", **mentor_kwargs) -> Match:
    """An accepted match; both people write in ``language`` and have real addresses."""
    if mentor is None:
        mentor = make_mentor(
            user=UserFactory(preferred_language=language, first_name="Marta"), **mentor_kwargs
        )
        with_windows(mentor, *windows)
    participant = make_participant(
        user=UserFactory(preferred_language=language, first_name="Paolo"), status="eligible"
    )
    return make_match(mentor=mentor, participant=participant)


def session_at(match, starts_at, *, status=Session.Status.CONFIRMED, minutes=60) -> Session:
    """A session written directly (as if booked earlier), for busy time and fixtures."""
    return Session.objects.create(
        match=match,
        mentor=match.mentor,
        participant=match.participant,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=minutes),
        mode="remote",
        link="https://meet.example.org/x",
        status=status,
        requested_by=match.participant.user,
    )


def key() -> uuid.UUID:
    return uuid.uuid4()
