"""The financial model as a spreadsheet whose figures are live formulas (openpyxl).

The person's inputs sit on the first sheet; every other figure is a formula that reads them,
written with the same roundings as ``coaching.plans.financials`` (``ROUND(…, 2)`` where the
module quantizes to cents), so an accountant can change an input and see the totals move, and
the untouched file shows the figures of the page. ``tests/plans/test_xlsx.py`` evaluates the
formulas and compares them with ``compute()``.

Text the person typed (descriptions, notes, the title) goes through ``spreadsheet_safe``, so
that a description such as ``=HYPERLINK(…)`` stays text. Labels are in the active language.
"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from coaching.exports import spreadsheet_safe

from . import financials
from .models import BudgetCategory, Forecast, FundingSource

EURO = '#,##0.00 "€";-#,##0.00 "€"'
PERCENT = '0.00 "%"'
#: Empty rows left in each table of inputs, inside the ranges the formulas sum, so that a line
#: added there counts.
SPARE_ROWS = 3
BOLD = Font(bold=True)

#: The rows of the summary sheet (column B), in order from row 3; tests read them by key.
SUMMARY_KEYS = (
    "startup_net",
    "startup_vat",
    "startup_gross",
    "startup_eligible",
    "recoverable_vat",
    "funding_total",
    "funding_gap",
    "funding_covers",
    "break_even_month",
    "lowest_cash",
    "lowest_cash_month",
)
SUMMARY_FIRST_ROW = 3
#: The rows of the yearly sheet; years are columns B, C, D.
YEAR_KEYS = (
    "revenue",
    "costs",
    "result",
    "income",
    "inps",
    "taxable",
    "tax_rate",
    "tax",
    "set_aside",
    "result_after_taxes",
    "over_ceiling",
)
YEAR_FIRST_ROW = 4


def summary_cell(key: str) -> str:
    return f"B{SUMMARY_FIRST_ROW + SUMMARY_KEYS.index(key)}"


def year_cell(key: str, year: int) -> str:
    return f"{get_column_letter(1 + year)}{YEAR_FIRST_ROW + YEAR_KEYS.index(key)}"


def _sheet_title(text: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    return "".join(c for c in text if c not in "[]:*?/\\")[:31]


def _ref(sheet, cell: str) -> str:
    return "'{}'!{}".format(sheet.title.replace("'", "''"), cell)


def _text(value: str) -> str:
    """A formula's text constant, quotes doubled."""
    return '"{}"'.format(value.replace('"', '""'))


def _put(sheet, row: int, column: int, value, number_format: str | None = None, bold=False):
    """Write one cell. Strings that are not our own formulas must come through ``_safe``."""
    cell = sheet.cell(row=row, column=column, value=value)
    if number_format:
        cell.number_format = number_format
    if bold:
        cell.font = BOLD
    return cell


def _safe(text) -> str:
    """Text typed by a person: never a formula."""
    return spreadsheet_safe(str(text or ""))


def _heading(sheet, row: int, labels) -> None:
    for column, label in enumerate(labels, start=1):
        _put(sheet, row, column, label, bold=True)


def _money(value) -> Decimal:
    return financials.cents(Decimal(value or "0"))


def _label(choices, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return _safe(code)


class _Inputs:
    """The first sheet, and where each input ended up."""

    def __init__(self, book: Workbook, finance: dict, title: str):
        self.sheet = sheet = book.active
        sheet.title = _sheet_title(_("Inputs"))
        inputs = financials.inputs_from_data(finance)
        shown = financials.assumptions(inputs.taxes)
        forecast = finance.get("forecast") or {}
        _put(sheet, 1, 1, _safe(title), bold=True)
        _put(sheet, 2, 1, _("Change the figures on this sheet: the other sheets follow."))

        row = 4
        _put(sheet, row, 1, _("Assumptions"), bold=True)
        scheme = _label(Forecast.InpsScheme, forecast.get("inps_scheme") or "separata")
        assumptions = [
            ("variable", _("Costs that grow with sales (% of revenue)"),
             inputs.forecast.variable_cost_percent, PERCENT, ""),
            ("growth2", _("Revenue growth in year 2 (%)"), inputs.forecast.growth_year2,
             PERCENT, ""),
            ("growth3", _("Revenue growth in year 3 (%)"), inputs.forecast.growth_year3,
             PERCENT, _("On top of year 2.")),
            ("coefficient", _("Profitability coefficient of the forfettario (%)"),
             shown["coefficient"], PERCENT, ""),
            ("inps_rate", _("INPS rate (%)"), shown["inps_rate"], PERCENT, scheme),
            ("minimum_income", _("Minimum income on which INPS is due (€)"),
             shown["minimum_income"], EURO, _("Artisans and traders: reddito minimale 2025.")),
            ("reduction", _("INPS reduction (%)"), shown["inps_reduction"], PERCENT,
             # xgettext:no-python-format
             _("35 % for artisans and traders under the forfettario who ask for it.")),
            *[(f"tax_rate{year}", _("Substitute tax, year %(year)s (%%)") % {"year": year},
               inputs.taxes.tax_rate(year), PERCENT,
               # xgettext:no-python-format
               _("5 % for the first five years of a new activity, otherwise 15 %."))
              for year in (1, 2, 3)],
            ("ceiling", _("Revenue ceiling of the forfettario (€ a year)"),
             shown["forfettario_ceiling"], EURO, ""),
            ("refund_month", _("Month the recoverable VAT comes back"),
             shown["vat_refund_month"], None, _("A simplification.")),
        ]  # fmt: skip
        self.cell = {}
        for key, label, value, number_format, note in assumptions:
            row += 1
            _put(sheet, row, 1, label)
            _put(sheet, row, 2, value, number_format)
            _put(sheet, row, 3, note)
            self.cell[key] = _ref(sheet, f"$B${row}")

        row += 2
        _put(sheet, row, 1, _("Revenue in year 1"), bold=True)
        self.revenue = []
        for month, amount in enumerate(inputs.forecast.monthly_revenue, start=1):
            row += 1
            _put(sheet, row, 1, _("Month %(number)s") % {"number": month})
            _put(sheet, row, 2, amount, EURO)
            self.revenue.append(_ref(sheet, f"$B${row}"))

        row += 2
        _put(sheet, row, 1, _("Start-up costs"), bold=True)
        _heading(sheet, row + 1, [_("Category"), _("What it is"), _("Amount before VAT"),
                                  _("VAT rate (%)"), _("VAT recoverable")])  # fmt: skip
        self.cost_rows = range(row + 2, row + 2 + len(inputs.costs) + SPARE_ROWS)
        for r, line in zip(self.cost_rows, inputs.costs, strict=False):
            _put(sheet, r, 1, _label(BudgetCategory, line.category))
            _put(sheet, r, 2, _safe(line.description))
            _put(sheet, r, 3, line.amount, EURO)
            _put(sheet, r, 4, line.vat_rate, PERCENT)
            _put(sheet, r, 5, line.vat_recoverable)
        row = self.cost_rows[-1] + 2

        _put(sheet, row, 1, _("Funding"), bold=True)
        _heading(sheet, row + 1, [_("Source"), _("Amount"), _("Note")])
        funding = finance.get("funding") or []
        self.funding_rows = range(row + 2, row + 2 + len(funding) + SPARE_ROWS)
        for r, source in zip(self.funding_rows, funding, strict=False):
            _put(sheet, r, 1, _label(FundingSource.Kind, source.get("kind", "")))
            _put(sheet, r, 2, _money(source.get("amount")), EURO)
            _put(sheet, r, 3, _safe(source.get("note")))
        row = self.funding_rows[-1] + 2

        _put(sheet, row, 1, _("Running costs"), bold=True)
        _heading(sheet, row + 1, [_("What it is"), _("Each month"), _("From month")])
        self.running_rows = range(row + 2, row + 2 + len(inputs.running) + SPARE_ROWS)
        for r, line in zip(self.running_rows, inputs.running, strict=False):
            _put(sheet, r, 1, _safe(line.description))
            _put(sheet, r, 2, line.monthly_amount, EURO)
            _put(sheet, r, 3, line.starts_month)
        for column, width in zip("ABCDE", (48, 34, 40, 14, 16), strict=True):
            sheet.column_dimensions[column].width = width

    def column(self, rows: range, letter: str) -> str:
        return _ref(self.sheet, f"${letter}${rows[0]}:${letter}${rows[-1]}")


def _startup(book: Workbook, inputs: _Inputs) -> dict[str, str]:
    """Each cost line's VAT, gross and eligible amount; totals by category and in all."""
    sheet = book.create_sheet(_sheet_title(_("Start-up costs")))
    _put(sheet, 1, 1, _("Start-up costs"), bold=True)
    _heading(sheet, 3, [_("Category"), _("What it is"), _("Before VAT"), _("VAT"),
                        _("With VAT"), _("Eligible"), _("VAT that comes back")])  # fmt: skip
    first = 4
    for offset, r in enumerate(inputs.cost_rows):
        row, src = first + offset, lambda letter, r=r: _ref(inputs.sheet, f"{letter}{r}")
        _put(sheet, row, 1, f'=IF({src("A")}="","",{src("A")})')
        _put(sheet, row, 2, f'=IF({src("B")}="","",{src("B")})')
        _put(sheet, row, 3, f"={src('C')}", EURO)
        _put(sheet, row, 4, f"=ROUND({src('C')}*{src('D')}/100,2)", EURO)
        _put(sheet, row, 5, f"=C{row}+D{row}", EURO)
        # The ESF+ rule: VAT is eligible only when it cannot be recovered.
        _put(sheet, row, 6, f"=IF({src('E')},C{row},E{row})", EURO)
        _put(sheet, row, 7, f"=IF({src('E')},D{row},0)", EURO)
    last = first + len(inputs.cost_rows) - 1
    total_row = last + 1
    _put(sheet, total_row, 1, _("Total"), bold=True)
    for column in "CDEFG":
        _put(sheet, total_row, "CDEFG".index(column) + 3,
             f"=SUM({column}{first}:{column}{last})", EURO, bold=True)  # fmt: skip

    row = total_row + 2
    _put(sheet, row, 1, _("By category"), bold=True)
    _heading(sheet, row + 1, ["", "", _("Before VAT"), _("VAT"), _("With VAT"), _("Eligible")])
    row += 1
    for label in BudgetCategory.labels:
        row += 1
        _put(sheet, row, 1, str(label))
        for column in "CDEF":
            _put(sheet, row, "CDEF".index(column) + 3,
                 f"=SUMIF($A${first}:$A${last},$A{row},{column}${first}:{column}${last})",
                 EURO)  # fmt: skip

    row += 2
    funding = f"SUM({inputs.column(inputs.funding_rows, 'B')})"
    _put(sheet, row, 1, _("Funding"), bold=True)
    _put(sheet, row, 5, f"={funding}", EURO, bold=True)
    _put(sheet, row + 1, 1, _("Funding minus start-up costs with VAT"), bold=True)
    _put(sheet, row + 1, 5, f"=E{row}-E{total_row}", EURO, bold=True)
    sheet.column_dimensions["A"].width = 44
    sheet.column_dimensions["B"].width = 30
    for column in "CDEFG":
        sheet.column_dimensions[column].width = 16
    cell = {key: _ref(sheet, f"${column}${total_row}") for key, column in
            (("net", "C"), ("vat", "D"), ("gross", "E"), ("eligible", "F"),
             ("recoverable_vat", "G"))}  # fmt: skip
    cell["funding"] = _ref(sheet, f"$E${row}")
    cell["gap"] = _ref(sheet, f"$E${row + 1}")
    return cell


def _months_and_years(book: Workbook, inputs: _Inputs, startup: dict, months: int):
    """The month-by-month table and the yearly taxes; each needs the other's cells."""
    sheet = book.create_sheet(_sheet_title(_("Months")))
    years = book.create_sheet(_sheet_title(_("Years")))
    first, last = 4, 3 + months
    year_count = (months + 11) // 12

    def year_ref(key, year):
        return _ref(years, year_cell(key, year))

    _put(sheet, 1, 1, _("Month by month (before taxes, cash after setting taxes aside)"), bold=True)
    _heading(sheet, 3, [_("Month"), _("Year"), _("Revenue"), _("Costs that grow with sales"),
                        _("Running costs"), _("Result"), _("Set aside for INPS and tax"),
                        _("VAT that comes back"), _("Cash at the end of the month"),
                        _("No loss from here on"), _("Break-even candidate")])  # fmt: skip
    running = inputs.column(inputs.running_rows, "B")
    starts = inputs.column(inputs.running_rows, "C")
    for number in range(1, months + 1):
        row, year = first + number - 1, (number - 1) // 12 + 1
        _put(sheet, row, 1, number)
        _put(sheet, row, 2, year)
        if number <= 12:
            revenue = f"={inputs.revenue[number - 1]}"
        else:
            growth = inputs.cell["growth2" if year == 2 else "growth3"]
            revenue = f"=ROUND(C{row - 12}*(100+{growth})/100,2)"
        _put(sheet, row, 3, revenue, EURO)
        _put(sheet, row, 4, f"=ROUND(C{row}*{inputs.cell['variable']}/100,2)", EURO)
        _put(sheet, row, 5, f'=SUMPRODUCT(({starts}<=A{row})*({starts}<>""),{running})', EURO)
        _put(sheet, row, 6, f"=C{row}-D{row}-E{row}", EURO)
        # A share of the year's INPS and tax each month; the year's last month takes the rest.
        in_year = min(12, months - (year - 1) * 12)
        due = year_ref("set_aside", year)
        share = f"ROUND({due}/{in_year},2)"
        last_of_year = number == min(year * 12, months)
        _put(sheet, row, 7, f"={due}-{in_year - 1}*{share}" if last_of_year else f"={share}",
             EURO)  # fmt: skip
        _put(sheet, row, 8, f"=IF(A{row}={inputs.cell['refund_month']},"
                            f"{startup['recoverable_vat']},0)", EURO)  # fmt: skip
        previous = startup["gap"] if number == 1 else f"I{row - 1}"
        _put(sheet, row, 9, f"={previous}+F{row}+H{row}-G{row}", EURO)
        after = "TRUE" if number == months else f"J{row + 1}"
        _put(sheet, row, 10, f"=AND(F{row}>=0,{after})")
        _put(sheet, row, 11, f'=IF(AND(J{row},C{row}>0),A{row},"")')
    for column, width in zip("ABCDEFGHIJK", (8, 6, *[16] * 9), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "C4"

    _put(years, 1, 1, _("Years: regime forfettario, a simple estimate"), bold=True)
    _heading(years, 3, ["", *[_("Year %(number)s") % {"number": y} for y in range(1, 4)]])
    labels = {
        "revenue": _("Revenue"),
        "costs": _("Costs"),
        "result": _("Result before taxes"),
        "income": _("Taxable income (revenue × coefficient)"),
        "inps": _("INPS contributions"),
        "taxable": _("Income after INPS"),
        "tax_rate": _("Substitute tax rate"),
        "tax": _("Substitute tax"),
        "set_aside": _("INPS and tax to set aside"),
        "result_after_taxes": _("Result after INPS and tax"),
        "over_ceiling": _("Above the forfettario ceiling?"),
    }
    for key in YEAR_KEYS:
        _put(years, YEAR_FIRST_ROW + YEAR_KEYS.index(key), 1, labels[key])
    over = _text(_("Yes: the forfettario ends"))
    for year in range(1, year_count + 1):
        col = get_column_letter(1 + year)
        top, bottom = first + (year - 1) * 12, min(first + year * 12 - 1, last)

        def c(key, col=col):
            return f"{col}{YEAR_FIRST_ROW + YEAR_KEYS.index(key)}"

        cells = {
            "revenue": f"=SUM({_ref(sheet, f'C{top}:C{bottom}')})",
            "costs": f"=SUM({_ref(sheet, f'D{top}:E{bottom}')})",
            "result": f"={c('revenue')}-{c('costs')}",
            "income": f"=ROUND({c('revenue')}*{inputs.cell['coefficient']}/100,2)",
            "inps": f"=ROUND(MAX({c('income')},{inputs.cell['minimum_income']})"
            f"*{inputs.cell['inps_rate']}/100*(100-{inputs.cell['reduction']})/100,2)",
            "taxable": f"=MAX({c('income')}-{c('inps')},0)",
            "tax_rate": f"={inputs.cell[f'tax_rate{year}']}",
            "tax": f"=ROUND({c('taxable')}*{c('tax_rate')}/100,2)",
            "set_aside": f"={c('inps')}+{c('tax')}",
            "result_after_taxes": f"={c('result')}-{c('inps')}-{c('tax')}",
            "over_ceiling": f'=IF({c("revenue")}>{inputs.cell["ceiling"]},{over},"")',
        }
        for key, formula in cells.items():
            number_format = {"tax_rate": PERCENT, "over_ceiling": None}.get(key, EURO)
            _put(years, YEAR_FIRST_ROW + YEAR_KEYS.index(key), 1 + year, formula, number_format)
    years.column_dimensions["A"].width = 44
    for column in "BCD":
        years.column_dimensions[column].width = 18
    return {
        "cash": _ref(sheet, f"$I${first}:$I${last}"),
        "month": _ref(sheet, f"$A${first}:$A${last}"),
        "candidate": _ref(sheet, f"$K${first}:$K${last}"),
    }


def workbook(finance: dict, figures: financials.Figures, *, language: str, title: str) -> bytes:
    """The XLSX file of a plan's ``finance`` snapshot; ``figures`` (from ``compute``) sets the
    horizon. Every figure is a formula on the inputs sheet."""
    with translation.override(language):
        book = Workbook()
        inputs = _Inputs(book, finance, title)
        summary = book.create_sheet(_sheet_title(_("Summary")), 1)
        startup = _startup(book, inputs)
        months = _months_and_years(book, inputs, startup, len(figures.months))

        _put(summary, 1, 1, _safe(title), bold=True)
        none = _text(_("not within the plan"))
        lowest = f"MIN({months['cash']})"
        rows = {
            "startup_net": (_("Start-up costs before VAT"), f"={startup['net']}", EURO),
            "startup_vat": (_("VAT on start-up costs"), f"={startup['vat']}", EURO),
            "startup_gross": (_("Start-up costs with VAT"), f"={startup['gross']}", EURO),
            "startup_eligible": (_("Eligible for a grant"), f"={startup['eligible']}", EURO),
            "recoverable_vat": (_("VAT that comes back"), f"={startup['recoverable_vat']}",
                                EURO),
            "funding_total": (_("Funding"), f"={startup['funding']}", EURO),
            "funding_gap": (_("Funding minus start-up costs with VAT"), f"={startup['gap']}",
                            EURO),
            "funding_covers": (_("Does the funding cover the start-up costs?"),
                               f"=IF({startup['gap']}>=0,{_text(_('Yes'))},{_text(_('No'))})",
                               None),
            "break_even_month": (_("Break-even month"),
                                 f"=IF(COUNT({months['candidate']})=0,{none},"
                                 f"MIN({months['candidate']}))", None),
            "lowest_cash": (_("Lowest cash"), f"={lowest}", EURO),
            "lowest_cash_month": (_("Month of the lowest cash"),
                                  f"=INDEX({months['month']},MATCH({lowest},{months['cash']},0))",
                                  None),
        }  # fmt: skip
        for key in SUMMARY_KEYS:
            label, formula, number_format = rows[key]
            row = SUMMARY_FIRST_ROW + SUMMARY_KEYS.index(key)
            _put(summary, row, 1, label)
            _put(summary, row, 2, formula, number_format, bold=True)
        note = _("An estimate to plan with, not tax advice: ask an accountant before you decide.")
        _put(summary, SUMMARY_FIRST_ROW + len(SUMMARY_KEYS) + 1, 1, note)
        summary.column_dimensions["A"].width = 48
        summary.column_dimensions["B"].width = 22
        book.properties.title = _safe(title)[:255]
        book.properties.language = language
        out = BytesIO()
        book.save(out)
        return out.getvalue()
