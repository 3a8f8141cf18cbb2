"""The financial model of a business plan: start-up costs, funding, 36 months, regime forfettario.

Pure Python (``decimal`` only, no Django, never a float) so that tests, benchmarks and the
spreadsheet export call it directly. Pages translate the warning and breach codes.

Rounding: money is quantized to cents with ROUND_HALF_UP at exactly these points, and nowhere
else (``coaching/plans/xlsx.py`` writes the same roundings as ``ROUND(…, 2)`` formulas):

- each cost line's VAT (``net × rate / 100``);
- each month's revenue in years two and three (year 1's month grown by ``growth_year2``, then
  that figure grown by ``growth_year3``) and each month's variable costs;
- each year's income (``revenue × coefficient / 100``), INPS and substitute tax;
- each month's share of the year's INPS and tax set aside (the last month of the year takes
  what is left, so the twelve shares add up to the year's figure exactly).

Simplifications, shown to the person as assumptions:

- revenue and running costs are amounts paid and received as typed (under the forfettario the
  seller charges no VAT); the result is before taxes;
- cash opens at funding minus the gross start-up costs; the VAT that can be recovered comes
  back in month ``VAT_REFUND_MONTH``; each month the business sets aside a twelfth of the
  year's estimated INPS and tax, and cash is what is left after that;
- INPS is deducted from the taxable income in the year it is due (in reality it is deducted
  when paid, partly the next year); the minimum INPS of artisans and traders is for a whole
  year even when the horizon ends earlier.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal("100")

# --- Assumptions (Italy, 2025). Update them each January. ---------------------------------
#: INPS gestione separata, professionals with no fund of their own and no other pension:
#: 25 % IVS + 0.72 % + 0.35 % ISCRO (INPS circolare n. 27 of 30 January 2025).
SEPARATA_RATE = Decimal("26.07")
#: INPS artisans and traders; traders pay 0.48 % more for the fund of closing shops (INPS
#: circolare n. 38 of 7 February 2025). Left out: the one extra point on income above
#: 55,448 €, the maternity fee of 7.44 € a year, the 50 % cut for new members in 2025.
ARTIGIANI_RATE = Decimal("24.00")
COMMERCIANTI_RATE = Decimal("24.48")
#: Reddito minimale 2025 (same circolare): artisans and traders pay their rate on at least
#: this income, even when they earn less or nothing (18,555 × 24 % = 4,453.20 €).
MINIMUM_INCOME = Decimal("18555.00")
#: Reduction of INPS for artisans and traders under the forfettario who ask for it
#: (Legge 190/2014, art. 1 commi 76-84).
INPS_REDUCTION_PERCENT = Decimal("35")
#: Substitute tax of the forfettario (Legge 190/2014, art. 1 commi 64 and 65): 5 % for the
#: first five years of a new activity, 15 % otherwise.
STARTUP_TAX_RATE = Decimal("5")
STANDARD_TAX_RATE = Decimal("15")
STARTUP_RATE_YEARS = 5
#: Revenue ceiling of the forfettario from 2023 (Legge 197/2022): above it the next year is
#: taxed the ordinary way (above 100,000 € at once). The model warns, it does not switch.
FORFETTARIO_CEILING = Decimal("85000.00")
#: Our simplification: the VAT paid on start-up costs that can be recovered comes back
#: (as a credit against VAT due, or refunded) in month 3.
VAT_REFUND_MONTH = 3
HORIZON_MONTHS = 36

INPS_SCHEMES = ("separata", "artigiani", "commercianti")
INPS_RATES = {
    "separata": SEPARATA_RATE,
    "artigiani": ARTIGIANI_RATE,
    "commercianti": COMMERCIANTI_RATE,
}


class Warn(StrEnum):
    """What the figures warn about; pages translate the codes."""

    FUNDING_SHORT = "funding_short"  # funding does not cover the gross start-up costs
    OVER_CEILING = "over_forfettario_ceiling"  # a year's revenue is above the ceiling
    NEGATIVE_CASH = "negative_cash"  # cash falls below zero in some month
    NO_BREAK_EVEN = "no_break_even"  # no break-even month within the horizon


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _decimal(value, name: str, money: bool = False) -> Decimal:
    """A Decimal from a Decimal, an int or a string (as in the snapshot); never a float."""
    if isinstance(value, float | bool) or not isinstance(value, Decimal | int | str):
        raise TypeError(f"{name} must be a Decimal, not {type(value).__name__}")
    value = Decimal(value)
    return cents(value) if money else value


def _set(obj, name: str, value) -> None:
    object.__setattr__(obj, name, value)


# --- Inputs -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class CostLine:
    """A start-up cost: ``amount`` before VAT, ``vat_rate`` a percentage."""

    category: str
    amount: Decimal
    vat_rate: Decimal
    vat_recoverable: bool
    description: str = ""

    def __post_init__(self):
        _set(self, "amount", _decimal(self.amount, "amount", money=True))
        _set(self, "vat_rate", _decimal(self.vat_rate, "vat_rate"))

    @property
    def vat(self) -> Decimal:
        return cents(self.amount * self.vat_rate / HUNDRED)

    @property
    def gross(self) -> Decimal:
        return self.amount + self.vat

    @property
    def eligible(self) -> Decimal:
        """ESF+ rule: VAT is an eligible cost only when it cannot be recovered."""
        return self.amount if self.vat_recoverable else self.gross


@dataclass(frozen=True)
class Funding:
    kind: str
    amount: Decimal

    def __post_init__(self):
        _set(self, "amount", _decimal(self.amount, "amount", money=True))


@dataclass(frozen=True)
class RunningCostLine:
    """A monthly cost paid from ``starts_month`` on, every month to the end of the horizon."""

    monthly_amount: Decimal
    starts_month: int = 1
    description: str = ""

    def __post_init__(self):
        _set(self, "monthly_amount", _decimal(self.monthly_amount, "monthly_amount", True))


@dataclass(frozen=True)
class Forecast:
    """Year 1's revenue month by month; percentages for variable costs and growth."""

    monthly_revenue: tuple[Decimal, ...]
    variable_cost_percent: Decimal = ZERO
    growth_year2: Decimal = ZERO
    growth_year3: Decimal = ZERO

    def __post_init__(self):
        revenue = tuple(_decimal(v, "monthly_revenue", True) for v in self.monthly_revenue)
        if len(revenue) != 12:
            raise ValueError("monthly_revenue needs twelve amounts")
        _set(self, "monthly_revenue", revenue)
        for name in ("variable_cost_percent", "growth_year2", "growth_year3"):
            _set(self, name, _decimal(getattr(self, name), name))


@dataclass(frozen=True)
class TaxAssumptions:
    """Regime forfettario: ``coefficient`` is the profitability coefficient in percent."""

    coefficient: Decimal = Decimal("67")
    startup_rate: bool = True
    inps_scheme: str = "separata"
    inps_reduction: bool = False

    def __post_init__(self):
        _set(self, "coefficient", _decimal(self.coefficient, "coefficient"))
        if self.inps_scheme not in INPS_SCHEMES:
            raise ValueError(f"unknown INPS scheme {self.inps_scheme!r}")

    def tax_rate(self, year: int) -> Decimal:
        startup = self.startup_rate and year <= STARTUP_RATE_YEARS
        return STARTUP_TAX_RATE if startup else STANDARD_TAX_RATE

    @property
    def inps_rate(self) -> Decimal:
        return INPS_RATES[self.inps_scheme]

    @property
    def has_minimum(self) -> bool:
        return self.inps_scheme != "separata"

    @property
    def reduction_percent(self) -> Decimal:
        """The 35 % reduction exists only for artisans and traders; it is ignored otherwise."""
        return INPS_REDUCTION_PERCENT if self.inps_reduction and self.has_minimum else ZERO


@dataclass(frozen=True)
class Inputs:
    costs: tuple[CostLine, ...] = ()
    funding: tuple[Funding, ...] = ()
    running: tuple[RunningCostLine, ...] = ()
    forecast: Forecast = field(default_factory=lambda: Forecast((ZERO,) * 12))
    taxes: TaxAssumptions = field(default_factory=TaxAssumptions)


# --- Figures ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Totals:
    net: Decimal = ZERO
    vat: Decimal = ZERO
    gross: Decimal = ZERO
    eligible: Decimal = ZERO
    recoverable_vat: Decimal = ZERO

    def __add__(self, line: CostLine) -> Totals:
        return Totals(
            self.net + line.amount,
            self.vat + line.vat,
            self.gross + line.gross,
            self.eligible + line.eligible,
            self.recoverable_vat + (line.vat if line.vat_recoverable else ZERO),
        )


@dataclass(frozen=True)
class Month:
    """One month. ``result`` is before taxes; ``cash`` is the balance at the month's end, after
    the VAT refund (if it comes this month) and after setting aside ``set_aside`` for taxes."""

    number: int
    revenue: Decimal
    variable_costs: Decimal
    running_costs: Decimal
    result: Decimal
    set_aside: Decimal
    vat_refund: Decimal
    cash: Decimal

    @property
    def costs(self) -> Decimal:
        return self.variable_costs + self.running_costs


@dataclass(frozen=True)
class Year:
    """``income`` is revenue × coefficient; ``taxable`` is income minus INPS (never below 0)."""

    number: int
    revenue: Decimal
    costs: Decimal
    result: Decimal
    income: Decimal
    inps: Decimal
    taxable: Decimal
    tax_rate: Decimal
    tax: Decimal
    result_after_taxes: Decimal


@dataclass(frozen=True)
class Figures:
    startup: Totals
    by_category: dict[str, Totals]
    funding_total: Decimal
    funding_gap: Decimal  # funding − gross start-up costs; negative when short
    funding_covers: bool
    opening_cash: Decimal
    months: tuple[Month, ...]
    years: tuple[Year, ...]
    break_even_month: int | None
    lowest_cash: Decimal
    lowest_cash_month: int
    warnings: tuple[Warn, ...]
    assumptions: dict[str, Decimal | int | bool | str]


def assumptions(taxes: TaxAssumptions) -> dict[str, Decimal | int | bool | str]:
    """The figures the estimate rests on, for the page and the spreadsheet to show."""
    return {
        "coefficient": taxes.coefficient,
        "inps_scheme": taxes.inps_scheme,
        "inps_rate": taxes.inps_rate,
        "minimum_income": MINIMUM_INCOME if taxes.has_minimum else ZERO,
        "inps_reduction": taxes.reduction_percent,
        "tax_rate_year1": taxes.tax_rate(1),
        "startup_tax_rate": STARTUP_TAX_RATE,
        "standard_tax_rate": STANDARD_TAX_RATE,
        "startup_rate_years": STARTUP_RATE_YEARS if taxes.startup_rate else 0,
        "forfettario_ceiling": FORFETTARIO_CEILING,
        "vat_refund_month": VAT_REFUND_MONTH,
    }


def monthly_revenue(forecast: Forecast, months: int = HORIZON_MONTHS) -> list[Decimal]:
    """Year 1 as typed; each later month is the same month a year earlier, grown (and rounded)."""
    growth = (ZERO, forecast.growth_year2, forecast.growth_year3)
    revenue = list(forecast.monthly_revenue)
    for n in range(12, months):
        year = min(n // 12, 2)
        revenue.append(cents(revenue[n - 12] * (HUNDRED + growth[year]) / HUNDRED))
    return revenue[:months]


def _inps(income: Decimal, taxes: TaxAssumptions) -> Decimal:
    base = max(income, MINIMUM_INCOME) if taxes.has_minimum else income
    return cents(base * taxes.inps_rate / HUNDRED * (HUNDRED - taxes.reduction_percent) / HUNDRED)


def _year(number: int, months: Sequence[Month], taxes: TaxAssumptions) -> Year:
    revenue = sum((m.revenue for m in months), ZERO)
    costs = sum((m.costs for m in months), ZERO)
    income = cents(revenue * taxes.coefficient / HUNDRED)
    inps = _inps(income, taxes)
    taxable = max(income - inps, ZERO)
    rate = taxes.tax_rate(number)
    tax = cents(taxable * rate / HUNDRED)
    result = revenue - costs
    return Year(
        number, revenue, costs, result, income, inps, taxable, rate, tax, result - inps - tax
    )


def _shares(total: Decimal, count: int) -> list[Decimal]:
    """``total`` in ``count`` rounded shares; the last one takes the rest so they add up."""
    share = cents(total / count)
    return [share] * (count - 1) + [total - share * (count - 1)]


def break_even(months: Sequence[Month]) -> int | None:
    """The first month with revenue whose result (before taxes) is ≥ 0 and after which no
    month within the horizon has a negative result; ``None`` if there is no such month."""
    candidate = None
    for month in months:
        if month.result < 0:
            candidate = None
        elif candidate is None and month.revenue > 0:
            candidate = month.number
    return candidate


def compute(inputs: Inputs, months: int = HORIZON_MONTHS) -> Figures:
    """All the figures of a plan over ``months`` (1 to 36) months."""
    if not 1 <= months <= HORIZON_MONTHS:
        raise ValueError(f"months must be between 1 and {HORIZON_MONTHS}")
    startup, by_category = Totals(), {}
    for line in inputs.costs:
        startup += line
        by_category[line.category] = by_category.get(line.category, Totals()) + line
    funding_total = sum((f.amount for f in inputs.funding), ZERO)
    gap = funding_total - startup.gross
    forecast, taxes = inputs.forecast, inputs.taxes

    # Months before taxes, then the years' taxes, then the cash that sets them aside.
    draft = []
    for number, revenue in enumerate(monthly_revenue(forecast, months), start=1):
        variable = cents(revenue * forecast.variable_cost_percent / HUNDRED)
        running = sum((r.monthly_amount for r in inputs.running if r.starts_month <= number), ZERO)
        result = revenue - variable - running
        draft.append(Month(number, revenue, variable, running, result, ZERO, ZERO, ZERO))
    years = tuple(
        _year(y + 1, draft[y * 12 : y * 12 + 12], taxes) for y in range((months + 11) // 12)
    )
    cash, rows = gap, []
    for year in years:
        in_year = draft[(year.number - 1) * 12 : year.number * 12]
        shares = _shares(year.inps + year.tax, len(in_year))
        for month, set_aside in zip(in_year, shares, strict=True):
            refund = startup.recoverable_vat if month.number == VAT_REFUND_MONTH else ZERO
            cash = cash + month.result + refund - set_aside
            rows.append(replace(month, set_aside=set_aside, vat_refund=refund, cash=cash))
    lowest = min(rows, key=lambda m: m.cash)  # the first of equal lows
    break_even_month = break_even(rows)

    warnings = []
    if gap < 0:
        warnings.append(Warn.FUNDING_SHORT)
    if any(y.revenue > FORFETTARIO_CEILING for y in years):
        warnings.append(Warn.OVER_CEILING)
    if lowest.cash < 0:
        warnings.append(Warn.NEGATIVE_CASH)
    if break_even_month is None:
        warnings.append(Warn.NO_BREAK_EVEN)
    return Figures(
        startup=startup,
        by_category=by_category,
        funding_total=funding_total,
        funding_gap=gap,
        funding_covers=gap >= 0,
        opening_cash=gap,
        months=tuple(rows),
        years=years,
        break_even_month=break_even_month,
        lowest_cash=lowest.cash,
        lowest_cash_month=lowest.number,
        warnings=tuple(warnings),
        assumptions=assumptions(taxes),
    )


# --- Grant-call rules -------------------------------------------------------------------------
@dataclass(frozen=True)
class Rules:
    """A call's rules: ``caps`` maps a category to its maximum share (percent) of the eligible
    total; ``ineligible`` categories may not be funded; a grant must lie in [min, max]."""

    caps: dict[str, Decimal] = field(default_factory=dict)
    ineligible: frozenset[str] = frozenset()
    min_grant: Decimal | None = None
    max_grant: Decimal | None = None


class BreachCode(StrEnum):
    OVER_CAP = "over_cap"  # limit: the cap in percent; actual: the share in percent
    INELIGIBLE = "ineligible"  # limit: None; actual: the category's eligible amount
    GRANT_BELOW_MIN = "grant_below_min"  # category "": limit and actual are amounts
    GRANT_ABOVE_MAX = "grant_above_max"


@dataclass(frozen=True)
class Breach:
    code: BreachCode
    category: str
    limit: Decimal | None
    actual: Decimal


def check_rules(
    costs: Iterable[CostLine], rules: Rules, requested: Decimal | None = None
) -> list[Breach]:
    """Where the start-up costs break the call's rules. The share of a capped category is
    taken of the eligible total of the categories the call funds (ineligible ones left out);
    it is shown rounded to cents of a percent, but compared unrounded."""
    by_category: dict[str, Decimal] = {}
    for line in costs:
        by_category[line.category] = by_category.get(line.category, ZERO) + line.eligible
    base = sum((v for c, v in by_category.items() if c not in rules.ineligible), ZERO)
    breaches = []
    for category, amount in by_category.items():
        if category in rules.ineligible:
            breaches.append(Breach(BreachCode.INELIGIBLE, category, None, amount))
            continue
        cap = rules.caps.get(category)
        if cap is not None and base > 0 and amount * HUNDRED > cap * base:
            share = cents(amount * HUNDRED / base)
            breaches.append(Breach(BreachCode.OVER_CAP, category, cap, share))
    if requested is not None:
        if rules.min_grant is not None and requested < rules.min_grant:
            breaches.append(Breach(BreachCode.GRANT_BELOW_MIN, "", rules.min_grant, requested))
        if rules.max_grant is not None and requested > rules.max_grant:
            breaches.append(Breach(BreachCode.GRANT_ABOVE_MAX, "", rules.max_grant, requested))
    return breaches


# --- From the snapshot's JSON (strings of Decimals) -------------------------------------------
def inputs_from_data(finance: dict) -> Inputs:
    """``Inputs`` from the ``finance`` part of a plan snapshot (``PlanVersion.data``)."""
    fc = finance.get("forecast") or {}
    revenue = [v or "0" for v in (fc.get("monthly_revenue") or [])[:12]]
    return Inputs(
        costs=tuple(
            CostLine(
                c["category"],
                c["amount"],
                c["vat_rate"],
                bool(c["vat_recoverable"]),
                c.get("description", ""),
            )
            for c in finance.get("startup_costs", ())
        ),
        funding=tuple(Funding(f["kind"], f["amount"]) for f in finance.get("funding", ())),
        running=tuple(
            RunningCostLine(
                r["monthly_amount"], int(r.get("starts_month") or 1), r.get("description", "")
            )
            for r in finance.get("running_costs", ())
        ),
        forecast=Forecast(
            tuple(revenue + ["0"] * (12 - len(revenue))),
            *(fc.get(k) or "0" for k in ("variable_cost_percent", "growth_year2", "growth_year3")),
        ),
        taxes=TaxAssumptions(
            fc.get("coefficient") or "67",
            bool(fc.get("startup_rate", True)),
            fc.get("inps_scheme") or "separata",
            bool(fc.get("inps_reduction", False)),
        ),
    )


def rules_from_data(call_rules: dict | None) -> Rules | None:
    """``Rules`` from the ``call_rules`` part of a plan snapshot, or ``None`` without a call."""
    if not call_rules:
        return None
    caps = {
        c["category"]: Decimal(c["max_percent"])
        for c in call_rules.get("caps", ())
        if c.get("max_percent") not in (None, "")
    }
    ineligible = frozenset(c["category"] for c in call_rules.get("caps", ()) if c.get("ineligible"))

    def amount(key):
        value = call_rules.get(key)
        return None if value in (None, "") else Decimal(value)

    return Rules(caps, ineligible, amount("min_grant"), amount("max_grant"))
