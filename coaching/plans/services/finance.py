"""The financial model's inputs as data: read from a plan, computed, and written back.

The ``finance`` part of a plan's snapshot (the shape in ``services.document``) is made here
and only here; versions keep it, the spreadsheet and the figures are computed from it, and a
restore writes it back. Amounts are Decimal strings, never floats.
"""

from decimal import Decimal

from django.db import transaction

from coaching.plans import financials
from coaching.plans.models import BusinessPlan, Forecast, FundingSource, RunningCost, StartupCost

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


@transaction.atomic
def finance_restore(plan: BusinessPlan, finance: dict) -> None:
    """Replace every financial input of ``plan`` with those of a snapshot (a restore)."""
    plan.startup_costs.all().delete()
    plan.funding.all().delete()
    plan.running_costs.all().delete()
    StartupCost.objects.bulk_create(
        StartupCost(
            plan=plan,
            position=index,
            category=line["category"],
            description=line["description"],
            amount=Decimal(line["amount"]),
            vat_rate=line["vat_rate"],
            vat_recoverable=bool(line["vat_recoverable"]),
        )
        for index, line in enumerate(finance.get("startup_costs", []))
    )
    FundingSource.objects.bulk_create(
        FundingSource(
            plan=plan,
            position=index,
            kind=line["kind"],
            amount=Decimal(line["amount"]),
            note=line.get("note", ""),
        )
        for index, line in enumerate(finance.get("funding", []))
    )
    RunningCost.objects.bulk_create(
        RunningCost(
            plan=plan,
            position=index,
            description=line["description"],
            monthly_amount=Decimal(line["monthly_amount"]),
            starts_month=int(line["starts_month"]),
        )
        for index, line in enumerate(finance.get("running_costs", []))
    )
    data = finance.get("forecast") or {}
    forecast, _created = Forecast.objects.select_for_update().get_or_create(plan=plan)
    forecast.monthly_revenue = [str(Decimal(v)) for v in data.get("monthly_revenue", ["0"] * 12)]
    for name in FORECAST_FIELDS:
        if name in data:
            value = data[name]
            field = Forecast._meta.get_field(name)
            setattr(
                forecast,
                name,
                Decimal(value) if field.get_internal_type() == "DecimalField" else value,
            )
    # Another open finance page started from the old inputs: its save must not overwrite.
    forecast.revision += 1
    forecast.save()
