"""Booking, confirming, moving and cancelling mentoring sessions: the one place that writes them.

The rules, each written here once:

- Only the two people of an accepted match book. One side asks, the other confirms.
- The participant books a slot the mentor's availability offers (``mentors.availability``):
  inside the weekly windows, not on days away or public holidays, at least
  ``MENTORS_MIN_NOTICE`` ahead, within ``MENTORS_BOOKING_WEEKS``. The mentor may propose any
  time still to come, inside the windows or not.
- Nobody is in two sessions at once. The check is a checked write: the transaction locks the
  mentor's profile row and the participant's row (``select_for_update``, always in that
  order) before looking for overlaps, so two bookings for the same person queue and the
  second sees the first. On PostgreSQL the exclusion constraints of migration ``0002`` refuse
  an overlap even so; their error becomes the same message.
- A form's one-time key (``booking_key``) makes a second submit return the first session.
- In person needs a place, online a link, by the time the session is confirmed: a participant
  may ask without them, the mentor adds them when confirming; a mentor proposing gives them.
- A move (reschedule) checks the new time as a booking and raises ``sequence``; a confirmed
  session stays confirmed at its new time (the other person is told, with the updated
  invitation), a requested one now waits for the other person. Its unsent reminders are
  dropped and new ones queued.
- A cancellation needs a reason. A participant who cancels a confirmed session less than
  ``MENTORS_LATE_CANCEL`` (24 hours) before it starts cancels late (``LATE_CANCELLED``, counted
  in attendance); a mentor's cancellation, or one of a session never confirmed, is a plain
  ``CANCELLED``: it says nothing about the participant's attendance.
"""

from datetime import UTC, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from coaching.models import MeetingMode, Participant
from mentors.conf import app_settings
from mentors.models import REASON_MAX_LENGTH, Match, MentorProfile, Session
from mentors.selectors_sessions import (
    availability_slots,
    booking_window,
    busy_sessions,
    session_length,
    zone,
)
from mentors.services import session_mail

MENTOR, PARTICIPANT = "mentor", "participant"
#: PostgreSQL's SQLSTATE for an exclusion constraint refusing a row.
EXCLUSION_VIOLATION = "23P01"


def side_of(match: Match, user) -> str:
    """Which side of the match ``user`` is on; anyone else may not act on its sessions."""
    if user is not None and user.pk == match.mentor.user_id:
        return MENTOR
    if user is not None and user.pk == match.participant.user_id:
        return PARTICIPANT
    raise PermissionDenied(_("This is not your mentoring."))


def _overlap_error(side: str | None = None, busy_side: str | None = None) -> ValidationError:
    if busy_side is not None and busy_side == side:
        message = _("You already have a session at this time. Choose another time.")
    elif busy_side == MENTOR:
        message = _("Your mentor already has a session at this time. Choose another time.")
    elif busy_side == PARTICIPANT:
        message = _("Your mentee already has a session at this time. Choose another time.")
    else:
        message = _("One of you already has a session at this time. Choose another time.")
    return ValidationError(message, code="overlap")


def _check_active(match: Match) -> None:
    if match.status != Match.Status.ACCEPTED:
        raise ValidationError(
            _("This mentoring is not active: sessions can be booked only with your mentor now."),
            code="match_not_active",
        )


def _check_time(
    *, match: Match, starts_at: datetime, side: str, now: datetime, exclude_pk=None
) -> datetime:
    """Refuse a time in the past, outside the availability (for a participant), or meeting a
    session of either person. Returns the end of the session."""
    ends_at = starts_at + session_length()
    if starts_at <= now:
        raise ValidationError(
            _("This time has already passed. Choose a time still to come."), code="past"
        )
    if side == PARTICIPANT:
        if starts_at < now + app_settings.MIN_NOTICE:
            hours = int(app_settings.MIN_NOTICE.total_seconds() // 3600)
            raise ValidationError(
                _("Book at least %(hours)d hours ahead, so your mentor can see your request.")
                % {"hours": hours},
                code="too_soon",
            )
        day = starts_at.astimezone(zone()).date()
        _first, last = booking_window(now)
        offered = availability_slots(match.mentor, day, day)
        if day > last or not any(
            slot.starts_at == starts_at and slot.ends_at == ends_at for slot in offered
        ):
            raise ValidationError(
                _("Your mentor is not available at this time. Choose one of the free times."),
                code="outside_availability",
            )
    busy = busy_sessions(
        mentor_id=match.mentor_id, participant_id=match.participant_id, exclude_pk=exclude_pk
    ).filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
    clash = busy.values_list("match_id", "mentor_id").first()
    if clash is not None:
        clash_match, clash_mentor = clash
        if clash_match == match.pk:
            raise ValidationError(
                _("You already have a session together at this time. Choose another time."),
                code="overlap",
            )
        raise _overlap_error(side, MENTOR if clash_mentor == match.mentor_id else PARTICIPANT)
    return ends_at


def _where(*, match: Match, mode: str, place: str, link: str, side: str, required: bool):
    """The place or link the mode needs (``required``: it must be given now)."""
    place, link = (place or "").strip(), (link or "").strip()
    if mode not in MeetingMode.values:
        raise ValidationError(_("Choose in person or online."), code="mode")
    offered = match.mentor.meeting_modes
    if side == PARTICIPANT and offered and mode not in offered:
        raise ValidationError(_("Your mentor does not meet this way."), code="mode")
    if mode == MeetingMode.IN_PERSON:
        if required and not place:
            raise ValidationError(_("Say where you will meet."), code="place")
        return place[:200], ""
    if link:
        try:
            URLValidator(schemes=["https", "http"])(link)
        except ValidationError:
            raise ValidationError(
                _("Write the full link to the call, starting with https://."), code="link"
            ) from None
    elif required:
        raise ValidationError(_("Add the link to the call."), code="link")
    return "", link


def _lock_people(match: Match) -> Match:
    """Lock the mentor's profile row, then the participant's, then read the match again.

    Every booking and move for either person takes these locks in this order, so the overlap
    check after them sees every session committed by a booking that came first."""
    MentorProfile.objects.select_for_update().get(pk=match.mentor_id)
    Participant.objects.select_for_update().get(pk=match.participant_id)
    return Match.objects.select_related(
        "mentor__user", "participant__user", "participant__site"
    ).get(pk=match.pk)


def _is_exclusion(error: IntegrityError) -> bool:
    return getattr(error.__cause__, "sqlstate", None) == EXCLUSION_VIOLATION


def _save(session: Session, *, side: str | None, fields=None) -> None:
    """Save in a savepoint, turning the database's refusal of an overlap into its message."""
    try:
        with transaction.atomic():
            session.save(update_fields=fields)
    except IntegrityError as error:
        if _is_exclusion(error):
            raise _overlap_error(side) from error
        raise


@transaction.atomic
def session_book(
    *,
    match: Match,
    starts_at: datetime,
    by,
    mode: str,
    place: str = "",
    link: str = "",
    key=None,
    now=None,
) -> Session:
    """Ask for a session: the participant from the free slots, or the mentor proposing a
    time. The other person confirms it. ``key``: the form's one-time key; a second submit of
    it returns the session the first made."""
    now = now or timezone.now()
    match = _lock_people(match)
    side = side_of(match, by)
    if key is not None:
        existing = Session.objects.filter(booking_key=key).first()
        if existing is not None:
            if existing.match_id != match.pk:
                raise ValidationError(
                    _("This form was already used. Open the booking page again."), code="key"
                )
            return existing
    _check_active(match)
    starts_at = starts_at.astimezone(UTC)
    ends_at = _check_time(match=match, starts_at=starts_at, side=side, now=now)
    place, link = _where(
        match=match, mode=mode, place=place, link=link, side=side, required=side == MENTOR
    )
    session = Session(
        match=match,
        mentor_id=match.mentor_id,
        participant_id=match.participant_id,
        starts_at=starts_at,
        ends_at=ends_at,
        mode=mode,
        place=place,
        link=link,
        requested_by=by,
        booking_key=key,
    )
    _save(session, side=side)
    session_mail.session_notice_schedule(session=session, notice=session_mail.REQUESTED, actor=by)
    return session


def _locked(session: Session) -> Session:
    return (
        Session.objects.select_for_update(of=("self",))
        .select_related("match__mentor__user", "match__participant__user", "participant__site")
        .get(pk=session.pk)
    )


def _check_to_come(session: Session, now) -> None:
    if session.starts_at <= now:
        raise ValidationError(
            _("This session has already begun: it can no longer be changed."), code="started"
        )


@transaction.atomic
def session_confirm(*, session: Session, by, place: str = "", link: str = "", now=None) -> Session:
    """The other person confirms a session asked for; a mentor confirming may add the place
    or the link. The reminders are queued and the asker receives the invitation. A second
    click finds it confirmed and does nothing more."""
    now = now or timezone.now()
    session = _locked(session)
    side = side_of(session.match, by)
    if session.status == Session.Status.CONFIRMED:
        return session
    if session.status != Session.Status.REQUESTED:
        raise ValidationError(
            _("This session is %(status)s: it cannot be confirmed.")
            % {"status": session.get_status_display().lower()},
            code="status",
        )
    if session.requested_by_id == by.pk:
        raise ValidationError(
            _("You asked for this session: the other person confirms it."), code="own_request"
        )
    _check_active(session.match)
    _check_to_come(session, now)
    # The asker's own choice of mode stands; only the place or link may be added now.
    if side == MENTOR:
        place = place or session.place
        link = link or session.link
    else:
        place, link = session.place, session.link
    session.place, session.link = _where(
        match=session.match, mode=session.mode, place=place, link=link, side=MENTOR, required=True
    )
    session.status = Session.Status.CONFIRMED
    session.sequence += 1
    session.save(update_fields=["place", "link", "status", "sequence", "updated_at"])
    session_mail.session_reminders_queue(session=session, now=now)
    session_mail.session_notice_schedule(session=session, notice=session_mail.CONFIRMED, actor=by)
    return session


@transaction.atomic
def session_reschedule(*, session: Session, starts_at: datetime, by, now=None) -> Session:
    """Move a session to come to ``starts_at``, with the checks of a booking by ``by``'s side
    (the session's own time does not count as busy). A second submit of the same time does
    nothing more."""
    now = now or timezone.now()
    match = _lock_people(session.match)
    session = _locked(session)
    side = side_of(match, by)
    starts_at = starts_at.astimezone(UTC)
    if session.status not in (Session.Status.REQUESTED, Session.Status.CONFIRMED):
        raise ValidationError(
            _("This session is %(status)s: it cannot be moved.")
            % {"status": session.get_status_display().lower()},
            code="status",
        )
    if session.starts_at == starts_at:
        return session
    _check_active(match)
    _check_to_come(session, now)
    session.ends_at = _check_time(
        match=match, starts_at=starts_at, side=side, now=now, exclude_pk=session.pk
    )
    session.starts_at = starts_at
    session.sequence += 1
    fields = ["starts_at", "ends_at", "sequence", "updated_at"]
    if session.status == Session.Status.REQUESTED:
        session.requested_by = by
        fields.append("requested_by")
    _save(session, side=side, fields=fields)
    session.reminders.filter(sent_at__isnull=True).delete()
    if session.status == Session.Status.CONFIRMED:
        session_mail.session_reminders_queue(session=session, now=now)
    session_mail.session_notice_schedule(session=session, notice=session_mail.RESCHEDULED, actor=by)
    return session


def is_late(session: Session, *, side: str, now) -> bool:
    """A participant cancelling a confirmed session less than ``MENTORS_LATE_CANCEL`` before
    its start."""
    return (
        side == PARTICIPANT
        and session.status == Session.Status.CONFIRMED
        and session.starts_at - now < app_settings.LATE_CANCEL
    )


@transaction.atomic
def session_cancel(*, session: Session, by, reason: str, now=None) -> Session:
    """Cancel a session to come, with a reason the other person reads. Late when the
    participant cancels a confirmed session less than 24 hours before (see the module). Its
    reminders then send nothing (the task checks the status). A second click does nothing."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the session is cancelled."), code="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            _("Write at most %(max)d characters.") % {"max": REASON_MAX_LENGTH}, code="reason"
        )
    session = _locked(session)
    side = side_of(session.match, by)
    if session.status in (Session.Status.CANCELLED, Session.Status.LATE_CANCELLED):
        return session
    _check_to_come(session, now)
    status = Session.Status.LATE_CANCELLED if is_late(session, side=side, now=now) else None
    status = status or Session.Status.CANCELLED
    if status not in Session.TRANSITIONS[session.status]:
        raise ValidationError(
            _("This session is %(status)s: it cannot be cancelled.")
            % {"status": session.get_status_display().lower()},
            code="status",
        )
    session.status = status
    session.cancel_reason = reason
    session.cancelled_by = by
    session.sequence += 1
    session.save(
        update_fields=["status", "cancel_reason", "cancelled_by", "sequence", "updated_at"]
    )
    session_mail.session_notice_schedule(session=session, notice=session_mail.CANCELLED, actor=by)
    return session


@transaction.atomic
def session_cancel_upcoming(*, match: Match, by, reason: str, now=None) -> int:
    """Cancel the sessions of ``match`` still to come (asked or confirmed), e.g. when the match
    ends. Their reminders send nothing (the reminder task checks the status). Returns how many."""
    now = now or timezone.now()
    return Session.objects.filter(
        match=match,
        status__in=(Session.Status.REQUESTED, Session.Status.CONFIRMED),
        starts_at__gt=now,
    ).update(
        status=Session.Status.CANCELLED,
        cancel_reason=reason,
        cancelled_by=by,
        sequence=F("sequence") + 1,
        updated_at=now,
    )
