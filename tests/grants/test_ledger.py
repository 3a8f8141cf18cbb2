"""The grants' figures (per grant, call and site) to the cent, and the ledger report in the
admin: coordinators and finance officers read their own sites' figures only; editors,
mentors and anonymous people read nothing."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coaching.grants.models import Award, Expense, ExpenseReport, LedgerEntry, Tranche
from coaching.grants.services.ledger import call_figures, grant_figures, site_figures
from tests.coaching.factories import sign_in
from tests.grants.factories import make_application, make_award, make_call, make_staff, pay_first

pytestmark = pytest.mark.django_db

LEDGER = "grants_ledger:report"


def receipt():
    return SimpleUploadedFile("r.pdf", b"%PDF-1.4\n%%EOF\n")


def expense(report, line, amount, review=Expense.Review.PENDING):
    return Expense.objects.create(
        report=report,
        budget_line=line,
        supplier="Fornitore",
        description="Acquisto",
        spent_on=timezone.localdate(),
        amount=Decimal(amount),
        receipt=receipt(),
        receipt_name="r.pdf",
        review=review,
        review_reason="No" if review == Expense.Review.REJECTED else "",
    )


@pytest.fixture(autouse=True)
def storage(private_storage_root):
    return private_storage_root


@pytest.fixture
def call(site):
    return make_call(site=site)


@pytest.fixture
def award(call):
    return make_award(call=call, amount="5000.00")


def test_a_grant_with_a_payout_and_a_repayment_balances_to_the_cent(award):
    pay_first(award)  # 70 % of 5000.00
    LedgerEntry.objects.create(
        award=award, site_id=award.site_id, kind=LedgerEntry.Kind.REPAYMENT, amount_cents=-12345
    )
    Tranche.objects.filter(award=award, number=2).update(status=Tranche.Status.SENDING)
    lines = list(award.application.budget_lines.order_by("position"))
    sent = ExpenseReport.objects.create(award=award, status=ExpenseReport.Status.SUBMITTED)
    expense(sent, lines[0], "3000.10", Expense.Review.ACCEPTED)
    expense(sent, lines[1], "199.99")
    expense(sent, lines[2], "50.00", Expense.Review.REJECTED)
    draft = ExpenseReport.objects.create(award=award)
    expense(draft, lines[3], "999.00")  # not reported yet

    figures = grant_figures(award)
    assert figures.awarded == Decimal("5000.00")
    assert figures.paid == Decimal("3500.00")
    assert figures.repaid == Decimal("123.45")
    assert figures.net_paid == Decimal("3376.55")
    assert figures.remaining == Decimal("1623.45")
    assert figures.net_paid + figures.remaining == figures.awarded
    assert figures.in_flight == Decimal("1500.00")
    assert figures.approved == Decimal("0.00")
    assert figures.reported == Decimal("3250.09")
    assert figures.accepted == Decimal("3000.10")
    for value in (figures.paid, figures.repaid, figures.remaining, figures.reported):
        assert isinstance(value, Decimal) and value.as_tuple().exponent == -2


def test_approved_tranches_are_counted_apart(award):
    Tranche.objects.filter(award=award, number=1).update(status=Tranche.Status.APPROVED)
    figures = grant_figures(award)
    assert figures.approved == Decimal("3500.00")
    assert figures.paid == Decimal("0.00") and figures.remaining == Decimal("5000.00")


def test_call_and_site_figures(site, other_site, call, award):
    pay_first(award)
    declined = make_award(
        application=make_application(call=call, submitted=True), amount="4000", accepted=False
    )
    Award.objects.filter(pk=declined.pk).update(status=Award.Status.DECLINED)
    make_award(call=make_call(site=other_site, slug="altrove"), amount="2000")

    figures = call_figures(call)
    assert figures.budget == Decimal("20000.00")
    assert figures.committed == Decimal("5000.00")  # the declined award holds nothing
    assert figures.paid == Decimal("3500.00")
    assert figures.left == Decimal("15000.00")

    second = make_call(site=site, slug="bando-bis", title="Bando bis", budget="1000.50")
    ours = site_figures(site)
    assert [c.call.pk for c in ours.calls] == [call.pk, second.pk]
    assert ours.budget == Decimal("21000.50")
    assert ours.committed == Decimal("5000.00")
    assert ours.paid == Decimal("3500.00")
    assert ours.left == Decimal("16000.50")
    theirs = site_figures(other_site)
    assert theirs.budget == Decimal("20000.00") and theirs.committed == Decimal("2000.00")


# --- The admin report --------------------------------------------------------------------------


@pytest.fixture
def two_sites(site, other_site, award):
    there = make_award(call=make_call(site=other_site, slug="altrove"), amount="2000")
    return award, there


def _page(client) -> str:
    response = client.get(reverse(LEDGER))
    assert response.status_code == 200
    return response.content.decode()


def ref(award) -> str:
    return award.application.participant.reference


@pytest.mark.parametrize("role", ["Coordinator", "Finance officer"])
def test_staff_read_the_ledger_of_their_site_only(client, two_sites, site, role):
    here, there = two_sites
    sign_in(client, make_staff(role, site=site))
    html = _page(client)
    assert ref(here) in html and ref(there) not in html
    assert "Bando microcredito 2027" in html
    assert "Altrove" not in html


def test_a_finance_officer_of_the_other_site_reads_that_one(client, two_sites, other_site):
    here, there = two_sites
    sign_in(client, make_staff("Finance officer", site=other_site))
    html = _page(client)
    assert ref(there) in html and ref(here) not in html


def test_editors_mentors_and_anonymous_people_read_nothing(client, two_sites, mentor):
    response = Client().get(reverse(LEDGER))
    assert response.status_code == 302 and "login" in response["Location"]
    sign_in(client, make_staff("Editor"))
    response = client.get(reverse(LEDGER))
    assert response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )
    mentor_client = Client()
    mentor_client.force_login(mentor)
    response = mentor_client.get(reverse(LEDGER))
    assert response.status_code == 302 and "/admin/grants" not in response["Location"]
