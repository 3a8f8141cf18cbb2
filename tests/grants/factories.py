"""Factories for microgrant tests: budget rules, a published call on a site, a participant
with a ready plan, applications, evaluators and accepted awards with their tranches.

Setup may take shortcuts the product never takes (a plan marked ready without a mentor's
review); what a test proves goes through the services."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from wagtail.models import Site

from coaching.grants.models import (
    Award,
    GrantApplication,
    GrantCallPage,
    GrantCriterion,
    LedgerEntry,
    PayeeAccount,
    RequiredDocument,
    Tranche,
    TrancheRule,
)
from coaching.grants.models.money import to_cents
from coaching.grants.services.applications import application_start
from coaching.grants.services.expenses import expense_add
from coaching.grants.services.tranches import tranches_create, tranches_unlock
from coaching.models import StaffSiteAssignment
from coaching.plans.models import (
    BusinessPlan,
    CallRules,
    CategoryRule,
    FundingSource,
    PlanTemplate,
    StartupCost,
)
from tests.coaching.factories import make_participant
from tests.factories import user_with_role
from tests.plans.factories import make_plan, make_template

#: A budget that keeps to ``make_rules``' caps: building works 25 %, running costs 12.5 %.
COSTS = (
    ("equipment", "Forno e banco", "3000.00"),
    ("building_works", "Adeguamento del locale", "2000.00"),
    ("digital", "Computer e cassa", "2000.00"),
    ("running", "Affitto dei primi mesi", "1000.00"),
)


def make_rules(
    *, site=None, min_grant="1000", max_grant="8000", caps=None, ineligible=("vehicles",)
):
    site = site or Site.objects.get(is_default_site=True)
    rules = CallRules.objects.create(
        site=site,
        name="Microcredito 2027",
        min_grant=Decimal(min_grant),
        max_grant=Decimal(max_grant),
    )
    caps = {"building_works": "30", "running": "20"} if caps is None else caps
    for category, percent in caps.items():
        CategoryRule.objects.create(rules=rules, category=category, max_percent=Decimal(percent))
    for category in ineligible:
        CategoryRule.objects.create(rules=rules, category=category, ineligible=True)
    return rules


def make_call(
    *,
    site=None,
    rules=None,
    budget="20000",
    opens_at=None,
    closes_at=None,
    criteria=(("Fattibilità", "60", 0, 10), ("Impatto sociale", "40", 0, 10)),
    tranches=(("70", "on_award"), ("30", "after_expenses")),
    documents=(("Documento d'identità", True),),
    title="Bando microcredito 2027",
    slug="bando-2027",
    **fields,
) -> GrantCallPage:
    """A published call under ``site``'s home page, open now unless told otherwise."""
    site = site or Site.objects.get(is_default_site=True)
    now = timezone.now()
    call = GrantCallPage(
        title=title,
        slug=slug,
        intro="Contributi a fondo perduto per avviare un'impresa.",
        rules=rules or make_rules(site=site),
        budget=Decimal(budget),
        opens_at=opens_at or now - datetime.timedelta(days=1),
        closes_at=closes_at or now + datetime.timedelta(days=30),
        **fields,
    )
    for order, (name, weight, low, high) in enumerate(criteria):
        call.criteria.add(
            GrantCriterion(
                name=name, weight=Decimal(weight), min_score=low, max_score=high, sort_order=order
            )
        )
    for order, (percent, condition) in enumerate(tranches):
        call.tranche_rules.add(
            TrancheRule(percent=Decimal(percent), condition=condition, sort_order=order)
        )
    for order, (name, required) in enumerate(documents):
        call.required_documents.add(
            RequiredDocument(name=name, required=required, sort_order=order)
        )
    site.root_page.add_child(instance=call)
    call.save_revision().publish()
    return GrantCallPage.objects.get(pk=call.pk)


def make_ready_plan(*, participant=None, site=None, costs=COSTS, grant="5000", rules=None):
    """A plan of an eligible participant with ``costs`` and a microgrant line of ``grant``,
    marked ready (a shortcut: the mentor's review is the plans' tests' business)."""
    site = site or (participant.site if participant else Site.objects.get(is_default_site=True))
    template = PlanTemplate.objects.filter(site=site, language="it", is_default=True).first()
    plan = make_plan(
        participant=participant, site=site, template=template or make_template(site=site)
    )
    for position, (category, description, amount) in enumerate(costs):
        StartupCost.objects.create(
            plan=plan,
            category=category,
            description=description,
            amount=Decimal(amount),
            position=position,
        )
    FundingSource.objects.create(
        plan=plan, kind=FundingSource.Kind.MICROGRANT, amount=Decimal(grant)
    )
    BusinessPlan.objects.filter(pk=plan.pk).update(
        status=BusinessPlan.Status.READY, call_rules=rules
    )
    plan.refresh_from_db()
    return plan


def make_application(*, call, participant=None, plan=None, submitted=False, **plan_fields):
    """A draft (or, with ``submitted``, a submitted) application to ``call``. A submitted one
    has its declarations made and its required documents on record (rows without files: the
    upload path has its own tests)."""
    site = call.get_site()
    participant = participant or make_participant(site=site, status="eligible")
    plan = plan or make_ready_plan(participant=participant, **plan_fields)
    application = application_start(call=call, plan=plan, by=participant.user)
    if submitted:
        GrantApplication.objects.filter(pk=application.pk).update(
            declares_truthful=True,
            de_minimis_declared=True,
            de_minimis_received=Decimal("0"),
            status=GrantApplication.Status.SUBMITTED,
            submitted_at=timezone.now(),
        )
        application.refresh_from_db()
    return application


def make_staff(role: str, *, site=None, **kwargs):
    """A staff member in ``role`` ("Coordinator", "Finance officer", "Evaluator", "Editor")
    assigned to ``site`` (the default site)."""
    user = user_with_role(role, is_staff=True, **kwargs)
    StaffSiteAssignment.objects.get_or_create(
        user=user, site=site or Site.objects.get(is_default_site=True)
    )
    return user


def make_award(*, application=None, call=None, amount=None, accepted=True, by=None):
    """An award for a submitted application (made for ``call`` if none), accepted with its
    tranches made and the first one due, as the award services leave it."""
    application = application or make_application(call=call or make_call(), submitted=True)
    award = Award.objects.create(
        application=application,
        site_id=application.site_id,
        amount=Decimal(amount) if amount is not None else application.requested_amount,
        awarded_by=by,
    )
    GrantApplication.objects.filter(pk=application.pk).update(
        status=GrantApplication.Status.AWARDED, decided_at=timezone.now()
    )
    if accepted:
        Award.objects.filter(pk=award.pk).update(
            status=Award.Status.ACCEPTED,
            signed_name=application.participant.user.get_full_name() or "Test",
            signed_at=timezone.now(),
        )
        award.refresh_from_db()
        tranches_create(award)
        tranches_unlock(award)
    return award


def make_payee(participant, *, account_id="acct_test_ready", can_receive=True):
    return PayeeAccount.objects.create(
        participant=participant, stripe_account_id=account_id, can_receive=can_receive
    )


def make_expense(award, *, supplier="Ferramenta Rossi", description="Forno", amount="10.00"):
    """An expense on ``award``'s first budget line, added by its beneficiary through the
    service, with a tiny PDF receipt (the private storage must be set up)."""
    return expense_add(
        award=award,
        budget_line=award.application.budget_lines.first(),
        supplier=supplier,
        description=description,
        spent_on=timezone.localdate(),
        amount=Decimal(amount),
        vat=Decimal("0"),
        receipt=SimpleUploadedFile("r.pdf", b"%PDF-1.4\n%%EOF\n"),
        by=award.application.participant.user,
    )[0]


def pay_first(award, *, transfer_id="tr_test_1"):
    """Setup only: tranche 1 as the payout run leaves it (sent, one ledger entry)."""
    first = award.tranches.get(number=1)
    Tranche.objects.filter(pk=first.pk).update(
        status=Tranche.Status.SENT, transfer_id=transfer_id, sent_at=timezone.now()
    )
    LedgerEntry.objects.create(
        award=award,
        site_id=award.site_id,
        kind=LedgerEntry.Kind.PAYOUT,
        amount_cents=to_cents(first.amount),
        tranche=first,
        transfer_id=transfer_id,
    )
    return first
