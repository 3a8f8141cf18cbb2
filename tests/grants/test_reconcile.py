"""Reconciliation: a payment whose outcome our records do not know (Stripe timed out after
paying, the run was killed between the call and the record) is settled by asking Stripe for
the transfers of the tranche's group. Found: recorded once. Not found: approved again with the
same key, so paying it again is the same request at Stripe as well."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from coaching.grants import stripe_gateway as gateway
from coaching.grants.models import Tranche
from coaching.grants.models.money import to_cents
from coaching.grants.services import payouts
from tests.grants import payouts_fixtures
from tests.grants.payouts_fixtures import approve

fake_stripe = payouts_fixtures.fake_stripe
stripe_settings = payouts_fixtures.stripe_settings
world = payouts_fixtures.world

pytestmark = pytest.mark.django_db


def _sending(tranche: Tranche, *, minutes_ago: float) -> Tranche:
    """What the first step of ``tranche_pay`` leaves, as a run killed after it would."""
    Tranche.objects.filter(pk=tranche.pk).update(
        status=Tranche.Status.SENDING,
        sending_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
    )
    tranche.refresh_from_db()
    return tranche


def _transfer_as_tranche_pay_asks(tranche: Tranche, payee) -> gateway.Transfer:
    """The call ``tranche_pay`` makes, with the same key and metadata: the run was killed
    after Stripe made the transfer and before the record."""
    return gateway.transfer_create(
        amount_cents=to_cents(tranche.amount),
        destination=payee.stripe_account_id,
        transfer_group=tranche.transfer_group,
        idempotency_key=tranche.idempotency_key,
        metadata={"tranche": str(tranche.pk), "award": str(tranche.award_id)},
    )


def test_a_timeout_after_the_transfer_was_made_is_unknown_then_reconciled_once(
    world, fake_stripe, monkeypatch
):
    monkeypatch.setattr(gateway, "TIMEOUT", 0.5)
    fake_stripe.timeout_seconds = 1.5
    # Every attempt the library makes (its two retries too) times out after paying.
    fake_stripe.fail_next("/v1/transfers", status="timeout", after_acting=True, times=3)
    tranche = payouts.tranche_pay(tranche=approve(world))
    assert tranche.status == Tranche.Status.UNKNOWN and tranche.attempt == 1
    assert len(fake_stripe.transfers) == 1 and world.ledger().count() == 0
    assert payouts.payouts_run().paid == []  # never paid again before reconciling
    report = payouts.payouts_reconcile()
    assert (report.sent, report.reapproved) == ([tranche.pk], [])
    tranche = world.refresh()
    [transfer_id] = fake_stripe.transfers
    assert tranche.status == Tranche.Status.SENT and tranche.transfer_id == transfer_id
    assert world.ledger().count() == 1
    # A later pay retry, run or reconciliation does nothing more.
    payouts.tranche_pay(tranche=tranche)
    payouts.payouts_run()
    assert payouts.payouts_reconcile().sent == []
    assert len(fake_stripe.transfers) == 1 and world.ledger().count() == 1
    assert {r.idempotency_key for r in fake_stripe.requests_to("POST", "/v1/transfers")} == {
        f"avvio-tranche-{tranche.pk}-1"
    }


def test_a_timeout_before_stripe_acted_is_approved_again_and_paid_with_the_same_key(
    world, fake_stripe, monkeypatch
):
    monkeypatch.setattr(gateway, "TIMEOUT", 0.5)
    fake_stripe.timeout_seconds = 1.5
    fake_stripe.fail_next("/v1/transfers", status="timeout", after_acting=False, times=3)
    tranche = payouts.tranche_pay(tranche=approve(world))
    assert tranche.status == Tranche.Status.UNKNOWN and fake_stripe.transfers == {}
    assert payouts.payouts_reconcile().reapproved == [tranche.pk]
    tranche = world.refresh()
    assert tranche.status == Tranche.Status.APPROVED and tranche.attempt == 1
    assert payouts.payouts_run().paid == [tranche.pk]
    assert len(fake_stripe.transfers) == 1 and world.ledger().count() == 1
    keys = {r.idempotency_key for r in fake_stripe.requests_to("POST", "/v1/transfers")}
    assert keys == {f"avvio-tranche-{tranche.pk}-1"}


def test_a_run_killed_between_the_call_and_the_record_is_reconciled_to_one_payment(
    world, fake_stripe
):
    tranche = _sending(approve(world), minutes_ago=5)
    made = _transfer_as_tranche_pay_asks(tranche, world.payee)
    # The next run does not touch a tranche left sending; reconciliation does.
    assert payouts.payouts_run().paid == []
    assert payouts.payouts_reconcile().sent == [tranche.pk]
    tranche = world.refresh()
    assert tranche.status == Tranche.Status.SENT and tranche.transfer_id == made.id
    [entry] = world.ledger()
    assert entry.amount_cents == made.amount_cents == 350_000
    payouts.payouts_run()
    payouts.payouts_reconcile(everything=True)
    assert len(fake_stripe.transfers) == 1 and world.ledger().count() == 1


def test_a_run_killed_before_the_call_is_approved_again_and_pays_once(world, fake_stripe):
    tranche = _sending(approve(world), minutes_ago=5)
    assert payouts.payouts_reconcile().reapproved == [tranche.pk]
    assert world.refresh().status == Tranche.Status.APPROVED and world.tranche.attempt == 1
    payouts.payouts_run()
    assert len(fake_stripe.transfers) == 1 and world.ledger().count() == 1


def test_reconciliation_tells_the_tranches_of_one_award_apart(world, fake_stripe):
    """Both tranches of an award share its group: only the tranche's own transfer counts."""
    first = payouts.tranche_pay(tranche=approve(world))
    assert first.status == Tranche.Status.SENT
    second = world.award.tranches.get(number=2)
    Tranche.objects.filter(pk=second.pk).update(status=Tranche.Status.APPROVED)
    second = _sending(second, minutes_ago=5)
    assert payouts.payouts_reconcile().reapproved == [second.pk]
    second.refresh_from_db()
    assert second.status == Tranche.Status.APPROVED and second.transfer_id == ""


def test_a_payment_being_sent_right_now_is_left_alone(world, fake_stripe):
    tranche = _sending(approve(world), minutes_ago=0)
    report = payouts.payouts_reconcile()
    assert (report.sent, report.reapproved) == ([], [])
    assert world.refresh().status == Tranche.Status.SENDING
    # When no run can be under way, --all takes it too.
    assert payouts.payouts_reconcile(everything=True).reapproved == [tranche.pk]


def test_stripe_unreachable_leaves_the_tranche_in_doubt(world, fake_stripe):
    tranche = _sending(approve(world), minutes_ago=5)
    fake_stripe.fail_next("/v1/transfers", status=500, times=3)
    assert payouts.payouts_reconcile().unreachable == [tranche.pk]
    assert world.refresh().status == Tranche.Status.SENDING


def test_the_commands_say_what_they_did(world, fake_stripe):
    tranche = _sending(approve(world), minutes_ago=5)
    _transfer_as_tranche_pay_asks(tranche, world.payee)
    out = io.StringIO()
    call_command("reconcile_payouts", stdout=out)
    assert "found paid: 1" in out.getvalue() and f"paid: {tranche.pk}" in out.getvalue()
    assert world.refresh().status == Tranche.Status.SENT
    second = world.award.tranches.get(number=2)
    Tranche.objects.filter(pk=second.pk).update(status=Tranche.Status.APPROVED)
    out = io.StringIO()
    call_command("pay_approved_tranches", stdout=out)
    assert "paid: 1" in out.getvalue()
    assert len(fake_stripe.transfers) == 2 and payouts.net_paid_cents(world.award) == 500_000
