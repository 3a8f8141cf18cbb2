"""The whole microgrant path through the services, on PostgreSQL and against the fake Stripe:
call → application → two evaluations → award → agreement → onboarding → first tranche paid →
expense report → second tranche paid → the ledger balances to the cent, and every step is in
Wagtail's log."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from coaching.grants.agreement import agreement_pdf, agreement_sha256
from coaching.grants.models import Award, GrantApplication, GrantLogEntry, LedgerEntry, Tranche
from coaching.grants.models.money import to_cents
from coaching.grants.services import accounts, applications, awards, evaluation, expenses, payouts
from coaching.grants.services.ledger import grant_figures
from tests.coaching.factories import make_participant
from tests.grants import payouts_fixtures
from tests.grants.factories import make_call, make_ready_plan, make_staff

pytestmark = pytest.mark.django_db

fake_stripe = payouts_fixtures.fake_stripe
stripe_settings = payouts_fixtures.stripe_settings

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf(name="file.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_call_to_second_tranche_balances_to_the_cent(site, stripe_settings, fake_stripe):
    fake_stripe.set_balance(payouts_fixtures.BALANCE, "eur")
    coordinator = make_staff("Coordinator")
    finance = make_staff("Finance officer")
    evaluators = [make_staff("Evaluator"), make_staff("Evaluator")]
    call = make_call(budget="10000")
    participant = make_participant(site=site, status="eligible")
    user = participant.user

    # Application: from the ready plan, with its document and declarations, submitted.
    plan = make_ready_plan(participant=participant, grant="5000")
    application = applications.application_start(call=call, plan=plan, by=user)
    assert application.budget_lines.count() == 4
    applications.document_add(
        application=application,
        requirement=call.required_documents.get(),
        upload=_pdf("identita.pdf"),
        by=user,
    )
    application, _ = applications.application_save(
        application=application,
        by=user,
        data={
            "requested_amount": Decimal("5000.00"),
            "project_summary": "Una sartoria di quartiere che ripara e riusa.",
            "declares_truthful": True,
            "de_minimis_received": Decimal("0"),
            "de_minimis_declared": True,
        },
        revision=application.revision,
    )
    application, submitted = applications.application_submit(application=application, by=user)
    assert submitted and application.status == GrantApplication.Status.SUBMITTED

    # Two evaluations, each after declaring no conflict.
    criteria = list(call.criteria.order_by("sort_order"))
    for evaluator, marks in zip(evaluators, ((8, 7), (9, 6)), strict=True):
        assignment, _ = evaluation.assignment_create(
            application=application, evaluator=evaluator, by=coordinator
        )
        assignment, _ = evaluation.assignment_declare(
            assignment=assignment, conflict=False, by=evaluator
        )
        evaluation.evaluation_save(
            assignment=assignment,
            scores={c.pk: (mark, "Motivato.") for c, mark in zip(criteria, marks, strict=True)},
            comment="Buon progetto.",
            submit=True,
            by=evaluator,
        )

    # Award within the budget, accepted by signing the agreement generated from it.
    award, made = awards.award_grant(
        application=application, amount=Decimal("5000.00"), by=coordinator
    )
    assert made and awards.budget_left(call) == Decimal("5000.00")
    assert agreement_pdf(award).startswith(b"%PDF")
    award, accepted = awards.award_accept(
        award=award,
        signed_name=user.get_full_name(),
        fingerprint=agreement_sha256(award),
        by=user,
    )
    assert accepted and award.status == Award.Status.ACCEPTED
    first, second = award.tranches.order_by("number")
    assert (first.amount, second.amount) == (Decimal("3500.00"), Decimal("1500.00"))
    assert (first.status, second.status) == (Tranche.Status.DUE, Tranche.Status.WAITING)

    # Onboarding on Stripe's hosted pages (the fake's), then the state read back.
    payee = accounts.payee_account_open(participant=participant, by=user)
    assert not payee.can_receive
    fake_stripe.complete_onboarding(payee.stripe_account_id)
    payee = accounts.payee_account_sync(payee=payee)
    assert payee.can_receive

    # First tranche: requested, approved by someone else, paid once.
    def pay(tranche):
        payouts.tranche_request(tranche=tranche, by=coordinator)
        payouts.tranche_approve(tranche=tranche, by=finance)
        return payouts.tranche_pay(tranche=tranche, by=finance)

    first = pay(first)
    assert first.status == Tranche.Status.SENT and first.transfer_id

    # Expense report justifying the first tranche; its check makes the second due.
    lines = list(application.budget_lines.order_by("position"))
    spent_on = timezone.localdate() - datetime.timedelta(days=1)
    for line in lines[:3]:
        expenses.expense_add(
            award=award,
            budget_line=line,
            supplier="Fornitore Srl",
            description=line.description,
            spent_on=spent_on,
            amount=line.amount,
            vat=Decimal("0"),
            receipt=_pdf(),
            by=user,
        )
    report = award.expense_reports.get()
    report, _ = expenses.report_submit(report=report, by=user)
    for expense in report.expenses.all():
        expenses.expense_review(expense=expense, accepted=True, by=coordinator)
    second.refresh_from_db()
    assert second.status == Tranche.Status.DUE

    second = pay(second)
    assert second.status == Tranche.Status.SENT

    # The ledger: two payouts, one transfer each, to the cent of the award.
    entries = LedgerEntry.objects.filter(award=award)
    assert sorted(e.amount_cents for e in entries) == [150000, 350000]
    assert sum(e.amount_cents for e in entries) == to_cents(award.amount)
    assert len(fake_stripe.transfers) == 2
    assert sum(t["amount"] for t in fake_stripe.transfers.values()) == to_cents(award.amount)
    figures = grant_figures(award)
    assert figures.paid == award.amount
    assert figures.accepted == Decimal("7000.00")
    assert figures.remaining == Decimal("0.00")

    # Every step is in Wagtail's log, each by its person.
    actions = set(GrantLogEntry.objects.values_list("action", flat=True))
    assert {
        "grants.application_start",
        "grants.application_submit",
        "grants.evaluation_submit",
        "grants.tranche_due",
    } <= actions
