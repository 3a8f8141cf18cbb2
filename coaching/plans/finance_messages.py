"""What the figures' warnings and a call's broken rules say, in words (``financials`` gives
codes): for the money page, the PDF and anything else that shows them."""

from django.utils import formats
from django.utils.translation import gettext as _

from coaching.plans.financials import Breach, BreachCode, Figures, Warn
from coaching.plans.models import BudgetCategory


def _euros(value) -> str:
    return formats.number_format(value, 2, use_l10n=True, force_grouping=True) + " €"


def _category(code: str) -> str:
    try:
        return str(BudgetCategory(code).label)
    except ValueError:
        return code


def warning_texts(figures: Figures) -> list[str]:
    texts = {
        Warn.FUNDING_SHORT: lambda: (
            _(
                "The funding (%(funding)s) does not cover the start-up costs with VAT (%(costs)s): "
                "%(gap)s are missing."
            )
            % {
                "funding": _euros(figures.funding_total),
                "costs": _euros(figures.startup.gross),
                "gap": _euros(-figures.funding_gap),
            }
        ),
        Warn.OVER_CEILING: lambda: (
            _(
                "In at least one year revenue is above %(ceiling)s, the ceiling of the regime "
                "forfettario: the next year would be taxed the ordinary way. Talk to your mentor "
                "or an accountant."
            )
            % {"ceiling": _euros(figures.assumptions["forfettario_ceiling"])}
        ),
        Warn.NEGATIVE_CASH: lambda: (
            _(
                "Cash falls below zero: its lowest point is %(lowest)s in month %(month)s. You "
                "would need more funding, lower costs or earlier sales."
            )
            % {"lowest": _euros(figures.lowest_cash), "month": figures.lowest_cash_month}
        ),
        Warn.NO_BREAK_EVEN: lambda: _(
            "Within the three years of the forecast, revenue never covers the costs of a month."
        ),
    }
    return [texts[code]() for code in figures.warnings if code in texts]


def breach_text(breach: Breach) -> str:
    values = {
        "category": _category(breach.category),
        "limit": formats.number_format(breach.limit or 0, 2, use_l10n=True),
        "actual": formats.number_format(breach.actual, 2, use_l10n=True),
    }
    if breach.code == BreachCode.OVER_CAP:
        return (
            _(
                "%(category)s: %(actual)s %% of the eligible costs, and the call funds at most "
                "%(limit)s %%."
            )
            % values
        )
    if breach.code == BreachCode.INELIGIBLE:
        return _("%(category)s: the call does not fund this category (%(actual)s).") % {
            **values,
            "actual": _euros(breach.actual),
        }
    if breach.code == BreachCode.GRANT_BELOW_MIN:
        return _(
            "The microgrant you ask for (%(actual)s) is below the smallest grant, %(limit)s."
        ) % {
            "actual": _euros(breach.actual),
            "limit": _euros(breach.limit),
        }
    return _("The microgrant you ask for (%(actual)s) is above the largest grant, %(limit)s.") % {
        "actual": _euros(breach.actual),
        "limit": _euros(breach.limit),
    }


def breach_texts(breaches) -> list[str]:
    return [breach_text(breach) for breach in breaches]
