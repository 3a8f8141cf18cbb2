"""Words the search treats as the same, kept by editors (spelling variants, jargon, acronyms)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

_SEPARATORS = re.compile(r"[,;\n]+")


def split_terms(text: str) -> list[str]:
    """The distinct terms of a group, lower case, in the order written."""
    terms = (" ".join(part.split()).casefold() for part in _SEPARATORS.split(text or ""))
    return list(dict.fromkeys(term for term in terms if term))


class SearchSynonym(models.Model):
    """A group of words that mean the same to the people searching.

    Participants write as they speak ("forfetario", "forfettario", "flat tax"): searching for
    any word of a group also finds the content that uses another one. Editors keep the groups
    as a snippet; every search box of the site uses them (``resources.search``).
    """

    terms = models.TextField(
        _("words that mean the same"),
        help_text=_(
            "Two or more words or short phrases, separated by commas, e.g. 'forfetario, "
            "forfettario, regime forfettario'. Searching for any of them finds them all."
        ),
    )
    note = models.CharField(
        _("note for editors"),
        max_length=200,
        blank=True,
        help_text=_("Optional: why these words belong together."),
    )

    panels = [FieldPanel("terms"), FieldPanel("note")]

    class Meta:
        verbose_name = _("search synonyms")
        verbose_name_plural = _("search synonyms")
        ordering = ["terms"]

    def __str__(self) -> str:
        return ", ".join(self.term_list)

    @property
    def term_list(self) -> list[str]:
        return split_terms(self.terms)

    def clean(self):
        super().clean()
        if len(self.term_list) < 2:
            raise ValidationError(
                {"terms": _("Write at least two different words, separated by commas.")}
            )
        self.terms = ", ".join(self.term_list)
