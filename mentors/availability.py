"""When a mentor can meet: free slots from weekly windows, pure and without the database.

The mentor's windows are wall-clock times in one zone (``Europe/Rome``): "Tuesday 15:00–18:00"
means 15:00 Rome time in winter and in summer alike, so each day's window is placed in that
zone on that date (``zoneinfo``) and only then turned into absolute time. A session lasts
a fixed length of real time; across a change of clock inside a window the slots keep their
real length and the window its wall-clock ends (a window that falls in the hour skipped in
spring offers nothing that night; the hour repeated in autumn counts twice).

Taken out: the mentor's days away, public holidays, the past and a minimum notice, and every
busy interval (the sessions of the mentor and of the participant). ``mentors.selectors_sessions``
reads those from the database; ``mentors.services.sessions`` books only what this offers.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True, order=True)
class Slot:
    """A bookable time, in absolute (UTC) time."""

    starts_at: datetime
    ends_at: datetime

    def local(self, zone: ZoneInfo) -> datetime:
        return self.starts_at.astimezone(zone)


@dataclass(frozen=True)
class Window:
    """A weekly window: ``weekday`` 0 = Monday, wall-clock ``starts`` to ``ends``."""

    weekday: int
    starts: time
    ends: time


def wall_clock(day: date, at: time, zone: ZoneInfo) -> datetime:
    """``day`` at ``at`` in ``zone``, as an aware UTC datetime. A time the clock skips in
    spring reads with the offset before the change, so 02:30 becomes 03:30 summer time (PEP
    495); a time repeated in autumn is its first occurrence (``fold=0``)."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def _days(first: date, last: date) -> Iterable[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def window_slots(
    *,
    windows: Iterable[Window],
    first: date,
    last: date,
    length: timedelta,
    zone: ZoneInfo,
    days_off: Iterable[tuple[date, date]] = (),
    holidays=(),
) -> list[Slot]:
    """Every slot the windows offer from ``first`` to ``last`` (dates in ``zone``, both
    included), except on days off (ranges, both ends included) and ``holidays`` (anything
    supporting ``day in holidays``, such as ``holidays.Italy()``). Each window is cut into
    back-to-back slots of ``length`` from its start; a remainder shorter than that is unused."""
    by_weekday: dict[int, list[Window]] = {}
    for window in windows:
        by_weekday.setdefault(window.weekday, []).append(window)
    off = list(days_off)
    slots = []
    for day in _days(first, last):
        if day.weekday() not in by_weekday or day in holidays:
            continue
        if any(start <= day <= end for start, end in off):
            continue
        for window in by_weekday[day.weekday()]:
            start = wall_clock(day, window.starts, zone)
            end = wall_clock(day, window.ends, zone)
            while start + length <= end:
                slots.append(Slot(start, start + length))
                start += length
    return sorted(set(slots))


def overlaps(starts_at: datetime, ends_at: datetime, busy: Iterable[tuple]) -> bool:
    """Whether ``[starts_at, ends_at)`` meets any of the ``busy`` (start, end) intervals."""
    return any(start < ends_at and starts_at < end for start, end in busy)


def free_slots(
    *,
    slots: Iterable[Slot],
    busy: Iterable[tuple[datetime, datetime]],
    not_before: datetime,
) -> list[Slot]:
    """The slots that start at ``not_before`` or later and meet no busy interval."""
    busy = list(busy)
    return [
        slot
        for slot in slots
        if slot.starts_at >= not_before and not overlaps(slot.starts_at, slot.ends_at, busy)
    ]


def by_day(slots: Iterable[Slot], zone: ZoneInfo) -> list[tuple[date, list[Slot]]]:
    """Slots grouped by their date in ``zone``, in order, for a page that lists them."""
    groups: dict[date, list[Slot]] = {}
    for slot in sorted(slots):
        groups.setdefault(slot.local(zone).date(), []).append(slot)
    return list(groups.items())
