"""Reads of mentoring sessions: the free slots of a match, and who may see which session.

- A session is seen by its two people only: the participant always (their history is
  theirs), the mentor while the match is accepted (an ended match loses the mentor's access
  the same day, as everything else of the mentee). Coordinators read sessions in the admin.
- The free slots of a match are the mentor's weekly windows over the next weeks, less days
  away, public holidays, the past and the minimum notice, and the busy time of both people
  (``Session.BUSY``). The computation is ``mentors.availability``; this module only reads.
"""

from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays
from django.db.models import Q
from django.http import Http404

from mentors.availability import Slot, Window, free_slots, window_slots
from mentors.conf import app_settings
from mentors.models import Match, MentorProfile, Session


def zone() -> ZoneInfo:
    return ZoneInfo(app_settings.TIME_ZONE)


def session_length() -> timedelta:
    return timedelta(minutes=app_settings.SESSION_MINUTES)


@cache
def _holidays(country: str, years: tuple[int, ...]):
    return holidays.country_holidays(country, years=years)


def public_holidays(first, last):
    """The public holidays of the programme's country (``holidays.Italy()`` by default)."""
    return _holidays(app_settings.HOLIDAY_COUNTRY, tuple(range(first.year, last.year + 1)))


def availability_slots(mentor: MentorProfile, first, last) -> list[Slot]:
    """Every slot the mentor's windows offer between the dates ``first`` and ``last`` (in the
    programme's zone, both included), days away and holidays left out; busy time not yet."""
    windows = [Window(w.weekday, w.starts, w.ends) for w in mentor.windows.all()]
    days_off = mentor.exceptions.filter(ends_on__gte=first, starts_on__lte=last).values_list(
        "starts_on", "ends_on"
    )
    return window_slots(
        windows=windows,
        first=first,
        last=last,
        length=session_length(),
        zone=zone(),
        days_off=list(days_off),
        holidays=public_holidays(first, last),
    )


def busy_sessions(*, mentor_id: int, participant_id: int, exclude_pk=None):
    """The sessions that hold time for the mentor or for the participant."""
    sessions = Session.objects.filter(
        Q(mentor_id=mentor_id) | Q(participant_id=participant_id), status__in=Session.BUSY
    )
    if exclude_pk is not None:
        sessions = sessions.exclude(pk=exclude_pk)
    return sessions


def booking_window(now: datetime, weeks: int | None = None):
    """The dates (first, last) a participant may book in: today and the next ``weeks``."""
    today = now.astimezone(zone()).date()
    weeks = app_settings.BOOKING_WEEKS if weeks is None else weeks
    return today, today + timedelta(days=7 * weeks - 1)


def match_free_slots(
    *, match: Match, now: datetime, weeks: int | None = None, exclude_pk=None
) -> list[Slot]:
    """The slots the participant of ``match`` may book now: in the mentor's availability over
    the next ``weeks`` (default ``MENTORS_BOOKING_WEEKS``), at least ``MENTORS_MIN_NOTICE``
    ahead, and free for both people. ``exclude_pk``: a session being moved, whose own time
    does not count as busy."""
    first, last = booking_window(now, weeks)
    slots = availability_slots(match.mentor, first, last)
    if not slots:
        return []
    busy = busy_sessions(
        mentor_id=match.mentor_id, participant_id=match.participant_id, exclude_pk=exclude_pk
    ).filter(starts_at__lt=slots[-1].ends_at, ends_at__gt=slots[0].starts_at)
    return free_slots(
        slots=slots,
        busy=busy.values_list("starts_at", "ends_at"),
        not_before=now + app_settings.MIN_NOTICE,
    )


def _sessions():
    return Session.objects.select_related(
        "match", "mentor__user", "participant__user", "participant__site", "requested_by"
    )


def _visible_to(user) -> Q:
    return Q(participant__user=user) | Q(mentor__user=user, match__status=Match.Status.ACCEPTED)


def session_for_person_or_404(user, pk) -> Session:
    """Session ``pk`` if ``user`` is its participant, or its mentor while the match is
    accepted; anyone else: 404."""
    if not user.is_authenticated:
        raise Http404
    session = _sessions().filter(_visible_to(user), pk=pk).first()
    if session is None:
        raise Http404
    return session


def sessions_for_feed(user, now: datetime):
    """The person's sessions for their calendar feed (as mentor and as participant): those of
    the last ``MENTORS_FEED_PAST_DAYS`` and all to come, cancelled ones included so that
    calendars drop them."""
    since = now - timedelta(days=app_settings.FEED_PAST_DAYS)
    return _sessions().filter(_visible_to(user), ends_at__gte=since).order_by("starts_at", "pk")
