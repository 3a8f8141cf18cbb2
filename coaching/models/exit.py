"""Leaving the path: the ESF+ immediate results, a registered business, and the follow-ups."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def vat_number_is_valid(value: str) -> bool:
    """Italian partita IVA: 11 digits, the last a Luhn-style check digit."""
    if len(value) != 11 or not value.isdigit():
        return False
    digits = [int(c) for c in value]
    total = 0
    for index, digit in enumerate(digits[:10]):
        if index % 2 == 0:
            total += digit
        else:
            doubled = digit * 2
            total += doubled - 9 if doubled > 9 else doubled
    return (10 - total % 10) % 10 == digits[10]


class LegalForm(models.TextChoices):
    SOLE_TRADER = "sole_trader", _("Sole trader (ditta individuale)")
    FLAT_RATE = "flat_rate", _("Self-employed with flat-rate tax (regime forfettario)")
    COOPERATIVE = "cooperative", _("Cooperative")
    SRL = "srl", _("Limited company (S.r.l. / S.r.l.s.)")
    PARTNERSHIP = "partnership", _("Partnership (S.n.c. / S.a.s.)")
    OTHER = "other", _("Other")


class ExitRecord(models.Model):
    """The ESF+ immediate results on the day the person left the path.

    One per participation: a person who re-enters after an exit (``Participant.participation``
    goes up at each acceptance) can leave again, and ESF+ counts each exit. The entry snapshot
    stays the first one (``EntryRecord``); the entry of a later participation is in the stage
    history and ``Participant.decided_at``.
    """

    participant = models.ForeignKey(
        "coaching.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="exit_records",
    )
    participation = models.PositiveSmallIntegerField(_("participation"), default=1)
    exit_date = models.DateField(_("exit date"))
    in_employment = models.BooleanField(
        _("in employment, including self-employment"), default=False
    )
    in_education = models.BooleanField(_("in education or training"), default=False)
    gained_qualification = models.BooleanField(_("gained a qualification"), default=False)
    job_searching = models.BooleanField(_("searching for a job"), default=False)
    business_registered = models.BooleanField(_("business registered"), default=False)
    registration_date = models.DateField(_("registration date"), null=True, blank=True)
    legal_form = models.CharField(
        _("legal form"), max_length=20, choices=LegalForm.choices, blank=True
    )
    vat_number = models.CharField(_("VAT number (partita IVA)"), max_length=11, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("exit record")
        verbose_name_plural = _("exit records")
        ordering = ["participant", "participation"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "participation"], name="coaching_one_exit_per_participation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} {self.exit_date}"


class FollowUp(models.Model):
    """A durable follow-up due some time after exit (4 weeks, 6 months).

    The record is the truth about what is due; the background task enqueued with ``run_after``
    is only the alarm clock, and a periodic sweep of due records catches any lost task.
    """

    class Kind(models.TextChoices):
        FOUR_WEEKS = "4w", _("4 weeks after exit")
        SIX_MONTHS = "6m", _("6 months after exit")

    #: When each kind is due: (days, months) after the exit date (ESF+ longer-term results).
    #: The default of ``COACHING_FOLLOWUP_SCHEDULE``, which may change the times, not the kinds.
    SCHEDULE = {Kind.FOUR_WEEKS: (28, 0), Kind.SIX_MONTHS: (0, 6)}

    class Situation(models.TextChoices):
        SELF_EMPLOYED = "self_employed", _("I run my own business")
        EMPLOYED = "employed", _("I am employed")
        EDUCATION = "education", _("I am studying or training")
        SEARCHING = "searching", _("I am looking for work")
        OTHER = "other", _("Other")

    participant = models.ForeignKey(
        "coaching.Participant",
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    participation = models.PositiveSmallIntegerField(_("participation"), default=1)
    kind = models.CharField(_("follow-up"), max_length=2, choices=Kind.choices)
    due_at = models.DateTimeField(_("due at"), db_index=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    situation = models.CharField(
        _("situation"), max_length=20, choices=Situation.choices, blank=True
    )
    business_active = models.BooleanField(_("business still active"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "participation", "kind"],
                name="coaching_one_followup_per_exit_and_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.completed_at is None

    def is_due(self, now: datetime.datetime | None = None) -> bool:
        """Open, and its time has come: the one rule for when it may be answered
        (``followup_complete`` refuses an answer otherwise)."""
        return self.is_open and self.due_at <= (now or timezone.now())
