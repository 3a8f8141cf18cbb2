"""The self-employment path: its stages, the history of moves, messages and the audit trail."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

#: Longest reason staff may write for a decision, a stage change, an erasure or a correction.
REASON_MAX_LENGTH = 2000
#: Longest declaration of how a person gave their consent at assisted enrolment.
DECLARATION_MAX_LENGTH = 2000


def length_at_most(field: str, limit: int, name: str) -> models.CheckConstraint:
    """The database's own length check: a TextField has no limit, and SQLite ignores the one
    of a CharField, so forms and services are not the only guard."""
    return models.CheckConstraint(condition=LessThanOrEqual(Length(field), limit), name=name)


class Stage(models.TextChoices):
    INTAKE = "intake", _("Intake")
    ORIENTATION = "orientation", _("Orientation")
    TRAINING = "training", _("Training")
    MENTORING = "mentoring", _("Mentoring")
    BUSINESS_PLAN = "business_plan", _("Business plan")
    FUNDING = "funding", _("Funding")
    START_UP = "start_up", _("Start-up")
    FOLLOW_UP = "follow_up", _("Follow-up")
    EXIT = "exit", _("Exit")

    @classmethod
    def ordered(cls) -> list["Stage"]:
        return list(cls)


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk writes refused as well: ``.delete()`` and ``.update()`` would rewrite the history
    as surely as an instance's ``save()``.

    The one rewrite allowed is erasure's: ``redact()`` blanks personal fields of rows that
    must themselves be kept (the legal obligation is to keep the record, not the person).
    """

    def delete(self):
        raise ValidationError(_("This record is part of the history and cannot be deleted."))

    delete.queryset_only = True

    def update(self, **kwargs):
        raise ValidationError(_("This record is part of the history and cannot be changed."))

    update.queryset_only = True

    def redact(self, **blanks) -> int:
        """Blank the given fields (erasure only); returns the number of rows."""
        return super().update(**blanks)

    redact.queryset_only = True


class AppendOnlyModel(models.Model):
    """A record that is written once and never changed or deleted through the ORM.

    The instance refuses a second ``save()`` and ``delete()``, its queryset refuses
    ``delete()`` and ``update()``, and the foreign keys to the participant are PROTECT: a
    participant with a history cannot be deleted (erasure anonymises instead).
    """

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValidationError(_("This record is part of the history and cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("This record is part of the history and cannot be deleted."))


class StageChange(AppendOnlyModel):
    """One move of a participant along the path (who, when, why). History is never rewritten."""

    participant = models.ForeignKey(
        "coaching.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="stage_changes",
    )
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    # A TextField: the length check below is the limit, the same error on every database.
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("when"), db_index=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["participant", "created_at", "pk"]
        constraints = [
            length_at_most("reason", REASON_MAX_LENGTH, "coaching_stage_reason_max_length")
        ]

    def __str__(self) -> str:
        return f"{self.get_from_stage_display()} → {self.get_to_stage_display()}"


class Notification(models.Model):
    """A message on the participant's dashboard, written in their language when it was sent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="coaching_notifications",
    )
    participant = models.ForeignKey(
        "coaching.Participant",
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("sent at"), db_index=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.subject


class AccessLog(AppendOnlyModel):
    """Audit trail: every time staff look at a participant's personal data (or export it).

    One entry per page shown or file downloaded. An export covers many participants, so it
    names none: ``details`` keeps its format, the filter used and the number of rows.
    """

    class Action(models.TextChoices):
        VIEW_PARTICIPANT = "view_participant", _("Viewed a participant's record")
        VIEW_INTAKE = "view_intake", _("Viewed intake answers")
        EXPORT_PARTICIPANTS = "export_participants", _("Exported the participant list")
        VIEW_SENSITIVE = "view_sensitive", _("Viewed special-category data")
        EDIT_SENSITIVE = "edit_sensitive", _("Changed special-category data")
        ERASE_SENSITIVE = "erase_sensitive", _("Erased special-category data")
        VIEW_CONSENT_DOCUMENT = "view_consent_document", _("Opened a signed consent form")
        EXPORT_OWN_DATA = "export_own_data", _("Downloaded own data")
        ERASE_PARTICIPANT = "erase_participant", _("Erased a participant's personal data")
        VIEW_CASE_NOTES = "view_case_notes", _("Read the case notes")
        ADD_CASE_NOTE = "add_case_note", _("Wrote a case note")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    participant = models.ForeignKey(
        "coaching.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="access_logs",
    )
    action = models.CharField(_("action"), max_length=40, choices=Action.choices)
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), db_index=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Only an export of the list may name no participant.
            models.CheckConstraint(
                condition=models.Q(participant__isnull=False)
                | models.Q(action="export_participants"),
                name="accesslog_participant_unless_export",
            )
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.get_action_display()}"
