"""Evaluation: evaluators assigned to an application, their declaration of no conflict of
interest (before they may read it) and their scores per criterion."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Assignment(models.Model):
    """An evaluator asked to score one application. They read it only after declaring that
    they have no conflict of interest; declaring one ends the assignment (the coordinator
    assigns someone else)."""

    class Conflict(models.TextChoices):
        UNDECLARED = "undeclared", _("Not declared yet")
        NONE = "none", _("No conflict of interest")
        CONFLICT = "conflict", _("Conflict of interest")

    application = models.ForeignKey(
        "grants.GrantApplication", on_delete=models.CASCADE, related_name="assignments"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluator"),
        on_delete=models.PROTECT,
        related_name="grant_assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    conflict = models.CharField(
        _("conflict of interest"),
        max_length=12,
        choices=Conflict.choices,
        default=Conflict.UNDECLARED,
    )
    conflict_note = models.TextField(_("about the conflict"), max_length=1000, blank=True)
    declared_at = models.DateTimeField(_("declared"), null=True, blank=True)
    comment = models.TextField(_("overall comment"), max_length=4000, blank=True)
    submitted_at = models.DateTimeField(_("scores submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ("application", "assigned_at", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("application", "evaluator"), name="grants_evaluator_once"
            )
        ]

    def __str__(self):
        return f"{self.application} · {self.evaluator}"

    @property
    def may_read(self) -> bool:
        return self.conflict == self.Conflict.NONE


class Score(models.Model):
    """One evaluator's score of one criterion, with the reason for it."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        "grants.GrantCriterion", on_delete=models.PROTECT, related_name="+"
    )
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("why"), max_length=2000)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=("assignment", "criterion"), name="grants_score_once")
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"
