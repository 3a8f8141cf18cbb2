"""The topic taxonomy editors manage (green transition, legal and tax basics, ...)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import TranslatableMixin
from wagtail.search import index

from resources.models.choices import BusinessPlanSection


class Topic(TranslatableMixin, index.Indexed, models.Model):
    """A subject the library is organised by; every resource belongs to one or more topics.

    Topics are snippets so editors add and translate them without a developer. The slug is the
    same in every language (translations copy it), so filters work across languages.
    """

    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        help_text=_("The short name used in web addresses, e.g. 'green-transition'."),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("One or two sentences shown on the topic's page and in the filters."),
    )
    business_plan_section = models.CharField(
        _("business plan section"),
        max_length=32,
        choices=BusinessPlanSection.choices,
        blank=True,
        help_text=_(
            "The part of the business plan this topic helps with, so the plan can suggest "
            "the right lessons."
        ),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("business_plan_section"),
    ]

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["locale", "slug"], name="resources_topic_unique_slug")
        ]

    def __str__(self) -> str:
        return self.name
