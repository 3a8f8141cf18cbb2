"""The financial model (coaching/plans/financials.py), checked by hand: the arithmetic of every
expected figure is written next to it. No database: the module is pure."""

import dataclasses
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coaching.plans.financials import (
    BreachCode,
    CostLine,
    Forecast,
    Funding,
    Inputs,
    Rules,
    RunningCostLine,
    TaxAssumptions,
    Warn,
    check_rules,
    compute,
    inputs_from_data,
    rules_from_data,
)

D = Decimal


def flat(amount, **forecast):
    """A forecast with the same revenue in each of the twelve months."""
    return Forecast((D(amount),) * 12, **forecast)


def taxes_only(revenue_per_month, **taxes):
    """Year 1 of a plan with nothing but revenue, under the given tax assumptions."""
    return compute(Inputs(forecast=flat(revenue_per_month), taxes=TaxAssumptions(**taxes))).years[0]


# --- VAT ----------------------------------------------------------------------------------------
def test_vat_recoverable_or_not_and_the_eligible_amount():
    recoverable = CostLine("equipment", D("1000.00"), D("22"), True)
    paid = CostLine("services", D("500.00"), D("22"), False)
    rounded = CostLine("stock", D("123.45"), D("10"), False)
    # 1000 × 22 % = 220; it comes back, so only the net 1000 is eligible.
    assert (recoverable.vat, recoverable.gross, recoverable.eligible) == (220, 1220, 1000)
    # 500 × 22 % = 110; it does not come back, so the gross 610 is eligible (ESF+ rule).
    assert (paid.vat, paid.gross, paid.eligible) == (110, 610, 610)
    # 123.45 × 10 % = 12.345 -> 12.35 (half up); gross 135.80.
    assert (rounded.vat, rounded.gross, rounded.eligible) == (D("12.35"), D("135.80"), D("135.80"))

    figures = compute(
        Inputs(costs=(recoverable, paid, rounded), funding=(Funding("own_savings", D("2000")),))
    )
    totals = figures.startup
    assert totals.net == D("1623.45")  # 1000 + 500 + 123.45
    assert totals.vat == D("342.35")  # 220 + 110 + 12.35
    assert totals.gross == D("1965.80")  # 1623.45 + 342.35
    assert totals.eligible == D("1745.80")  # 1000 + 610 + 135.80
    assert totals.recoverable_vat == D("220.00")  # only the equipment's
    assert figures.by_category["services"].gross == D("610.00")
    assert figures.by_category["stock"].vat == D("12.35")
    # Funding 2000 − gross 1965.80 = 34.20 left.
    assert (figures.funding_gap, figures.funding_covers) == (D("34.20"), True)
    # The recoverable 220 comes back in month 3, nothing else moves: 34.20 + 220 = 254.20.
    assert [m.vat_refund for m in figures.months[:4]] == [0, 0, 220, 0]
    assert figures.months[2].cash == D("254.20")


def test_funding_short_is_flagged_not_refused():
    figures = compute(
        Inputs(
            costs=(CostLine("equipment", D("1000"), D("22"), False),),
            funding=(Funding("microgrant", D("600")), Funding("family", D("400"))),
        )
    )
    # Funding 600 + 400 = 1000; gross 1000 + 220 = 1220; gap 1000 − 1220 = −220.
    assert figures.funding_total == D("1000.00")
    assert figures.funding_gap == D("-220.00")
    assert figures.funding_covers is False
    assert figures.opening_cash == D("-220.00")
    assert Warn.FUNDING_SHORT in figures.warnings
    assert Warn.NEGATIVE_CASH in figures.warnings


# --- Break-even and cash ---------------------------------------------------------------------
RAMP = Inputs(
    # Gross 2000 + 440 = 2440, the 440 VAT comes back in month 3.
    costs=(CostLine("equipment", D("2000"), D("22"), True),),
    funding=(Funding("own_savings", D("3000")),),
    running=(RunningCostLine(D("1500")),),
    # 1000, 1200, ..., 3200 in year 1; year 2 is 50 % more (1500, 1800, ..., 4800); year 3 = year 2.
    forecast=Forecast(tuple(D(1000 + 200 * k) for k in range(12)), D("0"), D("50"), D("0")),
    taxes=TaxAssumptions(D("78"), True, "separata", False),
)


def test_break_even_in_a_known_month_and_the_years():
    figures = compute(RAMP)
    # Results are revenue − 1500: −500, −300, −100, +100 (month 4), ..., and in year 2 at
    # least 1500 − 1500 = 0: month 4 is the first after which no month is negative.
    assert [m.result for m in figures.months[:5]] == [-500, -300, -100, 100, 300]
    assert figures.months[12].revenue == D("1500.00")
    assert figures.months[12].result == 0
    assert figures.break_even_month == 4

    year1, year2, year3 = figures.years
    # Year 1: revenue 12 × 1000 + 200 × (0 + 1 + ... + 11) = 12000 + 13200 = 25200.
    assert year1.revenue == D("25200.00")
    assert year1.costs == D("18000.00")  # 12 × 1500
    assert year1.result == D("7200.00")
    assert year1.income == D("19656.00")  # 25200 × 78 %
    assert year1.inps == D("5124.32")  # 19656 × 26.07 % = 5124.3192
    assert year1.taxable == D("14531.68")  # 19656 − 5124.32
    assert year1.tax == D("726.58")  # 14531.68 × 5 % = 726.584
    assert year1.result_after_taxes == D("1349.10")  # 7200 − 5124.32 − 726.58
    # Year 2: 25200 × 1.5 = 37800; income 29484; INPS 29484 × 26.07 % = 7686.4788;
    # taxable 21797.52; tax 5 % = 1089.876.
    assert (year2.revenue, year2.result) == (D("37800.00"), D("19800.00"))
    assert (year2.inps, year2.tax) == (D("7686.48"), D("1089.88"))
    assert year2.result_after_taxes == D("11023.64")  # 19800 − 7686.48 − 1089.88
    assert year3 == dataclasses.replace(year2, number=3)


def test_cash_flow_and_the_lowest_cash_month():
    figures = compute(RAMP)
    months = figures.months
    # Opening cash: 3000 − 2440 = 560. Year 1 sets aside INPS + tax = 5124.32 + 726.58 =
    # 5850.90: 5850.90 / 12 = 487.575 -> 487.58 a month, month 12 takes the rest:
    # 5850.90 − 11 × 487.58 = 487.52.
    assert figures.opening_cash == D("560.00")
    assert [m.set_aside for m in months[:12]] == [D("487.58")] * 11 + [D("487.52")]
    assert months[0].cash == D("-427.58")  # 560 − 500 − 487.58
    assert months[1].cash == D("-1215.16")  # −427.58 − 300 − 487.58
    assert months[2].cash == D("-1362.74")  # −1215.16 − 100 + 440 (VAT back) − 487.58
    assert months[3].cash == D("-1750.32")  # −1362.74 + 100 − 487.58
    assert months[4].cash == D("-1937.90")  # −1750.32 + 300 − 487.58
    assert months[5].cash == D("-1925.48")  # −1937.90 + 500 − 487.58: rising from here
    # End of year 1: 560 + 7200 + 440 − 5850.90 = 2349.10. Year 2 sets aside
    # (7686.48 + 1089.88) / 12 = 731.363 -> 731.36 and its cash never falls below
    # 2349.10 − 731.36 + 0 = 1617.74 − 431.36 − 131.36 = 1055.02 (month 15).
    assert months[11].cash == D("2349.10")
    assert months[14].cash == D("1055.02")
    assert (figures.lowest_cash, figures.lowest_cash_month) == (D("-1937.90"), 5)
    assert Warn.NEGATIVE_CASH in figures.warnings
    assert Warn.FUNDING_SHORT not in figures.warnings


def test_no_break_even():
    figures = compute(Inputs(running=(RunningCostLine(D("1200")),), forecast=flat("1000")))
    # Every month 1000 − 1200 = −200.
    assert {m.result for m in figures.months} == {D("-200.00")}
    assert figures.break_even_month is None
    assert Warn.NO_BREAK_EVEN in figures.warnings


def test_losses_later_in_year_one_move_break_even_past_them():
    # 2000 a month, variable costs 10 % (200), rent 1000 from month 1 and a second room's rent
    # of 900 from month 6: results 2000 − 200 − 1000 = 800 in months 1-5, then
    # 2000 − 200 − 1900 = −100 in months 6-12. Year 2 grows 10 %: 2200 − 220 − 1900 = 80;
    # year 3 grows 20 % more: 2640 − 264 − 1900 = 476. So break-even is month 13, not month 1.
    figures = compute(
        Inputs(
            running=(RunningCostLine(D("1000")), RunningCostLine(D("900"), starts_month=6)),
            forecast=flat(
                "2000", variable_cost_percent=D("10"), growth_year2=D("10"), growth_year3=D("20")
            ),
        )
    )
    assert figures.months[4].result == D("800.00")
    assert figures.months[5].result == D("-100.00")
    assert figures.months[12].revenue == D("2200.00")  # 2000 × 1.1
    assert figures.months[12].result == D("80.00")
    assert figures.months[24].revenue == D("2640.00")  # 2200 × 1.2
    assert figures.months[24].result == D("476.00")
    assert figures.break_even_month == 13


# --- Regime forfettario ----------------------------------------------------------------------
def test_separata_at_five_and_fifteen_percent():
    # 2500 × 12 = 30000; income 30000 × 78 % = 23400; INPS 23400 × 26.07 % = 6100.38;
    # taxable 23400 − 6100.38 = 17299.62.
    new = taxes_only("2500", coefficient=D("78"), startup_rate=True, inps_scheme="separata")
    assert (new.income, new.inps, new.taxable) == (D("23400.00"), D("6100.38"), D("17299.62"))
    assert (new.tax_rate, new.tax) == (5, D("864.98"))  # 17299.62 × 5 % = 864.981
    old = taxes_only("2500", coefficient=D("78"), startup_rate=False, inps_scheme="separata")
    assert (old.tax_rate, old.tax) == (15, D("2594.94"))  # 17299.62 × 15 % = 2594.943
    # Asking for the reduction changes nothing in the gestione separata: it does not exist there.
    asked = taxes_only("2500", coefficient=D("78"), inps_scheme="separata", inps_reduction=True)
    assert asked.inps == D("6100.38")


def test_artigiani_below_the_minimum_income_with_and_without_the_reduction():
    # 2000 × 12 = 24000; income 24000 × 67 % = 16080, less than the minimum income 18555, so
    # INPS is 18555 × 24 % = 4453.20; taxable 16080 − 4453.20 = 11626.80; tax 5 % = 581.34.
    full = taxes_only("2000", coefficient=D("67"), inps_scheme="artigiani")
    assert (full.inps, full.taxable, full.tax) == (D("4453.20"), D("11626.80"), D("581.34"))
    # With the 35 % reduction: 4453.20 × 65 % = 2894.58; taxable 13185.42; 5 % = 659.271.
    reduced = taxes_only("2000", coefficient=D("67"), inps_scheme="artigiani", inps_reduction=True)
    assert (reduced.inps, reduced.taxable, reduced.tax) == (
        D("2894.58"),
        D("13185.42"),
        D("659.27"),
    )


def test_artigiani_and_commercianti_above_the_minimum_income():
    # 5000 × 12 = 60000; income 40200; INPS 40200 × 24 % = 9648; reduced × 65 % = 6271.20.
    assert taxes_only("5000", inps_scheme="artigiani").inps == D("9648.00")
    assert taxes_only("5000", inps_scheme="artigiani", inps_reduction=True).inps == D("6271.20")
    # 7000 × 12 = 84000 × 40 % = 33600; INPS 33600 × 24.48 % = 8225.28; taxable 25374.72;
    # tax 15 % = 3806.208.
    traders = taxes_only(
        "7000", coefficient=D("40"), startup_rate=False, inps_scheme="commercianti"
    )
    assert (traders.inps, traders.taxable, traders.tax) == (
        D("8225.28"),
        D("25374.72"),
        D("3806.21"),
    )


def test_artisans_owe_the_minimum_even_without_revenue():
    year = taxes_only("0", inps_scheme="artigiani")
    # 18555 × 24 % = 4453.20 is due; there is no income, so no tax (taxable never below 0).
    assert (year.inps, year.taxable, year.tax) == (D("4453.20"), 0, 0)
    assert year.result_after_taxes == D("-4453.20")


def test_the_forfettario_ceiling_warning():
    # 7083.33 × 12 = 84999.96: under 85000.
    assert Warn.OVER_CEILING not in compute(Inputs(forecast=flat("7083.33"))).warnings
    # 7100 × 12 = 85200 in year 1.
    assert Warn.OVER_CEILING in compute(Inputs(forecast=flat("7100"))).warnings
    # 7000 × 12 = 84000 in year 1, but year 2 grows 2 %: 7140 × 12 = 85680.
    figures = compute(Inputs(forecast=flat("7000", growth_year2=D("2"))))
    assert figures.years[1].revenue == D("85680.00")
    assert Warn.OVER_CEILING in figures.warnings


def test_the_assumptions_are_shown():
    shown = compute(Inputs(taxes=TaxAssumptions(D("40"), False, "commercianti", True))).assumptions
    assert shown["inps_rate"] == D("24.48")
    assert shown["minimum_income"] == D("18555.00")
    assert shown["inps_reduction"] == D("35")
    assert shown["tax_rate_year1"] == D("15")
    assert shown["forfettario_ceiling"] == D("85000.00")


# --- Call rules ------------------------------------------------------------------------------
COSTS = (
    CostLine("building_works", D("4000"), D("22"), False),  # eligible 4880
    CostLine("equipment", D("10000"), D("22"), True),  # eligible 10000
    CostLine("vehicles", D("2000"), D("22"), False),  # eligible 2440, but ineligible
)


def test_check_rules_caps_and_ineligible_categories():
    rules = Rules(caps={"building_works": D("30"), "equipment": D("70")},
                  ineligible=frozenset({"vehicles"}))  # fmt: skip
    breaches = check_rules(COSTS, rules)
    # Base: 4880 + 10000 = 14880 (vehicles left out). Building 4880 / 14880 = 32.795 % > 30 %;
    # equipment 10000 / 14880 = 67.20 % is within 70 %.
    assert [(b.code, b.category, b.limit, b.actual) for b in breaches] == [
        (BreachCode.OVER_CAP, "building_works", D("30"), D("32.80")),
        (BreachCode.INELIGIBLE, "vehicles", None, D("2440.00")),
    ]


def test_a_share_exactly_at_the_cap_is_allowed():
    costs = (CostLine("marketing", D("300"), D("0"), False), CostLine("other", D("700"), 0, False))
    # 300 / 1000 = 30 % exactly.
    assert check_rules(costs, Rules(caps={"marketing": D("30")})) == []
    assert check_rules(costs, Rules(caps={"marketing": D("29.99")}))[0].actual == D("30.00")


def test_check_rules_grant_between_min_and_max():
    rules = Rules(min_grant=D("5000"), max_grant=D("15000"))
    assert [b.code for b in check_rules(COSTS, rules, D("4999.99"))] == [BreachCode.GRANT_BELOW_MIN]
    assert check_rules(COSTS, rules, D("5000")) == []
    assert check_rules(COSTS, rules, D("15000")) == []
    above = check_rules(COSTS, rules, D("15000.01"))
    assert [(b.code, b.limit, b.actual) for b in above] == [
        (BreachCode.GRANT_ABOVE_MAX, D("15000"), D("15000.01"))
    ]
    assert check_rules(COSTS, rules) == []  # no grant asked for yet


def test_rules_and_inputs_from_the_snapshot():
    rules = rules_from_data(
        {"name": "Call", "min_grant": "1000.00", "max_grant": None,
         "caps": [{"category": "building_works", "max_percent": "30.00", "ineligible": False},
                  {"category": "vehicles", "max_percent": None, "ineligible": True}]}
    )  # fmt: skip
    assert rules == Rules({"building_works": D("30.00")}, frozenset({"vehicles"}), D("1000.00"))
    assert rules_from_data(None) is None
    inputs = inputs_from_data(
        {"startup_costs": [{"category": "equipment", "description": "Oven", "amount": "100.00",
                            "vat_rate": "22", "vat_recoverable": False}],
         "funding": [{"kind": "own_savings", "amount": "50", "note": ""}],
         "running_costs": [{"description": "Rent", "monthly_amount": "10", "starts_month": 2}],
         "forecast": {"monthly_revenue": ["5"] * 12, "variable_cost_percent": "0",
                      "growth_year2": "0", "growth_year3": "0", "coefficient": "40",
                      "startup_rate": True, "inps_scheme": "artigiani", "inps_reduction": True}}
    )  # fmt: skip
    assert inputs.costs[0].gross == D("122.00")
    assert inputs.running[0].starts_month == 2
    assert inputs.taxes == TaxAssumptions(D("40"), True, "artigiani", True)
    # An empty forecast is twelve zero months.
    assert inputs_from_data({}).forecast.monthly_revenue == (D("0.00"),) * 12


# --- Edge cases ------------------------------------------------------------------------------
def test_all_zero():
    figures = compute(Inputs())
    assert figures.startup.gross == 0 and figures.funding_gap == 0 and figures.funding_covers
    assert len(figures.months) == 36 and len(figures.years) == 3
    assert {m.cash for m in figures.months} == {0}
    assert (figures.lowest_cash, figures.lowest_cash_month) == (0, 1)
    # Zero revenue is not a break-even, even with zero costs.
    assert figures.break_even_month is None
    assert figures.warnings == (Warn.NO_BREAK_EVEN,)


def test_a_one_month_horizon():
    inputs = Inputs(running=(RunningCostLine(D("100")),), forecast=flat("1000"))
    figures = compute(inputs, months=1)
    (month,) = figures.months
    (year,) = figures.years
    # Revenue 1000, income 1000 × 67 % = 670, INPS 670 × 26.07 % = 174.669 -> 174.67,
    # tax (670 − 174.67) × 5 % = 24.7665 -> 24.77; all set aside in that one month.
    assert (year.revenue, year.inps, year.tax) == (D("1000.00"), D("174.67"), D("24.77"))
    assert month.set_aside == D("199.44")
    assert month.cash == D("700.56")  # 1000 − 100 − 199.44
    assert figures.break_even_month == 1
    with pytest.raises(ValueError):
        compute(inputs, months=0)
    with pytest.raises(ValueError):
        compute(inputs, months=37)


def test_revenue_in_one_month_only():
    figures = compute(Inputs(forecast=Forecast((D("0"),) * 11 + (D("600"),))))
    # Only months 12, 24 and 36 have revenue; nothing costs anything, so month 12 breaks even.
    assert figures.break_even_month == 12
    assert [y.revenue for y in figures.years] == [D("600.00")] * 3


def test_floats_are_refused_and_none_come_out():
    with pytest.raises(TypeError):
        CostLine("equipment", 10.5, D("22"), False)
    with pytest.raises(TypeError):
        Forecast((D("1"),) * 11 + (1.0,))
    with pytest.raises(ValueError):
        Forecast((D("1"),) * 11)
    with pytest.raises(ValueError):
        TaxAssumptions(inps_scheme="gestione")

    def values(obj):
        if dataclasses.is_dataclass(obj):
            for f in dataclasses.fields(obj):
                yield from values(getattr(obj, f.name))
        elif isinstance(obj, dict):
            for key, value in obj.items():
                yield key
                yield from values(value)
        elif isinstance(obj, (tuple, list)):
            for item in obj:
                yield from values(item)
        else:
            yield obj

    found = list(values(compute(RAMP)))
    assert len(found) > 36 * 8
    assert not [v for v in found if isinstance(v, float)]


# --- Properties ------------------------------------------------------------------------------
money = st.decimals(min_value=0, max_value=50000, places=2)
percent = st.decimals(min_value=0, max_value=100, places=2)
plans = st.builds(
    Inputs,
    costs=st.lists(
        st.builds(CostLine, st.sampled_from(["equipment", "stock"]), money,
                  st.sampled_from([D(0), D(4), D(5), D(10), D(22)]), st.booleans()),
        max_size=5,
    ).map(tuple),
    funding=st.lists(st.builds(Funding, st.just("own_savings"), money), max_size=3).map(tuple),
    running=st.lists(
        st.builds(RunningCostLine, money, st.integers(min_value=1, max_value=12)), max_size=4
    ).map(tuple),
    forecast=st.builds(Forecast, st.tuples(*[money] * 12), percent,
                       st.decimals(min_value=-100, max_value=100, places=2), percent),
    taxes=st.builds(TaxAssumptions, st.sampled_from([D(40), D(67), D(78)]), st.booleans(),
                    st.sampled_from(["separata", "artigiani", "commercianti"]), st.booleans()),
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(plans)
def test_cash_moves_by_each_months_result(inputs):
    figures = compute(inputs)
    previous = figures.opening_cash
    for month in figures.months:
        assert month.cash == previous + month.result + month.vat_refund - month.set_aside
        assert month.result == month.revenue - month.variable_costs - month.running_costs
        previous = month.cash
    assert figures.lowest_cash == min(m.cash for m in figures.months)


@settings(max_examples=60, deadline=None)
@given(plans)
def test_years_add_up_their_months(inputs):
    figures = compute(inputs)
    for year in figures.years:
        months = figures.months[(year.number - 1) * 12 : year.number * 12]
        assert year.revenue == sum(m.revenue for m in months)
        assert year.result == sum(m.result for m in months)
        assert year.inps + year.tax == sum(m.set_aside for m in months)
        assert year.inps >= 0 and year.tax >= 0
    if figures.break_even_month is not None:
        assert all(m.result >= 0 for m in figures.months[figures.break_even_month - 1 :])
