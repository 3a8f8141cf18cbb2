"""Spreadsheet exports never hand a spreadsheet program a formula (CSV/XLSX injection).

A participant types their own name and town; a coordinator opens the export in a spreadsheet.
A cell beginning with ``= + - @``, a tab or a carriage return would run as a formula there.
"""

import csv
import datetime
import io

import pytest
from django.urls import get_resolver
from openpyxl import load_workbook
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from coaching.exports import SafeSpreadsheetExportMixin, spreadsheet_safe
from coaching.models import Participant
from tests.coaching.factories import make_participant, sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://x","y")'
TRIGGERS = ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx"]


@pytest.fixture
def hostile(site):
    """One participant per trigger: the name is a formula, the town is the trigger text."""
    people = []
    for text in TRIGGERS:
        person = make_participant(
            user=UserFactory(first_name=HYPERLINK, last_name="Rossi"), status="submitted"
        )
        Participant.objects.filter(pk=person.pk).update(municipality=text)
        people.append(person)
    return people


def _csv_rows(response):
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def _xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows())
    headings = [cell.value for cell in rows[0]]
    return [dict(zip(headings, row, strict=True)) for row in rows[1:]]


def test_csv_export_neutralises_formulas(client, site_coordinator, hostile):
    sign_in(client, site_coordinator)
    response = client.get("/admin/coaching_participant/?export=csv")
    assert response.status_code == 200
    rows = _csv_rows(response)
    assert len(rows) == len(TRIGGERS)
    assert {row["Nome"] for row in rows} == {f"'{HYPERLINK} Rossi"}
    assert sorted(row["Comune di residenza"] for row in rows) == sorted(
        f"'{text}" for text in TRIGGERS
    )


def test_xlsx_export_neutralises_formulas(client, site_coordinator, hostile):
    sign_in(client, site_coordinator)
    response = client.get("/admin/coaching_participant/?export=xlsx")
    assert response.status_code == 200
    rows = _xlsx_rows(response)
    assert len(rows) == len(TRIGGERS)
    for row in rows:
        name = row["Nome"]
        assert name.data_type == "s"
        assert name.value == f"'{HYPERLINK} Rossi"
        assert row["Comune di residenza"].data_type == "s"
        # Dates stay dates a spreadsheet can sort and filter.
        assert isinstance(row["Inviata il"].value, datetime.datetime)
    # XML turns a bare carriage return into a line feed when the file is read back.
    towns = sorted(row["Comune di residenza"].value.replace("\n", "\r") for row in rows)
    assert towns == sorted(f"'{text}" for text in TRIGGERS)


@pytest.mark.parametrize("text", [*TRIGGERS, HYPERLINK, "-5"])
def test_spreadsheet_safe_prefixes_formula_triggers(text):
    assert spreadsheet_safe(text) == f"'{text}"


@pytest.mark.parametrize(
    "value",
    ["Napoli", "", "5", "a=b", None, -5, 2.5, datetime.date(2026, 1, 31), True],
)
def test_spreadsheet_safe_keeps_other_values(value):
    assert spreadsheet_safe(value) == value
    assert type(spreadsheet_safe(value)) is type(value)


def _views(resolver):
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            yield from _views(pattern)
        elif getattr(pattern.callback, "view_class", None) is not None:
            yield pattern.callback


def test_every_export_of_our_apps_goes_through_the_safe_mixin():
    """Ours: a view class of our apps, or any view a viewset gives ``list_export`` to.

    Wagtail's own reports (locked pages, site history, search terms...) configure their
    exports in their own classes and are not ours to change.
    """
    ours = ("coaching.", "mentors.", "resources.", "portal_site.")
    exporting = {
        view.view_class
        for view in _views(get_resolver())
        if issubclass(view.view_class, SpreadsheetExportMixin)
        and (view.view_class.__module__.startswith(ours) or "list_export" in view.view_initkwargs)
    }
    assert any(cls.__name__ == "ParticipantIndexView" for cls in exporting)
    unsafe = [cls for cls in exporting if not issubclass(cls, SafeSpreadsheetExportMixin)]
    assert unsafe == []
