"""The mentor's comments on a plan's sections, in threads that can be resolved."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

COMMENT_MAX_LENGTH = 4_000


class PlanComment(models.Model):
    """A comment on one section, or a reply to one (``parent``: threads are one level deep).

    The mentor the plan is shared with and the owner write them; either resolves a thread.
    """

    plan = models.ForeignKey(
        "plans.BusinessPlan", on_delete=models.CASCADE, related_name="comments"
    )
    section = models.ForeignKey(
        "plans.PlanSection", on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: The one-time key of the form that wrote it: a double click writes one comment.
    form_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("plan comment")
        verbose_name_plural = _("plan comments")
        ordering = ("created_at", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(resolved_at__isnull=True),
                name="plans_only_threads_resolve",
            )
        ]

    def __str__(self):
        return self.body[:60]
