"""The grants' audit trail in the admin: the log entries of the grant records of the
viewer's sites only, as a page and as CSV or XLSX files in which a text a person typed never
opens as a formula; each download is in the access log."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from coaching.models import AccessLog
from tests.coaching.factories import sign_in
from tests.grants.factories import make_award, make_call, make_expense, make_staff

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://x","y")'
AUDIT = "grants_ledger:audit"


@pytest.fixture(autouse=True)
def storage(private_storage_root):
    return private_storage_root


@pytest.fixture
def logged(site, other_site):
    """On each site an award with an expense logged: ours by a hostile supplier's name."""
    here = make_award(call=make_call(site=site))
    there = make_award(call=make_call(site=other_site, slug="altrove"))
    return {
        "here": make_expense(here, supplier=HYPERLINK),
        "there": make_expense(there, supplier="Sartoria Altrove"),
    }


def _export(client, fmt):
    response = client.get(reverse(AUDIT), {"export": fmt})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_page_lists_only_the_viewers_sites(client, site, logged):
    sign_in(client, make_staff("Coordinator", site=site))
    response = client.get(reverse(AUDIT))
    assert response.status_code == 200
    html = response.content.decode()
    assert "HYPERLINK" in html and "Sartoria Altrove" not in html


def test_csv_neutralises_formulas_and_keeps_to_the_site(client, site, logged):
    sign_in(client, make_staff("Coordinator", site=site))
    rows = list(csv.reader(io.StringIO(_export(client, "csv").decode())))
    labels = [row[1] for row in rows[1:]]
    assert f"'{HYPERLINK} 10.00" in labels
    assert not any(label.startswith("=") for label in labels)
    assert not any("Sartoria Altrove" in label for label in labels)
    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT_PARTICIPANTS)
    assert log.details["report"] == "grants_audit_trail" and log.details["format"] == "csv"


def test_xlsx_neutralises_formulas(client, site, logged):
    sign_in(client, make_staff("Finance officer", site=site))
    sheet = load_workbook(io.BytesIO(_export(client, "xlsx"))).active
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    hostile = [cell for cell in cells if "HYPERLINK" in str(cell.value)]
    assert hostile and all(cell.data_type == "s" for cell in hostile)
    assert all(cell.value == f"'{HYPERLINK} 10.00" for cell in hostile)
    assert not any("Sartoria" in str(cell.value) for cell in cells)


def test_the_other_sites_staff_see_theirs(client, other_site, logged):
    sign_in(client, make_staff("Coordinator", site=other_site))
    body = _export(client, "csv").decode()
    assert "Sartoria Altrove" in body and "HYPERLINK" not in body


def test_editors_mentors_and_anonymous_people_get_nothing(client, logged, mentor):
    response = Client().get(reverse(AUDIT), {"export": "csv"})
    assert response.status_code == 302 and "login" in response["Location"]
    sign_in(client, make_staff("Editor"))
    response = client.get(reverse(AUDIT), {"export": "csv"})
    assert response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )
    other = Client()
    other.force_login(mentor)
    response = other.get(reverse(AUDIT), {"export": "csv"})
    assert response.status_code == 302 and "/admin/grants" not in response["Location"]
    assert not AccessLog.objects.exists()
