"""The mentoring plan: milestones a site's coordinators template, ticked off per participant."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import TranslatableMixin

from coaching.models import Stage


class Milestone(TranslatableMixin, models.Model):
    """A step of the mentoring plan of a site (idea validated, plan drafted, plan reviewed,
    grant applied, business registered). Reaching one can move the participant's path stage
    on (``stage``), never back."""

    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="mentor_milestones",
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("what it means"), max_length=300, blank=True)
    stage = models.CharField(
        _("moves the path to"),
        max_length=20,
        choices=Stage.choices,
        blank=True,
        help_text=_(
            "When the mentor ticks it, the participant's path moves on to this stage (never back)."
        ),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("mentoring milestone")
        verbose_name_plural = _("mentoring milestones")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.stage == Stage.EXIT:
            raise ValidationError(
                {"stage": _("The exit is recorded by a coordinator, not reached by a milestone.")}
            )


class MilestoneDone(models.Model):
    """A participant reached a milestone; ticked by their mentor or by themselves."""

    participant = models.ForeignKey(
        "coaching.Participant",
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="mentor_milestones_done",
    )
    #: The milestone's ``translation_key``: the same step in every language.
    milestone_key = models.UUIDField(_("milestone"))
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ticked by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    done_at = models.DateTimeField(_("done at"))

    class Meta:
        verbose_name = _("milestone reached")
        verbose_name_plural = _("milestones reached")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "milestone_key"], name="mentors_milestone_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.milestone_key}"


@register_setting(icon="group")
class MatchingSettings(BaseSiteSetting):
    """How much each part of the fit counts when this site's mentors are matched. The
    coordinators of the site set them; ``mentors.matching.Weights`` reads them."""

    sector = models.FloatField(
        _("same sector"), default=2.0, help_text=_("The mentor knows the participant's sector.")
    )
    needs = models.FloatField(
        _("needs covered"),
        default=3.0,
        help_text=_("The mentor's skills cover what the participant needs."),
    )
    language = models.FloatField(
        _("shared language"), default=1.0, help_text=_("They speak a language in common.")
    )
    place = models.FloatField(
        _("place or online"),
        default=1.0,
        help_text=_("They can meet the way the participant prefers."),
    )
    availability = models.FloatField(
        _("free at the same times"),
        default=2.0,
        help_text=_("Their free hours in the week overlap."),
    )
    load = models.FloatField(
        _("mentor's free places"),
        default=1.0,
        help_text=_("Prefer mentors who have more room for new mentees."),
    )
    threshold = models.FloatField(
        _("minimum fit"),
        default=1.0,
        help_text=_("Pairs below this fit are never proposed."),
    )

    class Meta:
        verbose_name = _("mentor matching")
        verbose_name_plural = _("mentor matching")

    def weights(self):
        from mentors.matching import Weights

        return Weights(**{name: getattr(self, name) for name in Weights.__dataclass_fields__})

    @classmethod
    def get_permission_policy(cls):
        """Coordinators edit the weights of their own sites only (``mentors.permissions``)."""
        from mentors.permissions import StaffSitePermissionPolicy

        return StaffSitePermissionPolicy(cls)


__all__ = ["MatchingSettings", "Milestone", "MilestoneDone"]
