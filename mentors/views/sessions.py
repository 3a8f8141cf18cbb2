"""Sessions on the public site: booking, the session's page, confirming, moving, cancelling.

- ``session_book``: the participant picks one of the mentor's free slots (radio buttons
  grouped by day, no JavaScript needed); the mentor proposes a day and a time.
- ``session_detail``: the time in Italian time, the place or the link, the status, what the
  reader may do, the .ics download. Only the two people of the session see it.
- ``session_confirm``, ``session_reschedule``, ``session_cancel``: the changes.

Thin: who sees what is ``mentors.selectors`` and ``mentors.selectors_sessions``; every change
and every rule is ``mentors.services.sessions``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from coaching.models import MeetingMode
from mentors import selectors
from mentors.availability import by_day
from mentors.conf import app_settings
from mentors.forms.sessions import (
    CancelForm,
    ConfirmForm,
    DateTimeForm,
    MentorProposalForm,
    ParticipantBookingForm,
    SlotForm,
    slot_value,
)
from mentors.models import Session
from mentors.selectors_sessions import match_free_slots, session_for_person_or_404, zone
from mentors.services import sessions as services

#: Statuses in which a session can still be moved or cancelled.
OPEN = (Session.Status.REQUESTED, Session.Status.CONFIRMED)


def _slot_groups(slots):
    """The free slots by day, each with the value and the id its radio button needs (the
    first is ``id_slot_0``, where the error summary links)."""
    rome, index, groups = zone(), 0, []
    for day, day_slots in by_day(slots, rome):
        items = []
        for slot in day_slots:
            items.append(
                {
                    "id": f"id_slot_{index}",
                    "value": slot_value(slot.starts_at),
                    "starts": slot.starts_at.astimezone(rome),
                    "ends": slot.ends_at.astimezone(rome),
                }
            )
            index += 1
        groups.append({"day": day, "slots": items})
    return groups


def _common(**context):
    return {"zone_name": app_settings.TIME_ZONE, "weeks": app_settings.BOOKING_WEEKS, **context}


@login_required
def session_book(request, pk):
    """Book a session with the other person of an accepted match of mine."""
    match = selectors.match_for_person_or_404(request.user, pk)
    side = services.side_of(match, request.user)
    now = timezone.now()
    modes = match.mentor.meeting_modes
    slots = []
    if side == services.PARTICIPANT:
        slots = match_free_slots(match=match, now=now)
        form = ParticipantBookingForm(request.POST or None, modes=modes)
    else:
        form = MentorProposalForm(request.POST or None, modes=modes)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                session = services.session_book(
                    match=match,
                    starts_at=form.starts_at,
                    by=request.user,
                    mode=data["mode"],
                    place=data.get("place", ""),
                    link=data.get("link", ""),
                    key=data["key"],
                    now=now,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Your request has been sent. %(name)s will confirm it.")
                    % {"name": _other_name(match, side)},
                )
                return redirect("mentors:session_detail", session.pk)
        status = 400
    return render(
        request,
        "mentors/sessions/book.html",
        _common(
            match=match,
            side=side,
            form=form,
            groups=_slot_groups(slots),
            chosen=request.POST.get("slot", ""),
            other=_other_name(match, side),
        ),
        status=status,
    )


def _other_name(match, side) -> str:
    if side == services.MENTOR:
        return match.participant.greeting_name
    return match.mentor.user.first_name or str(match.mentor)


def _actions(session: Session, side: str, user, now) -> dict:
    to_come = session.starts_at > now
    return {
        "can_confirm": to_come
        and session.status == Session.Status.REQUESTED
        and session.requested_by_id != user.pk,
        "waiting_for_other": to_come
        and session.status == Session.Status.REQUESTED
        and session.requested_by_id == user.pk,
        "can_change": to_come and session.status in OPEN,
        "late_if_cancelled": services.is_late(session, side=side, now=now),
        # Once it has started: the mentor records how it went, the participant gives feedback.
        "can_report": side == services.MENTOR
        and not to_come
        and session.status in (*Session.BUSY, Session.Status.LATE_CANCELLED),
        "can_give_feedback": side == services.PARTICIPANT and session.status == Session.Status.HELD,
    }


def _confirm_asks(session: Session, side: str) -> tuple[str, ...]:
    """What the mentor must add when confirming: the place or the link, if missing."""
    if side != services.MENTOR:
        return ()
    if session.mode == MeetingMode.IN_PERSON and not session.place:
        return ("place",)
    if session.mode == MeetingMode.REMOTE and not session.link:
        return ("link",)
    return ()


def _detail_context(session, user, **extra):
    side = services.side_of(session.match, user)
    now = timezone.now()
    return _common(
        session=session,
        side=side,
        other=_other_name(session.match, side),
        **_actions(session, side, user, now),
        **extra,
    )


@login_required
def session_detail(request, pk):
    session = session_for_person_or_404(request.user, pk)
    side = services.side_of(session.match, request.user)
    confirm_form = ConfirmForm(ask=_confirm_asks(session, side))
    return render(
        request,
        "mentors/sessions/detail.html",
        _detail_context(session, request.user, confirm_form=confirm_form),
    )


@login_required
def session_confirm(request, pk):
    """Confirm a session the other person asked for (GET shows the same form alone)."""
    session = session_for_person_or_404(request.user, pk)
    side = services.side_of(session.match, request.user)
    form = ConfirmForm(request.POST or None, ask=_confirm_asks(session, side))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.session_confirm(
                    session=session,
                    by=request.user,
                    place=form.cleaned_data.get("place", ""),
                    link=form.cleaned_data.get("link", ""),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The session is confirmed."))
                return redirect("mentors:session_detail", session.pk)
        status = 400
    return render(
        request,
        "mentors/sessions/confirm.html",
        _detail_context(session, request.user, form=form),
        status=status,
    )


@login_required
def session_reschedule(request, pk):
    """Move a session: the participant to another free slot, the mentor to any time."""
    session = session_for_person_or_404(request.user, pk)
    side = services.side_of(session.match, request.user)
    now = timezone.now()
    slots = []
    if side == services.PARTICIPANT:
        slots = match_free_slots(match=session.match, now=now, exclude_pk=session.pk)
        form = SlotForm(request.POST or None)
    else:
        form = DateTimeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.session_reschedule(
                    session=session, starts_at=form.starts_at, by=request.user, now=now
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("The session has been moved. We told %(name)s.")
                    % {"name": _other_name(session.match, side)},
                )
                return redirect("mentors:session_detail", session.pk)
        status = 400
    return render(
        request,
        "mentors/sessions/reschedule.html",
        _detail_context(
            session,
            request.user,
            form=form,
            groups=_slot_groups(slots),
            chosen=request.POST.get("slot", ""),
        ),
        status=status,
    )


@login_required
def session_cancel(request, pk):
    session = session_for_person_or_404(request.user, pk)
    form = CancelForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                session = services.session_cancel(
                    session=session, by=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The session is cancelled. We told the other person."))
                return redirect("mentors:session_detail", session.pk)
        status = 400
    return render(
        request,
        "mentors/sessions/cancel.html",
        _detail_context(session, request.user, form=form),
        status=status,
    )


urlpatterns = [
    path("matches/<int:pk>/book/", session_book, name="session_book"),
    path("sessions/<int:pk>/", session_detail, name="session_detail"),
    path("sessions/<int:pk>/confirm/", session_confirm, name="session_confirm"),
    path("sessions/<int:pk>/reschedule/", session_reschedule, name="session_reschedule"),
    path("sessions/<int:pk>/cancel/", session_cancel, name="session_cancel"),
]
