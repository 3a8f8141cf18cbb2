"""The figures of the grants' money, per grant, per call and per site: what was awarded,
approved, being paid, paid and returned, what the beneficiary reported and what was
accepted. Money that moved is summed in cents from the ledger and turned into euros once
(``money.from_cents``); amounts in the records are summed as Decimal. Never floats.

Reads only: the views and the admin report ask these, so the dashboard and the ledger
report show the same numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce

from coaching.grants.models import (
    Award,
    Expense,
    ExpenseReport,
    GrantCallPage,
    LedgerEntry,
    Tranche,
)
from coaching.grants.models.money import CENT, from_cents
from coaching.grants.selectors import calls_in_sites

ZERO = Decimal("0.00")
#: Approved by a finance officer, not yet sent to Stripe.
APPROVED = (Tranche.Status.APPROVED,)
#: Asked of Stripe, outcome not recorded yet.
IN_FLIGHT = (Tranche.Status.SENDING, Tranche.Status.UNKNOWN)


def _euros(value) -> Decimal:
    return (value or ZERO).quantize(CENT)


@dataclass(frozen=True)
class GrantFigures:
    award: Award
    awarded: Decimal
    approved: Decimal
    in_flight: Decimal
    paid: Decimal
    #: Returned by the beneficiary (the negative ledger entries), as a positive amount.
    repaid: Decimal
    reported: Decimal
    accepted: Decimal

    @property
    def net_paid(self) -> Decimal:
        return self.paid - self.repaid

    @property
    def remaining(self) -> Decimal:
        """What the award still holds: awarded less what was paid and not returned."""
        return self.awarded - self.net_paid


@dataclass(frozen=True)
class CallFigures:
    call: GrantCallPage
    budget: Decimal
    committed: Decimal
    paid: Decimal

    @property
    def left(self) -> Decimal:
        """What the call may still award."""
        return self.budget - self.committed


@dataclass(frozen=True)
class SiteFigures:
    site: object
    budget: Decimal
    committed: Decimal
    paid: Decimal
    calls: list[CallFigures] = field(default_factory=list)

    @property
    def left(self) -> Decimal:
        return self.budget - self.committed


def grants_figures(awards) -> list[GrantFigures]:
    """The figures of each award, in the order given, in four queries however many."""
    awards = list(awards)
    ids = [award.pk for award in awards]
    ledger = {
        row["award"]: row
        for row in LedgerEntry.objects.filter(award__in=ids)
        .values("award")
        .annotate(
            paid=Coalesce(Sum("amount_cents", filter=Q(kind=LedgerEntry.Kind.PAYOUT)), 0),
            repaid=Coalesce(Sum("amount_cents", filter=Q(kind=LedgerEntry.Kind.REPAYMENT)), 0),
        )
    }
    tranches = {
        row["award"]: row
        for row in Tranche.objects.filter(award__in=ids)
        .values("award")
        .annotate(
            approved=Sum("amount", filter=Q(status__in=APPROVED)),
            in_flight=Sum("amount", filter=Q(status__in=IN_FLIGHT)),
        )
    }
    expenses = {
        row["report__award"]: row
        for row in Expense.objects.filter(report__award__in=ids)
        .exclude(report__status=ExpenseReport.Status.DRAFT)
        .values("report__award")
        .annotate(
            reported=Sum("amount"),
            accepted=Sum("amount", filter=Q(review=Expense.Review.ACCEPTED)),
        )
    }
    figures = []
    for award in awards:
        money = ledger.get(award.pk, {})
        tranche = tranches.get(award.pk, {})
        spent = expenses.get(award.pk, {})
        figures.append(
            GrantFigures(
                award=award,
                awarded=_euros(award.amount),
                approved=_euros(tranche.get("approved")),
                in_flight=_euros(tranche.get("in_flight")),
                paid=from_cents(money.get("paid", 0)),
                repaid=from_cents(-money.get("repaid", 0)),
                reported=_euros(spent.get("reported")),
                accepted=_euros(spent.get("accepted")),
            )
        )
    return figures


def grant_figures(award: Award) -> GrantFigures:
    return grants_figures([award])[0]


def _committed_and_paid(awards) -> tuple[Decimal, Decimal]:
    committed = awards.exclude(status__in=Award.RELEASED).aggregate(total=Sum("amount"))["total"]
    cents = LedgerEntry.objects.filter(award__in=awards).aggregate(
        total=Coalesce(Sum("amount_cents"), 0)
    )["total"]
    return _euros(committed), from_cents(cents)


def call_figures(call: GrantCallPage) -> CallFigures:
    """The call's budget, what its awards hold (all but declined or revoked ones), what was
    paid net of repayments, and what it may still award."""
    committed, paid = _committed_and_paid(Award.objects.filter(application__call=call))
    return CallFigures(call=call, budget=_euros(call.budget), committed=committed, paid=paid)


def site_figures(site) -> SiteFigures:
    """The same for every call of the site (the calls under its root page), with each
    call's own figures."""
    calls = [call_figures(call) for call in calls_in_sites({site.pk}).order_by("path")]
    committed, paid = _committed_and_paid(Award.objects.filter(site_id=site.pk))
    return SiteFigures(
        site=site,
        budget=sum((figures.budget for figures in calls), ZERO),
        committed=committed,
        paid=paid,
        calls=calls,
    )
