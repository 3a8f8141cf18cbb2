"""The financial model's inputs as data: read from a plan, computed, and written back.

The ``finance`` part of a plan's snapshot (the shape in ``services.document``) is made here
and only here; versions keep it, the spreadsheet and the figures are computed from it, and a
restore writes it back. Amounts are Decimal strings, never floats.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coaching.plans import financials
from coaching.plans.models import (
    BusinessPlan,
    CallRules,
    Forecast,
    FundingSource,
    RunningCost,
    StartupCost,
)
from coaching.plans.services.plans import plan_log

FORECAST_FIELDS = (
    "variable_cost_percent",
    "growth_year2",
    "growth_year3",
    "coefficient",
    "startup_rate",
    "inps_scheme",
    "inps_reduction",
)


def _text(value) -> str | bool:
    return str(value) if isinstance(value, Decimal) else value


def plan_finance_data(plan: BusinessPlan) -> dict:
    """The plan's financial inputs as JSON-ready data, in four queries."""
    forecast = Forecast.objects.filter(plan=plan).first() or Forecast(
        plan=plan, monthly_revenue=["0"] * 12
    )
    return {
        "startup_costs": [
            {
                "category": cost.category,
                "description": cost.description,
                "amount": str(cost.amount),
                "vat_rate": cost.vat_rate,
                "vat_recoverable": cost.vat_recoverable,
            }
            for cost in plan.startup_costs.all()
        ],
        "funding": [
            {"kind": source.kind, "amount": str(source.amount), "note": source.note}
            for source in plan.funding.all()
        ],
        "running_costs": [
            {
                "description": cost.description,
                "monthly_amount": str(cost.monthly_amount),
                "starts_month": cost.starts_month,
            }
            for cost in plan.running_costs.all()
        ],
        "forecast": {
            "monthly_revenue": [str(amount) for amount in forecast.monthly_revenue],
            **{name: _text(getattr(forecast, name)) for name in FORECAST_FIELDS},
        },
    }


def figures_from(finance: dict) -> financials.Figures:
    """The figures of a ``finance`` snapshot (current or of a version)."""
    return financials.compute(financials.inputs_from_data(finance))


def plan_figures(plan: BusinessPlan) -> financials.Figures:
    return figures_from(plan_finance_data(plan))


def _money(value) -> str | None:
    return None if value is None else str(value)


def call_rules_data(rules: CallRules | None) -> dict | None:
    """The rules of the call a plan is aimed at as JSON-ready data (the snapshot's
    ``call_rules``), or ``None`` without a call."""
    if rules is None:
        return None
    return {
        "name": rules.name,
        "min_grant": _money(rules.min_grant),
        "max_grant": _money(rules.max_grant),
        "caps": [
            {
                "category": cap.category,
                "max_percent": _money(cap.max_percent),
                "ineligible": cap.ineligible,
            }
            for cap in rules.caps.order_by("category")
        ],
    }


def requested_grant(finance: dict) -> Decimal:
    """What the plan asks of the call: the sum of its funding lines of kind microgrant."""
    return sum(
        (
            Decimal(line["amount"])
            for line in finance.get("funding", ())
            if line["kind"] == FundingSource.Kind.MICROGRANT
        ),
        financials.ZERO,
    )


def breaches_of(finance: dict, call_rules: dict | None) -> list[financials.Breach]:
    """Where a ``finance`` snapshot breaks the rules of its call (none without a call)."""
    rules = financials.rules_from_data(call_rules)
    if rules is None:
        return []
    costs = financials.inputs_from_data(finance).costs
    return financials.check_rules(costs, rules, requested_grant(finance))


# --- Writing -------------------------------------------------------------------------------
#: The three kinds of line, each with its model and the fields a line of its snapshot holds.
LINE_KINDS = {
    "startup_costs": (
        StartupCost,
        {
            "category": str,
            "description": str,
            "amount": Decimal,
            "vat_rate": str,
            "vat_recoverable": bool,
        },
    ),
    "funding": (FundingSource, {"kind": str, "amount": Decimal, "note": str}),
    "running_costs": (
        RunningCost,
        {"description": str, "monthly_amount": Decimal, "starts_month": int},
    ),
}


class StaleFinance(Exception):
    """The page was opened before another save of the plan's money: nothing was written."""


#: A value missing from a line (a version kept before the field existed), by its type, where
#: the model has no default: the line is restored, never refused.
MISSING = {str: "", Decimal: Decimal("0"), bool: False, int: 0}


def _line_values(kind: str, line: dict) -> dict:
    """A snapshot line's values, typed: a value missing (null, or blank where blank is not a
    value) takes the model field's default, or the type's ``MISSING`` one."""
    model, fields = LINE_KINDS[kind]
    values = {}
    for name, cast in fields.items():
        field = model._meta.get_field(name)
        value = line.get(name)
        # Blank is a value only for free text: a blank number or choice (a VAT rate) is missing.
        if value is None or (value == "" and (cast is not str or field.choices)):
            default = field.get_default()
            value = MISSING[cast] if default in (None, "") else default
        values[name] = cast(value)
    return values


def _replace_lines(plan: BusinessPlan, kind: str, lines) -> None:
    model, _fields = LINE_KINDS[kind]
    model.objects.filter(plan=plan).delete()
    model.objects.bulk_create(
        model(plan=plan, position=index, **_line_values(kind, line))
        for index, line in enumerate(lines)
    )


def _locked(plan: BusinessPlan) -> tuple[BusinessPlan, Forecast]:
    """The plan's row locked first, as submitting and freezing lock it (so figures cannot
    change under a snapshot being taken), then its forecast, which holds the revision."""
    locked = BusinessPlan.objects.select_for_update().get(pk=plan.pk)
    return locked, _locked_forecast(locked)


def _locked_forecast(plan: BusinessPlan) -> Forecast:
    forecast, _created = Forecast.objects.select_for_update().get_or_create(
        plan=plan, defaults={"monthly_revenue": ["0"] * 12}
    )
    return forecast


def _refuse_unless_editable(plan: BusinessPlan) -> None:
    if not plan.is_editable:
        raise ValidationError(
            _("This plan is %(status)s: reopen it to change its figures.")
            % {"status": plan.get_status_display().lower()},
            code="not_editable",
        )


def _saved(plan: BusinessPlan, forecast: Forecast, by, what: str) -> None:
    # Another open finance page started from the old inputs: its save must not overwrite.
    forecast.revision += 1
    forecast.save()
    plan.save(update_fields=["updated_at"])
    plan_log(plan=plan, action="plans.finance", by=by, data={"part": what})


@transaction.atomic
def finance_lines_save(
    *, plan: BusinessPlan, by, kind: str, lines: list[dict], revision: int
) -> bool:
    """Replace the plan's lines of ``kind`` (``LINE_KINDS``) with ``lines``, in their order.

    ``revision`` is the finance revision the page was opened at (``Forecast.revision``): when
    another save came in between, ``StaleFinance`` is raised and nothing changes, so the page
    can show the person their figures again instead of overwriting the other save; unless
    the lines are already those (the same form sent twice): then nothing is done again.
    Returns whether anything was written.
    """
    plan, forecast = _locked(plan)
    _refuse_unless_editable(plan)
    if revision != forecast.revision:
        model, fields = LINE_KINDS[kind]
        current = model.objects.filter(plan=plan).values(*fields)
        if [_line_values(kind, line) for line in lines] == [
            _line_values(kind, row) for row in current
        ]:
            return False  # the same save again (a double click): already done
        raise StaleFinance
    _replace_lines(plan, kind, lines)
    _saved(plan, forecast, by, kind)
    return True


@transaction.atomic
def forecast_save(*, plan: BusinessPlan, by, data: dict, revision: int) -> bool:
    """Save the forecast: ``monthly_revenue`` (twelve amounts) and the ``FORECAST_FIELDS``.
    The same revision rule as ``finance_lines_save``."""
    plan, forecast = _locked(plan)
    _refuse_unless_editable(plan)
    if revision != forecast.revision:
        before = _forecast_values(forecast)
        _forecast_set(forecast, data)
        if _forecast_values(forecast) == before:
            return False  # the same save again (a double click): already done
        raise StaleFinance
    _forecast_set(forecast, data)
    _saved(plan, forecast, by, "forecast")
    return True


def _forecast_values(forecast: Forecast) -> tuple:
    revenue = tuple(Decimal(str(v)) for v in forecast.monthly_revenue)
    return (revenue, *(getattr(forecast, name) for name in FORECAST_FIELDS))


def _forecast_set(forecast: Forecast, data: dict) -> None:
    # A month or a setting missing from the snapshot (an older version) is zero or the
    # model's default, as ``financials.inputs_from_data`` reads it.
    revenue = [
        str(financials.cents(Decimal(str(v or "0")))) for v in data.get("monthly_revenue") or ()
    ]
    forecast.monthly_revenue = (revenue + ["0"] * 12)[:12]
    for name in FORECAST_FIELDS:
        field = Forecast._meta.get_field(name)
        value = data.get(name)
        if value is None or value == "":
            value = field.get_default()
        if value is not None:
            setattr(
                forecast,
                name,
                Decimal(str(value)) if field.get_internal_type() == "DecimalField" else value,
            )


@transaction.atomic
def finance_restore(plan: BusinessPlan, finance: dict) -> None:
    """Replace every financial input of ``plan`` with those of a snapshot (a restore)."""
    forecast = _locked_forecast(plan)  # before the lines, as every finance save does
    for kind in LINE_KINDS:
        _replace_lines(plan, kind, finance.get(kind, []))
    _forecast_set(forecast, finance.get("forecast") or {})
    # Another open finance page started from the old inputs: its save must not overwrite.
    forecast.revision += 1
    forecast.save()
