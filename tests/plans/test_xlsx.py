"""The financial model's spreadsheet: its formulas, evaluated by the ``formulas`` package, give
the figures of ``compute()`` to the cent, and what a person typed stays text."""

import copy
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO

import formulas
import openpyxl
import pytest

from coaching.plans import financials, xlsx

RAMP = {
    "startup_costs": [
        {"category": "equipment", "description": "Oven", "amount": "2000.00", "vat_rate": "22",
         "vat_recoverable": True},
        {"category": "stock", "description": "Flour", "amount": "123.45", "vat_rate": "10",
         "vat_recoverable": False},
        {"category": "equipment", "description": "Mixer", "amount": "310.10", "vat_rate": "22",
         "vat_recoverable": False},
    ],
    "funding": [{"kind": "own_savings", "amount": "3000.00", "note": ""},
                {"kind": "microgrant", "amount": "1500.00", "note": "Call 2025"}],
    "running_costs": [{"description": "Rent", "monthly_amount": "1500.00", "starts_month": 1},
                      {"description": "Phone", "monthly_amount": "30.50", "starts_month": 4}],
    "forecast": {"monthly_revenue": [str(1000 + 200 * k) for k in range(12)],
                 "variable_cost_percent": "7.5", "growth_year2": "50", "growth_year3": "3.3",
                 "coefficient": "78", "startup_rate": True, "inps_scheme": "separata",
                 "inps_reduction": False},
}  # fmt: skip

SHORT = {
    "startup_costs": [
        {"category": "building_works", "description": "=HYPERLINK(\"http://evil.example\",\"x\")",
         "amount": "8000.00", "vat_rate": "22", "vat_recoverable": False},
        {"category": "vehicles", "description": "+van", "amount": "6500.00", "vat_rate": "22",
         "vat_recoverable": True},
    ],
    "funding": [{"kind": "family", "amount": "5000.00", "note": "@SUM(A1:A9)"}],
    "running_costs": [{"description": "-rent", "monthly_amount": "900.00", "starts_month": 2}],
    "forecast": {"monthly_revenue": ["700.00", "0", "850.55", "900", "333.33", "1200", "640",
                                     "0", "999.99", "1000", "725", "880"],
                 "variable_cost_percent": "33.33", "growth_year2": "-10", "growth_year3": "12.5",
                 "coefficient": "67", "startup_rate": False, "inps_scheme": "artigiani",
                 "inps_reduction": True},
}  # fmt: skip


def to_cents(value) -> Decimal:
    return Decimal(repr(float(value))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def evaluate(data: bytes, tmp_path) -> tuple[dict, list[str]]:
    """Every cell's evaluated value by (sheet index, cell), and the sheet names."""
    path = tmp_path / "plan.xlsx"
    path.write_bytes(data)
    names = openpyxl.load_workbook(path).sheetnames
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    index = {name.upper(): n for n, name in enumerate(names)}
    values = {}
    for key, ranges in solution.items():
        if "!" not in key or ":" in key:
            continue
        sheet, cell = key.rsplit("!", 1)
        values[(index[sheet.strip("'").split("]", 1)[1]], cell)] = ranges.value[0][0]
    return values, names


def assert_same_figures(values, figures):
    summary = {key: values[(1, xlsx.summary_cell(key))] for key in xlsx.SUMMARY_KEYS}
    expected = {
        "startup_net": figures.startup.net,
        "startup_vat": figures.startup.vat,
        "startup_gross": figures.startup.gross,
        "startup_eligible": figures.startup.eligible,
        "recoverable_vat": figures.startup.recoverable_vat,
        "funding_total": figures.funding_total,
        "funding_gap": figures.funding_gap,
        "lowest_cash": figures.lowest_cash,
    }
    assert {k: to_cents(summary[k]) for k in expected} == expected
    assert summary["funding_covers"] == ("Yes" if figures.funding_covers else "No")
    assert summary["lowest_cash_month"] == figures.lowest_cash_month
    if figures.break_even_month is None:
        assert summary["break_even_month"] == "not within the plan"
    else:
        assert summary["break_even_month"] == figures.break_even_month
    for year in figures.years:
        for key in ("revenue", "costs", "result", "income", "inps", "taxable", "tax",
                    "result_after_taxes"):  # fmt: skip
            cell = (4, xlsx.year_cell(key, year.number))
            assert to_cents(values[cell]) == getattr(year, key), (key, year.number)
    for month in figures.months:
        row = 3 + month.number
        for column, attribute in zip("CDEFGHI", ("revenue", "variable_costs", "running_costs",
                                                 "result", "set_aside", "vat_refund", "cash"),
                                     strict=True):  # fmt: skip
            assert to_cents(values[(3, f"{column}{row}")]) == getattr(month, attribute), (
                attribute,
                month.number,
            )


@pytest.mark.parametrize("finance", [RAMP, SHORT], ids=["ramp", "short"])
def test_the_evaluated_formulas_equal_compute(finance, tmp_path):
    figures = financials.compute(financials.inputs_from_data(finance))
    data = xlsx.workbook(finance, figures, language="en", title="Bakery")
    values, names = evaluate(data, tmp_path)
    assert names == ["Inputs", "Summary", "Start-up costs", "Months", "Years"]
    assert_same_figures(values, figures)


def test_the_two_cases_cover_what_they_claim():
    ramp = financials.compute(financials.inputs_from_data(RAMP))
    short = financials.compute(financials.inputs_from_data(SHORT))
    assert ramp.funding_covers and ramp.break_even_month == 26 and ramp.lowest_cash < 0
    assert not short.funding_covers and short.break_even_month is None
    assert short.startup.recoverable_vat == Decimal("1430.00")  # 6500 × 22 %


def test_an_accountant_changes_an_input_and_the_totals_move(tmp_path):
    figures = financials.compute(financials.inputs_from_data(RAMP))
    book = openpyxl.load_workbook(BytesIO(xlsx.workbook(RAMP, figures, language="en",
                                                        title="Bakery")))  # fmt: skip
    inputs = book["Inputs"]
    rows = {inputs.cell(r, 2).value: r for r in range(1, inputs.max_row + 1)}
    oven = rows["Oven"]
    inputs.cell(oven, 3).value = 2500  # the oven costs 500 more
    inputs.cell(oven, 5).value = False  # and its VAT cannot be recovered after all
    months = {inputs.cell(r, 1).value: r for r in range(1, inputs.max_row + 1)}
    inputs.cell(months["Month 7"], 2).value = 9000  # a big order in July
    edited = BytesIO()
    book.save(edited)

    changed = copy.deepcopy(RAMP)
    changed["startup_costs"][0].update(amount="2500", vat_recoverable=False)
    changed["forecast"]["monthly_revenue"][6] = "9000"
    expected = financials.compute(financials.inputs_from_data(changed))
    values, _ = evaluate(edited.getvalue(), tmp_path)
    assert expected.startup.gross != figures.startup.gross
    assert expected.years[0].tax != figures.years[0].tax
    assert_same_figures(values, expected)


def test_what_a_person_typed_stays_text(tmp_path):
    figures = financials.compute(financials.inputs_from_data(SHORT))
    data = xlsx.workbook(SHORT, figures, language="en", title="=cmd|' /C calc'!A0")
    book = openpyxl.load_workbook(BytesIO(data))
    typed = {"=HYPERLINK", "+van", "@SUM", "-rent", "=cmd"}
    found = []
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                text = cell.value if isinstance(cell.value, str) else ""
                if any(word in text for word in typed) and not text.startswith("=IF("):
                    found.append(cell)
    # The title twice, three descriptions, one note; every one text, not a formula.
    assert len(found) == 6
    assert {cell.data_type for cell in found} == {"s"}
    assert all(cell.value.startswith("'") for cell in found)
    (link,) = [c for c in found if "HYPERLINK" in c.value and c.parent.title == "Inputs"]
    values, _ = evaluate(data, tmp_path)
    assert values[(0, link.coordinate)] == "'" + SHORT["startup_costs"][0]["description"]


def test_the_language_and_the_number_formats():
    figures = financials.compute(financials.inputs_from_data(RAMP))
    book = openpyxl.load_workbook(
        BytesIO(xlsx.workbook(RAMP, figures, language="it", title="Forno"))
    )
    assert book.properties.language == "it"
    inputs = book.worksheets[0]
    formats = {c.number_format for row in inputs.iter_rows() for c in row if c.value is not None}
    assert {xlsx.EURO, xlsx.PERCENT} <= formats
