"""Snapshots of a plan: at every submission, on request, before a restore, and frozen for a
grant application."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

LABEL_MAX_LENGTH = 120


class PlanVersion(models.Model):
    """The whole plan as it was (texts, canvas, every financial input) as JSON.

    ``data`` is made and read by ``services.versions`` only. A frozen version is the one
    attached to a grant application: never deleted while the plan exists, never changed.
    """

    class Reason(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for review")
        REQUESTED = "requested", _("Saved by hand")
        BEFORE_RESTORE = "before_restore", _("Kept before a restore")
        RESTORED = "restored", _("Restored")
        FROZEN = "frozen", _("Attached to a grant application")

    plan = models.ForeignKey(
        "plans.BusinessPlan", on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    reason = models.CharField(_("why"), max_length=20, choices=Reason.choices)
    label = models.CharField(_("label"), max_length=LABEL_MAX_LENGTH, blank=True)
    data = models.JSONField(_("content"))
    frozen = models.BooleanField(_("frozen"), default=False)
    restored_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("made"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ("-number",)
        constraints = [
            models.UniqueConstraint(fields=("plan", "number"), name="plans_version_number_once")
        ]

    def __str__(self):
        return f"v{self.number}"
