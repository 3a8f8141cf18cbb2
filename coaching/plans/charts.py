"""The plan's two charts as SVG: cash month by month, and each year's revenue, costs and result.

Drawn by pygal with no JavaScript (``js=[]``), so the same SVG works as an ``<img>`` on the
finance page, where CSP forbids inline script, and inside the PDF. A chart only repeats what
the table next to it says: pages give it a short text alternative (``summary``) and the table
holds the figures, so no one needs the picture to read the plan.

Amounts are Decimals everywhere else; pygal draws floats, which is fine for a picture.
"""

from __future__ import annotations

from decimal import Decimal
from xml.etree import ElementTree as etree

import pygal
from django.utils import formats, translation
from django.utils.translation import gettext as _
from pygal.style import Style

from coaching.plans.financials import Figures

CASH = "cash"
YEARS = "years"
NAMES = (CASH, YEARS)

#: Bootstrap Italia's primary blue, a dark grey and a green that keep 3:1 against white and
#: against each other; text is the body colour.
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1a1a1a",
    foreground_strong="#1a1a1a",
    foreground_subtle="#5c6f82",
    colors=("#0066cc", "#5c6f82", "#008055"),
    font_family="Titillium Web, Geneva, Tahoma, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=14,
    title_font_size=16,
    value_font_size=12,
    tooltip_font_size=12,
    stroke_width="3",
    opacity="1",
    guide_stroke_color="#c5c7c9",
    major_guide_stroke_color="#5c6f82",
)


def _money(value: float | Decimal) -> str:
    return formats.number_format(Decimal(str(value)).quantize(Decimal("1")), 0, force_grouping=True)


def _config(title: str) -> dict:
    return {
        "title": title,
        "style": STYLE,
        "js": [],
        "width": 720,
        "height": 400,
        "explicit_size": False,
        "disable_xml_declaration": True,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 3,
        "print_values": False,
        "value_formatter": _money,
        "truncate_legend": -1,
        "margin": 16,
    }


def title(name: str) -> str:
    """The chart's title: drawn in it, and its image's short text alternative (the summary
    under it says what it shows)."""
    return _("Cash at the end of each month (€)") if name == CASH else _("Each year (€)")


def _cash(figures: Figures) -> pygal.Graph:
    chart = pygal.Line(
        **_config(title(CASH)),
        show_dots=False,
        show_minor_x_labels=False,
        x_title=_("Month"),
        include_x_axis=True,
    )
    chart.x_labels = [str(month.number) for month in figures.months]
    chart.x_labels_major = [str(n) for n in (1, 12, 24, 36) if n <= len(figures.months)]
    chart.add(_("Cash"), [float(month.cash) for month in figures.months])
    return chart


def _years(figures: Figures) -> pygal.Graph:
    chart = pygal.Bar(**_config(title(YEARS)), include_x_axis=True)
    chart.x_labels = [_("Year %(number)s") % {"number": year.number} for year in figures.years]
    chart.add(_("Revenue"), [float(year.revenue) for year in figures.years])
    chart.add(_("Costs"), [float(year.costs) for year in figures.years])
    chart.add(
        _("Result after INPS and tax"), [float(year.result_after_taxes) for year in figures.years]
    )
    return chart


BUILDERS = {CASH: _cash, YEARS: _years}


def chart_svg(figures: Figures, name: str, *, language: str) -> str:
    """Chart ``name`` (``CASH`` or ``YEARS``) of ``figures`` as a standalone SVG document,
    its words and numbers in ``language``."""
    with translation.override(language):
        tree = BUILDERS[name](figures).render_tree()
    # pygal always writes its configuration as a script; an image never runs it, but a
    # chart without script needs no exception to the content security policy at all.
    for parent in tree.iter():
        for child in [c for c in parent if str(c.tag).endswith("script")]:
            parent.remove(child)
    return etree.tostring(tree, encoding="unicode")


def summary(figures: Figures, name: str) -> str:
    """What the chart shows, in one or two sentences: its text alternative."""
    if name == CASH:
        months = figures.months
        if not months:
            return _("No months to show yet.")
        return _(
            "Cash starts at %(opening)s € and ends month %(last)s at %(closing)s €; "
            "its lowest point is %(lowest)s € in month %(lowest_month)s."
        ) % {
            "opening": _money(figures.opening_cash),
            "last": months[-1].number,
            "closing": _money(months[-1].cash),
            "lowest": _money(figures.lowest_cash),
            "lowest_month": figures.lowest_cash_month,
        }
    parts = [
        _("Year %(number)s: revenue %(revenue)s €, costs %(costs)s €, result %(result)s €.")
        % {
            "number": year.number,
            "revenue": _money(year.revenue),
            "costs": _money(year.costs),
            "result": _money(year.result_after_taxes),
        }
        for year in figures.years
    ]
    return " ".join(parts)
