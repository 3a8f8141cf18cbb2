"""Case notes: written and read by the coordinators of the participant's site, always logged."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from coaching.models import CASE_NOTE_MAX_LENGTH, AccessLog, CaseNote, Participant
from coaching.selectors import StaffRole, can_manage_participants, may_act_on_site
from coaching.services.audit import access_log_record


def _check_may_act(*, participant: Participant, by) -> None:
    """The coordinators of the participant's site only (the site scoping rule)."""
    if not (
        can_manage_participants(by)
        and may_act_on_site(by, participant.site_id, role=StaffRole.COORDINATOR)
    ):
        raise PermissionDenied


@transaction.atomic
def case_note_add(
    *, participant: Participant, text: str, by, request_key=None, now=None
) -> CaseNote | None:
    """Add a note to the participant's case; the write is an access-log entry.

    ``request_key`` is the form's one-time key: the same form sent twice (a double click)
    adds one note, and the second call returns None.
    """
    _check_may_act(participant=participant, by=by)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the note before saving it."))
    if len(text) > CASE_NOTE_MAX_LENGTH:
        raise ValidationError(
            _("A note can be at most %(limit)d characters long.") % {"limit": CASE_NOTE_MAX_LENGTH}
        )
    # Serialise notes on one participant, so two clicks of the same form cannot both pass.
    Participant.objects.select_for_update().filter(pk=participant.pk).first()
    if request_key and CaseNote.objects.filter(request_key=request_key).exists():
        return None
    now = now or timezone.now()
    note = CaseNote.objects.create(
        participant=participant, author=by, text=text, request_key=request_key, created_at=now
    )
    access_log_record(
        actor=by,
        participant=participant,
        action=AccessLog.Action.ADD_CASE_NOTE,
        details={"note": note.pk},
        now=now,
    )
    return note


def case_notes_read(*, participant: Participant, by, now=None) -> list[CaseNote]:
    """The participant's notes, newest first, for a coordinator of their site.

    Reading is an access-log entry, written before the notes are returned (none when there
    are no notes to read).
    """
    _check_may_act(participant=participant, by=by)
    notes = list(CaseNote.objects.filter(participant=participant).select_related("author"))
    if notes:
        access_log_record(
            actor=by,
            participant=participant,
            action=AccessLog.Action.VIEW_CASE_NOTES,
            details={"notes": len(notes)},
            now=now,
        )
    return notes


def case_notes_erase(*, participant: Participant, now) -> int:
    """Blank the text of the participant's notes (inside the erasure's transaction).

    The rows stay, linked to the reference only: who wrote a note and when is part of the
    case's accountability; what it said is personal data with no legal reason to keep.
    """
    notes: QuerySet = CaseNote.objects.filter(participant=participant, erased_at__isnull=True)
    return notes.redact(text="", erased_at=now)
