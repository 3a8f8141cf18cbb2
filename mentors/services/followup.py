"""After a session: the mentor's report, the participant's feedback, action items ticked done.

- ``session_report_save``: the mentor records attendance (held, no-show, cancelled at the last
  minute) once the meeting has started, from a confirmed session only (``Session.TRANSITIONS``
  says so); the minutes held, stored as the evidence of the coaching delivered; the summary
  the participant reads; the mentor's private note (``MentorNote``, read only through
  ``mentors.selectors.mentor_note_of``); and the action items. The attendance is recorded
  once; the rest of the report can be completed later while the match lasts.
- ``session_feedback_give``: the participant's two answers after a held session, once.
- ``action_item_mark``: either person of the match ticks an item done, or undone.

Each write locks the row it changes, so a double submit does its effect once: the second
request finds the attendance recorded, the feedback given, the item already ticked, or an
identical action item already written for the session.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from mentors.models import (
    NOTE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    ActionItem,
    Match,
    MentorNote,
    Session,
    SessionFeedback,
)

#: What the mentor may record of a confirmed session once it has started.
ATTENDANCE = (Session.Status.HELD, Session.Status.NO_SHOW, Session.Status.LATE_CANCELLED)
MINUTES_MIN, MINUTES_MAX = 1, 600
ITEM_TEXT_MAX_LENGTH = ActionItem._meta.get_field("text").max_length
FEEDBACK_COMMENT_MAX_LENGTH = REASON_MAX_LENGTH
USEFUL_MIN, USEFUL_MAX = 1, 5

#: The Wagtail log action of a recorded attendance (label in ``mentors.wagtail_hooks``).
REPORT_LOG_ACTION = "mentors.session_report"


@dataclass(frozen=True)
class ActionItemRow:
    """One row of the report's action items: a new item (``item_id`` None), a change to one
    of the session's items, or its removal."""

    text: str
    owner: str
    due_on: datetime.date | None = None
    item_id: int | None = None
    remove: bool = False


def planned_minutes(session: Session) -> int:
    """The session's planned length in minutes: the default of the minutes held."""
    minutes = int((session.ends_at - session.starts_at).total_seconds() // 60)
    return max(MINUTES_MIN, min(MINUTES_MAX, minutes))


def report_problem(session: Session, now=None) -> str | None:
    """Why the attendance of ``session`` cannot be recorded now, in words; None when it can
    (or was already recorded, and the report may be completed). The view shows it in place
    of the form; ``session_report_save`` refuses with it."""
    now = now or timezone.now()
    if session.status in ATTENDANCE:
        return None
    if session.status == Session.Status.REQUESTED:
        return _("This meeting was never confirmed: there is nothing to report.")
    if session.status == Session.Status.CANCELLED:
        return _("This meeting was cancelled: there is nothing to report.")
    if session.starts_at > now:
        when = formats.date_format(timezone.localtime(session.starts_at), "DATETIME_FORMAT")
        return _("You can write the report once the meeting has started (%(when)s).") % {
            "when": when
        }
    return None


def too_long_messages() -> dict[str, str]:
    """What to say of each text that is too long; the forms say the same."""
    return {
        "summary": _("The summary can be at most %(limit_value)d characters long."),
        "note": _("The private note can be at most %(limit_value)d characters long."),
        "text": _("An action item can be at most %(limit_value)d characters long."),
        "comment": _("The comment can be at most %(limit_value)d characters long."),
    }


def _check_text(value: str, limit: int, name: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationError(too_long_messages()[name] % {"limit_value": limit})
    return value


def _minutes(attendance: str, minutes_held) -> int | None:
    if attendance != Session.Status.HELD:
        return None
    if minutes_held is None:
        raise ValidationError(_("Write how many minutes the meeting lasted."))
    if not MINUTES_MIN <= int(minutes_held) <= MINUTES_MAX:
        raise ValidationError(
            _("A meeting lasts from %(min)s to %(max)s minutes.")
            % {"min": MINUTES_MIN, "max": MINUTES_MAX}
        )
    return int(minutes_held)


def _note_save(*, session: Session, by, note: str) -> None:
    """One private note per session and mentor: written, rewritten, or removed when blank."""
    existing = MentorNote.objects.filter(session=session, author=by).first()
    if note and existing is None:
        MentorNote.objects.create(session=session, author=by, body=note)
    elif note and existing.body != note:
        existing.body = note
        existing.save(update_fields=["body", "updated_at"])
    elif not note and existing is not None:
        existing.delete()


def _items_save(*, session: Session, by, rows) -> None:
    for row in rows:
        if row.item_id is not None:
            # Only the session's own items: an id of another session changes nothing.
            item = ActionItem.objects.filter(pk=row.item_id, session=session).first()
            if item is None:
                continue
            if row.remove:
                item.delete()
                continue
        elif row.remove:
            continue
        text = _check_text(row.text, ITEM_TEXT_MAX_LENGTH, "text")
        if not text:
            raise ValidationError(_("Write what is to be done, or remove the row."))
        if row.owner not in ActionItem.Owner.values:
            raise ValidationError(_("Say who does it: the participant or the mentor."))
        if row.item_id is not None:
            item.text, item.owner, item.due_on = text, row.owner, row.due_on
            item.save(update_fields=["text", "owner", "due_on"])
            continue
        # The same item posted twice (a double click) is written once.
        _item, _created = ActionItem.objects.get_or_create(
            match=session.match,
            session=session,
            text=text,
            owner=row.owner,
            due_on=row.due_on,
            defaults={"created_by": by},
        )


@transaction.atomic
def session_report_save(
    *,
    session: Session,
    by,
    attendance: str,
    minutes_held: int | None = None,
    summary: str = "",
    note: str = "",
    action_items: list[ActionItemRow] | tuple = (),
    now=None,
) -> Session:
    """Record what happened at ``session`` and what follows from it. Only its mentor, while
    the match is accepted. The attendance moves a confirmed session, once it has started, to
    held, no-show or cancelled at the last minute; recorded, it stays (a second submit of the
    same answer changes nothing, another answer is refused). The minutes are required when
    held (1 to 600) and empty otherwise."""
    now = now or timezone.now()
    locked = (
        Session.objects.select_for_update()
        .select_related("match", "mentor", "participant")
        .get(pk=session.pk)
    )
    if locked.mentor.user_id != by.pk or locked.match.status != Match.Status.ACCEPTED:
        raise PermissionDenied
    problem = report_problem(locked, now)
    if problem:
        raise ValidationError(problem)
    if attendance not in ATTENDANCE:
        raise ValidationError(_("Say whether the meeting was held."))
    if locked.status in ATTENDANCE and attendance != locked.status:
        raise ValidationError(
            _("The attendance is already recorded (%(status)s): it cannot be changed.")
            % {"status": locked.get_status_display().lower()}
        )
    if attendance not in Session.TRANSITIONS[Session.Status.CONFIRMED]:
        raise ValidationError(_("Say whether the meeting was held."))
    minutes = _minutes(attendance, minutes_held)
    summary = _check_text(summary, SUMMARY_MAX_LENGTH, "summary")
    note = _check_text(note, NOTE_MAX_LENGTH, "note")

    fields = {"summary": summary, "minutes_held": minutes}
    status_changed = locked.status != attendance
    evidence_changed = status_changed or locked.minutes_held != minutes
    if status_changed:
        fields["status"] = attendance
        fields["sequence"] = F("sequence") + 1
    Session.objects.filter(pk=locked.pk).update(updated_at=now, **fields)
    _note_save(session=locked, by=by, note=note)
    _items_save(session=locked, by=by, rows=action_items)
    if evidence_changed:
        # The evidence of coaching delivered: who recorded what, when; never the texts.
        log(
            instance=locked.participant,
            action=REPORT_LOG_ACTION,
            user=by,
            title=locked.participant.reference,
            data={"session": locked.pk, "status": str(attendance), "minutes_held": minutes},
            timestamp=now,
        )
    locked.refresh_from_db()
    return locked


def feedback_problem(session: Session) -> str | None:
    """Why the participant cannot give feedback on ``session`` (yet), in words."""
    if session.status != Session.Status.HELD:
        return _("You can say how the meeting went once your mentor has recorded it as held.")
    return None


@transaction.atomic
def session_feedback_give(
    *, session: Session, by, useful: int, comment: str = "", now=None
) -> tuple[SessionFeedback, bool]:
    """The participant's two answers on a held session, given once. Returns the feedback and
    whether it was stored now; a second submit finds the first and changes nothing."""
    locked = Session.objects.select_for_update().select_related("participant").get(pk=session.pk)
    if locked.participant.user_id != by.pk:
        raise PermissionDenied
    existing = SessionFeedback.objects.filter(session=locked).first()
    if existing is not None:
        return existing, False
    problem = feedback_problem(locked)
    if problem:
        raise ValidationError(problem)
    try:
        useful = int(useful)
    except (TypeError, ValueError):
        useful = 0
    if not USEFUL_MIN <= useful <= USEFUL_MAX:
        raise ValidationError(_("Choose a number from 1 to 5."))
    comment = _check_text(comment, FEEDBACK_COMMENT_MAX_LENGTH, "comment")
    feedback = SessionFeedback.objects.create(session=locked, useful=useful, comment=comment)
    return feedback, True


@transaction.atomic
def action_item_mark(*, item: ActionItem, by, done: bool, now=None) -> ActionItem:
    """Tick ``item`` done (or undo it). Either person of the accepted match may; ticking an
    item already ticked keeps its first time."""
    now = now or timezone.now()
    locked = (
        ActionItem.objects.select_for_update()
        .select_related("match__mentor", "match__participant")
        .get(pk=item.pk)
    )
    match = locked.match
    if match.status != Match.Status.ACCEPTED or by.pk not in (
        match.mentor.user_id,
        match.participant.user_id,
    ):
        raise PermissionDenied
    if done and locked.done_at is None:
        locked.done_at = now
        locked.save(update_fields=["done_at"])
    elif not done and locked.done_at is not None:
        locked.done_at = None
        locked.save(update_fields=["done_at"])
    return locked
