"""An award's life after the signature: the second tranche becomes due when the first is
paid if the expenses were accepted before; a revocation cancels the unpaid tranches and gives
the amount back to the call, is refused once money moved, and is the site's coordinators'."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from coaching.grants.models import Award, GrantLogEntry, Tranche
from coaching.grants.services import expenses, payouts
from coaching.grants.services.awards import award_revoke, budget_left
from tests.grants import payouts_fixtures
from tests.grants.factories import make_award, make_call, make_expense, make_staff, pay_first

pytestmark = pytest.mark.django_db

fake_stripe = payouts_fixtures.fake_stripe
stripe_settings = payouts_fixtures.stripe_settings
world = payouts_fixtures.world


@pytest.fixture(autouse=True)
def storage(private_storage_root):
    return private_storage_root


def test_expenses_accepted_before_the_first_payment_make_the_second_due_once_it_is_paid(
    world, django_capture_on_commit_callbacks
):
    award = world.award
    expense = make_expense(award, amount=str(world.tranche.amount))
    expenses.report_submit(report=expense.report, by=award.application.participant.user)
    expenses.expense_review(expense=expense, accepted=True, by=world.coordinator)
    second = award.tranches.get(number=2)
    assert second.status == Tranche.Status.WAITING  # the first is not paid yet

    payouts_fixtures.approve(world)
    with django_capture_on_commit_callbacks(execute=True):
        payouts.tranche_pay(tranche=world.tranche, by=world.finance)

    second.refresh_from_db()
    assert world.refresh().status == Tranche.Status.SENT
    assert second.status == Tranche.Status.DUE


def test_a_revoked_award_cancels_its_tranches_and_gives_the_budget_back(site):
    call = make_call(budget="10000")
    award = make_award(call=call, amount="5000")
    coordinator = make_staff("Coordinator")
    assert budget_left(call) == Decimal("5000.00")

    award, revoked = award_revoke(award=award, reason="Attività mai avviata", by=coordinator)

    assert revoked and award.status == Award.Status.REVOKED
    assert set(award.tranches.values_list("status", flat=True)) == {Tranche.Status.CANCELLED}
    assert budget_left(call) == Decimal("10000.00")
    assert GrantLogEntry.objects.filter(action="grants.award_revoke", site=site).count() == 1
    # A second click changes nothing; a cancelled tranche can no longer be requested.
    assert award_revoke(award=award, reason="again", by=coordinator) == (award, False)
    with pytest.raises(ValidationError):
        payouts.tranche_request(tranche=award.tranches.get(number=1), by=coordinator)


def test_an_award_with_money_paid_is_not_revoked_but_repaid(site):
    award = make_award(call=make_call())
    pay_first(award)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        award_revoke(award=award, reason="Agreement broken", by=make_staff("Coordinator"))
    assert "Record what the beneficiary gives back as a repayment." in refused.value.messages[0]
    award.refresh_from_db()
    assert award.status == Award.Status.ACCEPTED


def test_a_revocation_needs_a_reason_and_a_coordinator_of_the_site(site, other_site):
    award = make_award(call=make_call())
    with pytest.raises(ValidationError):
        award_revoke(award=award, reason=" ", by=make_staff("Coordinator"))
    for outsider in (
        make_staff("Coordinator", site=other_site),
        make_staff("Finance officer"),
        award.application.participant.user,
    ):
        with pytest.raises(PermissionDenied):
            award_revoke(award=award, reason="No", by=outsider)
    award.refresh_from_db()
    assert award.status == Award.Status.ACCEPTED
