"""Case notes: what a coordinator writes down about a participant's case."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coaching.models.path import REASON_MAX_LENGTH, AppendOnlyModel, length_at_most

#: Longest case note: a few paragraphs, the length of a staff reason.
CASE_NOTE_MAX_LENGTH = REASON_MAX_LENGTH


class CaseNote(AppendOnlyModel):
    """A coordinator's note on a participant's case (a phone call, a document seen, a doubt).

    Private to the coordinators of the participant's site (``selectors.case_notes_for_staff``),
    never shown to mentors; every read and every new note is an access-log entry. Notes are
    append-only: a correction is a new note, so what was written and when stays true. The
    person may read them in their own data export (right of access). Erasure blanks the text
    (``services.notes.case_notes_erase``): a note is not an ESF+ record, only that it existed,
    who wrote it and when are kept, with the participant reference.
    """

    participant = models.ForeignKey(
        "coaching.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="case_notes",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    text = models.TextField(_("note"), blank=True)
    erased_at = models.DateTimeField(_("text erased at"), null=True, blank=True)
    #: The one-time key of the form that wrote the note: the same form sent twice finds it.
    request_key = models.UUIDField(
        _("form key"), null=True, blank=True, unique=True, editable=False
    )
    created_at = models.DateTimeField(_("when"), db_index=True)

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["participant", "-created_at", "-pk"]
        constraints = [
            length_at_most("text", CASE_NOTE_MAX_LENGTH, "coaching_case_note_max_length"),
            # Empty only once erased.
            models.CheckConstraint(
                condition=~models.Q(text="") | models.Q(erased_at__isnull=False),
                name="coaching_case_note_has_text",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} @ {self.created_at:%Y-%m-%d %H:%M}"
