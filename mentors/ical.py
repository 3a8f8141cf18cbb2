"""Sessions as iCalendar (RFC 5545) with the ``icalendar`` library: the invitation attached
to a confirmation and the private feed of a person.

One event per session, the same in both: a UID that never changes, ``SEQUENCE`` =
``Session.sequence`` (raised at every change of time or status, so calendar clients apply the
newest), start and end in the programme's zone (``TZID=Europe/Rome``, with its
``VTIMEZONE``), the place or the link as ``LOCATION``. The event names the other person by
first name only and carries no other personal data: no e-mail addresses (the organiser is the
programme's own sender address), no notes.
"""

from datetime import timedelta
from email.utils import parseaddr

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from mentors.models import Session
from mentors.selectors_sessions import zone

PRODID = "-//Avvio//Mentoring//EN"

#: Session status -> iCalendar STATUS.
STATUS = {
    Session.Status.REQUESTED: "TENTATIVE",
    Session.Status.CONFIRMED: "CONFIRMED",
    Session.Status.HELD: "CONFIRMED",
    Session.Status.NO_SHOW: "CONFIRMED",
    Session.Status.CANCELLED: "CANCELLED",
    Session.Status.LATE_CANCELLED: "CANCELLED",
}
CANCELLED = (Session.Status.CANCELLED, Session.Status.LATE_CANCELLED)


def uid(session: Session) -> str:
    """Stable for the life of the session, unique across the install's sites."""
    return f"mentoring-session-{session.pk}@{session.participant.site.hostname}"


def other_first_name(session: Session, user) -> str:
    """The first name of the person ``user`` meets in ``session``."""
    if user.pk == session.mentor.user_id:
        return session.participant.greeting_name
    return session.mentor.user.first_name or str(session.mentor)


def where(session: Session) -> str:
    return session.place or session.link


def event(session: Session, *, user, url: str = "", now=None) -> icalendar.Event:
    """The event of ``session`` as ``user`` sees it, in the active language."""
    rome = zone()
    item = icalendar.Event()
    item.add("uid", uid(session))
    item.add("sequence", session.sequence)
    item.add("dtstamp", now or timezone.now())
    item.add("dtstart", session.starts_at.astimezone(rome))
    item.add("dtend", session.ends_at.astimezone(rome))
    item.add("summary", _("Mentoring with %(name)s") % {"name": other_first_name(session, user)})
    item.add("status", STATUS[session.status])
    if where(session):
        item.add("location", where(session))
    if url:
        item.add("url", url)
        item.add("description", _("Details and changes: %(url)s") % {"url": url})
    return item


def _calendar(events, *, method: str | None, name: str = "") -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    starts = []
    for item in events:
        calendar.add_component(item)
        starts.append(item.decoded("dtstart").date())
    if starts:
        # The zone's rules for the years the events fall in, so any client reads the times.
        calendar.add_missing_timezones(
            first_date=min(starts) - timedelta(days=366), last_date=max(starts) + timedelta(366)
        )
    return calendar.to_ical()


def invitation(session: Session, *, user, url: str = "", now=None) -> bytes:
    """The .ics invitation for ``user``: ``METHOD:REQUEST``, or ``METHOD:CANCEL`` once the
    session is cancelled (what calendar clients expect to drop it)."""
    item = event(session, user=user, url=url, now=now)
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if address:
        item.add("organizer", f"mailto:{address}")
    method = "CANCEL" if session.status in CANCELLED else "REQUEST"
    return _calendar([item], method=method)


def feed(sessions, *, user, url_of=None, now=None) -> bytes:
    """The person's feed: every session given, as ``user`` sees it. ``url_of(session)``: the
    link to each session's page, if wanted."""
    return _calendar(
        [
            event(session, user=user, url=url_of(session) if url_of else "", now=now)
            for session in sessions
        ],
        method="PUBLISH",
        name=_("Mentoring"),
    )
