"""A business plan as a PDF: the same read-only document the version page shows
(``plans/includes/document.html``), the year and month tables and both charts, in the plan's
language. Rendered by ``resources.pdf.html_pdf``, the one module that talks to WeasyPrint.

Everything the PDF needs is in the HTML (styles inline, charts as inline SVG), so rendering
never fetches a file and a participant's text cannot make it fetch one: their text is
autoescaped like on every page.
"""

from __future__ import annotations

import base64
import re

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from wagtail import hooks

from coaching.plans import charts
from coaching.plans.document import PlanDocument
from resources.pdf import html_pdf

_SERIES_ID = re.compile(r' id="activate-serie-\d+"')
_NUMBER = "\x00number\x00"
_TOTAL = "\x00total\x00"


def _css_string(text: str) -> str:
    """A title the participant typed, or a translation, as the inside of a CSS string: every
    character but ASCII letters and digits written as a six-digit escape, so no quote,
    newline, carriage return, form feed or ``<`` can end the string or the <style> (spaces
    too: CSS swallows one space after an escape)."""
    return "".join(
        char if char.isascii() and char.isalnum() else f"\\{ord(char):06x}" for char in text
    )


def page_counter_css() -> str:
    """The CSS ``content`` of the footer, "Page 3 of 12" in the active language: the
    translated sentence cut around WeasyPrint's page counters, so translators keep one
    msgid and the order of its words."""
    sentence = _("Page %(number)s of %(total)s") % {"number": _NUMBER, "total": _TOTAL}
    counters = {_NUMBER: " counter(page) ", _TOTAL: " counter(pages) "}
    parts = re.split(f"({_NUMBER}|{_TOTAL})", sentence)
    return "".join(counters.get(part) or f'"{_css_string(part)}"' for part in parts)


def _language_name(code: str) -> str:
    try:
        return translation.get_language_info(code)["name_translated"]
    except KeyError:
        return dict(settings.LANGUAGES).get(code, code)


def _chart(figures, name: str, language: str) -> dict:
    svg = charts.chart_svg(figures, name, language=language)
    # Both charts name a series "activate-serie-0" for pygal's script, which is gone: in one
    # document the repeated id would be a broken anchor.
    svg = _SERIES_ID.sub("", svg)
    return {
        "svg": mark_safe(svg),  # drawn by pygal from numbers and our own labels only
        "summary": charts.summary(figures, name),
    }


#: The host says how its municipality signs a document: ``fn(site) -> {"name": str,
#: "logo_png": bytes | None}``; the apps never import the host's settings models.
MUNICIPALITY_HOOK = "avvio_municipality_header"


def municipality_header(site) -> dict:
    """The municipality's name and logo for the top of the first page, the logo inlined as
    a data URI so rendering reads no file from a URL. Without the host's hook, the Wagtail
    site's name."""
    if site is None:
        return {"name": "", "logo": ""}
    header = {"name": site.site_name, "logo_png": None}
    for fn in hooks.get_hooks(MUNICIPALITY_HOOK):
        header.update(fn(site) or {})
    logo = header.get("logo_png")
    return {
        "name": header.get("name") or "",
        "logo": "data:image/png;base64," + base64.b64encode(logo).decode() if logo else "",
    }


def plan_pdf(document: PlanDocument, *, site=None, version=None) -> bytes:
    """``document`` (the plan now, or a kept version's snapshot) as PDF bytes, under the
    header of ``site``'s municipality. ``version``, a ``PlanVersion``, adds its number and
    date to the title block."""
    with translation.override(document.language):
        figures = document.figures
        html = render_to_string(
            "plans/pdf.html",
            {
                "document": document,
                "municipality": municipality_header(site),
                "version": version,
                "figures": figures,
                "language_name": _language_name(document.language),
                "generated_at": timezone.localtime(),
                "page_counter": mark_safe(page_counter_css()),  # escaped in CSS
                "footer_title": mark_safe(f'"{_css_string(document.title[:60])}"'),
                "cash_chart": _chart(figures, charts.CASH, document.language),
                "years_chart": _chart(figures, charts.YEARS, document.language),
            },
        )
    return html_pdf(html)
