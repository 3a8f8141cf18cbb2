"""An award's tranches: made from the call's scheme when the beneficiary accepts, and due
when their condition holds. Paying them is ``services.payouts``' alone."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from coaching.grants.models import Award, Expense, Tranche, TrancheRule
from coaching.grants.models.calls import tranche_split
from coaching.grants.services.audit import grant_log

PAID = (Tranche.Status.SENT,)


def tranches_create(award: Award) -> list[Tranche]:
    """The award's tranches, one per rule of the call's scheme, in order; the last takes
    what rounding left, so they add up to the award to the cent. Made once."""
    existing = list(award.tranches.all())
    if existing:
        return existing
    return Tranche.objects.bulk_create(
        Tranche(
            award=award,
            number=number,
            percent=rule.percent,
            amount=amount,
            condition=rule.condition,
        )
        for number, (rule, amount) in enumerate(
            tranche_split(award.application.call_id, award.amount), start=1
        )
    )


def accepted_spending(award: Award) -> Decimal:
    """What the coordinator accepted of the beneficiary's reported expenses (without VAT)."""
    total = Expense.objects.filter(report__award=award, review=Expense.Review.ACCEPTED).aggregate(
        total=Sum("amount")
    )["total"]
    return total or Decimal("0")


def _condition_holds(tranche: Tranche, *, paid_before: Decimal, spent: Decimal) -> bool:
    if tranche.condition == TrancheRule.Condition.ON_AWARD:
        return True
    # After expenses: what was paid before this tranche is justified by accepted receipts.
    return spent >= paid_before


@transaction.atomic
def tranches_unlock(award: Award, *, by=None) -> list[Tranche]:
    """Make due the waiting tranches whose condition holds now, in order: a later tranche
    never unlocks before an earlier one is paid. Returns those made due."""
    award = Award.objects.select_for_update().get(pk=award.pk)
    if award.status != Award.Status.ACCEPTED:
        return []
    spent = accepted_spending(award)
    unlocked, paid_before = [], Decimal("0")
    for tranche in award.tranches.select_for_update().order_by("number"):
        if tranche.status == Tranche.Status.WAITING:
            if not _condition_holds(tranche, paid_before=paid_before, spent=spent):
                break
            tranche.status = Tranche.Status.DUE
            tranche.save(update_fields=["status"])
            grant_log(
                instance=tranche,
                action="grants.tranche_due",
                by=by,
                data={"number": tranche.number, "amount": str(tranche.amount)},
            )
            unlocked.append(tranche)
        if tranche.status not in PAID:
            break
        paid_before += tranche.amount
    return unlocked
