"""Plan templates: the outline a participant's plan follows, managed per site (its admin form
and panels are in ``coaching/plans/admin.py``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from coaching.plans import canvas

PROMPT_MAX_LENGTH = 2_000
EXAMPLE_MAX_LENGTH = 4_000


class PlanTemplate(ClusterableModel):
    """An ordered list of sections with prompts, examples and word guides, written in one
    language for one municipality (site). Coordinators keep it in the admin; a new plan copies
    the section titles it starts with, and keeps reading the prompts from here."""

    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="plan_templates",
    )
    name = models.CharField(
        _("name"),
        max_length=120,
        help_text=_("Shown to participants when they start a plan, e.g. “Start-up plan”."),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        help_text=_("The language the prompts are written in. Plans in it use this template."),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        max_length=1_000,
        help_text=_("One or two sentences on whom this template is for."),
    )
    is_default = models.BooleanField(
        _("offered first"),
        default=False,
        help_text=_("The template a participant gets unless they choose another."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("plan template")
        verbose_name_plural = _("plan templates")
        ordering = ("site", "language", "name")
        constraints = [
            models.UniqueConstraint(
                fields=("site", "language"),
                condition=Q(is_default=True),
                name="plans_one_default_template_per_site_language",
            )
        ]

    def __str__(self):
        return self.name


class PlanTemplateSection(Orderable, ClusterableModel):
    """One section of a template: what to write and how much.

    Clusterable so that its lessons (a parental many-to-many) are written when the admin saves
    the template with its sections: a plain model would keep them in memory only."""

    template = ParentalKey(PlanTemplate, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(
        _("code"),
        max_length=40,
        help_text=_("A short code that stays the same when the title changes, e.g. “market”."),
    )
    title = models.CharField(_("title"), max_length=120)
    prompt = models.TextField(
        _("what to write"),
        max_length=PROMPT_MAX_LENGTH,
        help_text=_("Plain-language questions that help the person write this section."),
    )
    example = models.TextField(
        _("example answer"),
        max_length=EXAMPLE_MAX_LENGTH,
        blank=True,
        help_text=_("A short, realistic answer for an imaginary business."),
    )
    words_min = models.PositiveIntegerField(_("at least (words)"), null=True, blank=True)
    words_max = models.PositiveIntegerField(_("at most (words)"), null=True, blank=True)
    canvas_boxes = models.JSONField(
        _("lean canvas boxes that help"),
        default=list,
        blank=True,
        help_text=_("Their answers are offered as a start for this section."),
    )
    lessons = ParentalManyToManyField(
        "resources.ResourcePage",
        verbose_name=_("lessons that help"),
        blank=True,
        related_name="+",
    )

    class Meta(Orderable.Meta):
        verbose_name = _("template section")
        verbose_name_plural = _("template sections")
        constraints = [
            models.UniqueConstraint(
                fields=("template", "key"), name="plans_template_section_key_unique"
            ),
            models.CheckConstraint(
                condition=Q(words_min__isnull=True)
                | Q(words_max__isnull=True)
                | Q(words_min__lte=models.F("words_max")),
                name="plans_template_section_words_order",
            ),
        ]

    @property
    def canvas_box_titles(self) -> list:
        return [canvas.TITLES[code] for code in self.canvas_boxes if code in canvas.TITLES]

    def __str__(self):
        return self.title
