"""Spreadsheet files that are safe to open: no cell a person typed runs as a formula.

Spreadsheet programs read a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and, in some
of them, one that begins with a tab or a carriage return) as a formula. A participant who
enters ``=HYPERLINK("http://…", "…")`` as their name would otherwise make the coordinator's
spreadsheet open a link or fetch data when the export is opened ("CSV injection", OWASP).

Every CSV or XLSX file the apps write passes its cells through ``spreadsheet_safe``; Wagtail
listings with ``list_export`` get it by putting ``SafeSpreadsheetExportMixin`` in front of
their index view. ``tests/coaching/test_exports.py`` fails for an exporting view of ours that
does not.
"""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Return ``value`` in a form no spreadsheet reads as a formula.

    A string that begins with a formula trigger gets a leading apostrophe, the mark
    spreadsheets use for "text, not a formula". Anything else is returned unchanged: numbers
    (a negative number is a number, not a formula), dates and ``None`` keep their type, so the
    spreadsheet can still sort and sum them.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return f"'{value}"
    return value


class SafeSpreadsheetExportMixin:
    """For a Wagtail view with ``SpreadsheetExportMixin``: every heading and cell, CSV and XLSX.

    Wagtail already keeps openpyxl from storing a value as a formula in XLSX, but the cell
    still holds ``=…`` and turns into one as soon as someone edits it or saves the file as
    CSV; the apostrophe makes both formats read the same.
    """

    def preprocess_field_value(self, field, value, export_format):
        return spreadsheet_safe(super().preprocess_field_value(field, value, export_format))

    def get_heading(self, queryset, field):
        return spreadsheet_safe(super().get_heading(queryset, field))
