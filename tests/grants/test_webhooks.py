"""Stripe's webhooks through the real endpoints: verified (a wrong or old signature is a 400
and nothing is stored), stored once by id, processed once, and safe out of order because
processing reads the object's current state from Stripe."""

import json
import time

import pytest
from django.test import Client

from coaching.grants.models import GrantLogEntry, StripeEvent, Tranche
from coaching.grants.services import accounts, payouts, webhooks
from tests.grants import payouts_fixtures
from tests.grants.payouts_fixtures import SECRET, THIN_SECRET, approve, make_world
from tests.stripe_fake import sign

fake_stripe = payouts_fixtures.fake_stripe
stripe_settings = payouts_fixtures.stripe_settings
world = payouts_fixtures.world

pytestmark = pytest.mark.django_db

SNAPSHOT_URL = "/stripe/webhooks/"
THIN_URL = "/stripe/webhooks/thin/"


@pytest.fixture
def stripe_client():
    """Stripe has no session and no CSRF token: the endpoints must take it as it comes."""
    return Client(enforce_csrf_checks=True)


def _post(client, url, body: bytes, signature: str) -> int:
    return client.post(
        url, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    ).status_code


@pytest.fixture
def endpoints(fake_stripe, stripe_client):
    """The fake delivers to both endpoints, as Stripe would to ours."""
    for url, secret, kind in ((SNAPSHOT_URL, SECRET, "snapshot"), (THIN_URL, THIN_SECRET, "thin")):
        fake_stripe.add_webhook(
            lambda body, headers, url=url: _post(
                stripe_client, url, body, headers["Stripe-Signature"]
            ),
            secret,
            kind=kind,
        )
    return fake_stripe


def _transfer_events(fake):
    return [e for e in fake.events if e["type"] == "transfer.created"]


def test_the_same_transfer_event_three_times_and_out_of_order_is_one_ledger_entry(world, endpoints):
    fake = endpoints
    # Stripe paid, then answered with its own error: the outcome is unknown to us.
    fake.fail_next("/v1/transfers", status=500, after_acting=True, times=3)
    tranche = payouts.tranche_pay(tranche=approve(world))
    assert tranche.status == Tranche.Status.UNKNOWN
    [event] = _transfer_events(fake)
    deliveries = fake.deliver(event["id"], times=3)
    assert [d.result for d in deliveries] == [200, 200, 200]
    tranche = world.refresh()
    assert (
        tranche.status == Tranche.Status.SENT
        and tranche.transfer_id == event["data"]["object"]["id"]
    )
    assert world.ledger().count() == 1
    stored = StripeEvent.objects.get(event_id=event["id"])
    processed_at = stored.processed_at
    assert processed_at is not None
    # Everything again, newest first: nothing new.
    assert {d.result for d in fake.deliver_all(order="reverse")} == {200}
    assert world.ledger().count() == 1
    stored.refresh_from_db()
    assert stored.processed_at == processed_at
    assert StripeEvent.objects.count() == len({e["id"] for e in fake.events})
    # Reconciliation and the run find nothing left to do.
    assert payouts.payouts_reconcile(everything=True).sent == []
    payouts.payouts_run()
    assert len(fake.transfers) == 1 and world.ledger().count() == 1


def test_a_transfer_event_before_our_own_record_is_one_ledger_entry(world, endpoints):
    """The webhook can win the race with the payer's own record: still one entry."""
    fake = endpoints
    tranche = payouts.tranche_pay(tranche=approve(world))
    assert tranche.status == Tranche.Status.SENT
    fake.deliver_all()
    fake.deliver_all(order="reverse")
    assert world.ledger().count() == 1
    assert (
        GrantLogEntry.objects.filter(
            object_id=str(tranche.pk),
            action__in=["grants.tranche_sent", "grants.tranche_reconciled"],
        ).count()
        == 1
    )


def test_account_events_out_of_order_leave_the_accounts_current_state(
    stripe_settings, endpoints, site
):
    fake = endpoints
    world = make_world(fake, ready=False)
    participant = world.award.application.participant
    payee = accounts.payee_account_open(participant=participant, by=participant.user)
    assert not payee.can_receive
    fake.complete_onboarding(payee.stripe_account_id)
    fake.require(payee.stripe_account_id, "identity.individual.verification.document")
    # The newest first: the "ready" event arrives last, but the account is not ready now.
    assert {d.result for d in fake.deliver_all(order="reverse")} == {200}
    payee.refresh_from_db()
    assert not payee.can_receive
    assert payee.needs == ["a photo of your identity document"]
    fake.complete_onboarding(payee.stripe_account_id)
    fake.deliver_pending()
    payee.refresh_from_db()
    assert payee.can_receive and payee.needs == []
    # Each account event processed once, however often it came.
    assert not StripeEvent.objects.filter(processed_at__isnull=True).exists()


def test_a_wrong_signature_or_an_old_one_is_refused_and_nothing_stored(
    world, fake_stripe, stripe_client
):
    tranche = payouts.tranche_pay(tranche=approve(world))
    [event] = _transfer_events(fake_stripe)
    body = json.dumps(event).encode()
    assert _post(stripe_client, SNAPSHOT_URL, body, sign(body, "whsec_someone_else")) == 400
    old = int(time.time()) - 600
    assert _post(stripe_client, SNAPSHOT_URL, body, sign(body, SECRET, timestamp=old)) == 400
    assert _post(stripe_client, SNAPSHOT_URL, body, "") == 400
    assert _post(stripe_client, SNAPSHOT_URL, body + b" ", sign(body, SECRET)) == 400
    thin = json.dumps(next(e for e in fake_stripe.events if e["object"] == "v2.core.event"))
    assert _post(stripe_client, THIN_URL, thin.encode(), sign(thin.encode(), SECRET)) == 400
    old_thin = sign(thin.encode(), THIN_SECRET, timestamp=old)
    assert _post(stripe_client, THIN_URL, thin.encode(), old_thin) == 400
    assert StripeEvent.objects.count() == 0
    assert world.refresh().status == tranche.status
    assert stripe_client.get(SNAPSHOT_URL).status_code == 405
    # Signed with our secret, now: taken.
    assert _post(stripe_client, SNAPSHOT_URL, body, sign(body, SECRET)) == 200
    assert StripeEvent.objects.count() == 1


def test_an_event_stripe_cannot_be_asked_about_is_kept_and_processed_later(
    stripe_settings, endpoints, site
):
    fake = endpoints
    world = make_world(fake, ready=False)
    participant = world.award.application.participant
    payee = accounts.payee_account_open(participant=participant, by=participant.user)
    fake.complete_onboarding(payee.stripe_account_id)
    first, second = (e["id"] for e in fake.events if e["object"] == "v2.core.event")
    # Reading the account fails, every attempt the library makes: Stripe should come back.
    fake.fail_next("/v2/core/accounts", status=500, times=3)
    assert [d.result for d in fake.deliver(first)] == [503]
    stored = StripeEvent.objects.get(event_id=first)
    assert stored.processed_at is None
    payee.refresh_from_db()
    assert not payee.can_receive
    # Stripe delivers it again: processed now.
    assert [d.result for d in fake.deliver(first)] == [200]
    stored.refresh_from_db()
    assert stored.processed_at is not None
    payee.refresh_from_db()
    assert payee.can_receive
    # Or the reconciliation command picks up what was left.
    fake.fail_next("/v2/core/accounts", status=500, times=3)
    assert [d.result for d in fake.deliver(second)] == [503]
    assert webhooks.events_process_pending() == 1
    assert not StripeEvent.objects.filter(processed_at__isnull=True).exists()
