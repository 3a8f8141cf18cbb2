"""Security review findings: each test fails while its finding stands."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from coaching.grants.services.expenses import expense_add
from tests.coaching.factories import sign_in
from tests.grants.factories import make_award, make_call, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def storage(private_storage_root):
    return private_storage_root


def _expense(award, supplier):
    return expense_add(
        award=award,
        budget_line=award.application.budget_lines.first(),
        supplier=supplier,
        description="Forno",
        spent_on=timezone.localdate(),
        amount=Decimal("10.00"),
        vat=Decimal("0"),
        receipt=SimpleUploadedFile("r.pdf", b"%PDF-1.4\n%%EOF\n"),
        by=award.application.participant.user,
    )[0]


@pytest.mark.parametrize("role", ["Coordinator", "Finance officer"])
def test_wagtail_site_history_does_not_show_other_sites_grant_records(
    client, site, other_site, role
):
    """F1: Wagtail's own Site history report lists every ModelLogEntry of a content type the
    user holds any permission on, across sites (ModelLogEntry.viewable_by_user)."""
    there = make_award(call=make_call(site=other_site, slug="altrove"))
    _expense(there, "Sartoria Altrove SECRET")
    sign_in(client, make_staff(role, site=site))
    response = client.get("/admin/reports/site-history/")
    assert response.status_code in (200, 302, 403)
    html = response.content.decode()
    assert "Sartoria Altrove SECRET" not in html
    assert str(there.application) not in html
