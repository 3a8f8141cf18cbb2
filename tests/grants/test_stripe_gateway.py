"""The one module that talks to Stripe, against the fake Stripe server over HTTP: recipient
accounts and their state in words, hosted onboarding, transfers exactly once (idempotency
keys, a timeout after acting, reconciliation by group), failures as problems that say what to
do next, and webhooks verified or refused."""

import time

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from coaching.grants import stripe_gateway as gateway
from coaching.grants.stripe_gateway import Problem, StripeProblem
from tests.grants import payouts_fixtures
from tests.grants.payouts_fixtures import SECRET, THIN_SECRET
from tests.stripe_fake import fixtures, sign

fake_stripe = fixtures.fake_stripe
stripe_settings = payouts_fixtures.stripe_settings


@pytest.fixture
def recipient(stripe_settings, fake_stripe):
    return gateway.recipient_create(
        email="amina@example.org", name="Amina", idempotency_key="grant-1-account", metadata={}
    )


def _pay(account_id, cents=150_000, key="tranche-7-1"):
    return gateway.transfer_create(
        amount_cents=cents,
        destination=account_id,
        transfer_group="tranche-7",
        idempotency_key=key,
        metadata={"tranche": "7"},
    )


def test_a_new_recipient_cannot_receive_and_says_what_stripe_needs_in_words(fake_stripe, recipient):
    assert recipient.id.startswith("acct_")
    assert not recipient.can_receive
    with translation.override("en"):
        # Stripe's codes (a given name, a surname, a bank account) as the person reads them,
        # each once.
        assert gateway.recipient_state(recipient.id).needs == (
            "your name and personal details",
            "a bank account for the money",
        )
    fake_stripe.complete_onboarding(recipient.id)
    fake_stripe.require(recipient.id, description="identity.individual.verification.document")
    with translation.override("it"):
        state = gateway.recipient_state(recipient.id)
    assert state.needs == ("una foto del tuo documento d'identità",)
    assert not state.can_receive


def test_a_code_stripe_adds_later_still_gets_words(fake_stripe, recipient):
    fake_stripe.complete_onboarding(recipient.id)
    fake_stripe.require(recipient.id, description="something.stripe.invents.next_year")
    with translation.override("en"):
        assert gateway.recipient_state(recipient.id).needs == ("more information about you",)


def test_onboarding_on_stripes_page_makes_the_account_ready(fake_stripe, recipient):
    url = gateway.onboarding_url(
        account_id=recipient.id,
        return_url="https://avvio.example/it/grants/stripe/done/",
        refresh_url="https://avvio.example/it/grants/stripe/again/",
    )
    assert url.startswith(fake_stripe.url)
    fake_stripe.complete_onboarding(recipient.id)
    state = gateway.recipient_state(recipient.id)
    assert state.can_receive and state.needs == ()


def test_the_same_tranche_paid_twice_is_one_transfer(fake_stripe, recipient):
    fake_stripe.complete_onboarding(recipient.id)
    fake_stripe.set_balance(500_000, "eur")
    first = _pay(recipient.id)
    again = _pay(recipient.id)
    assert again == first
    assert len(fake_stripe.transfers) == 1
    assert gateway.transfers_in_group("tranche-7") == [first]
    assert first.amount_cents == 150_000 and first.destination == recipient.id


def test_a_timeout_after_stripe_paid_is_unknown_and_the_retry_pays_once(
    fake_stripe, stripe_settings, recipient, monkeypatch
):
    fake_stripe.complete_onboarding(recipient.id)
    fake_stripe.set_balance(500_000, "eur")
    monkeypatch.setattr(gateway, "TIMEOUT", 0.5)
    fake_stripe.timeout_seconds = 1.5
    # Every attempt the library makes times out after the transfer is made.
    fake_stripe.fail_next("/v1/transfers", status="timeout", after_acting=True, times=3)
    with pytest.raises(StripeProblem) as problem:
        _pay(recipient.id)
    assert problem.value.kind == Problem.UNKNOWN
    with translation.override("en"):
        assert "Reconcile it before paying again." in problem.value.what_to_do
    with translation.override("it"):
        assert "Riconcilialo prima di pagare di nuovo." in problem.value.what_to_do
    # What reconciliation sees: the transfer was made.
    assert len(gateway.transfers_in_group("tranche-7")) == 1
    retried = _pay(recipient.id)
    assert gateway.transfers_in_group("tranche-7") == [retried]
    assert len(fake_stripe.transfers) == 1
    # Every attempt, the library's own retries and ours, carried the tranche's one key.
    posts = fake_stripe.requests_to("POST", "/v1/transfers")
    assert len(posts) == 4
    assert {post.headers["Idempotency-Key"] for post in posts} == {"tranche-7-1"}


def test_stripes_own_error_after_paying_is_unknown_not_refused(fake_stripe, recipient):
    """A 500 after the transfer was made (every attempt): the outcome is unknown, so the
    payout is reconciled, never tried again as if refused."""
    fake_stripe.complete_onboarding(recipient.id)
    fake_stripe.set_balance(500_000, "eur")
    fake_stripe.fail_next("/v1/transfers", status=500, after_acting=True, times=3)
    with pytest.raises(StripeProblem) as problem:
        _pay(recipient.id)
    assert problem.value.kind == Problem.UNKNOWN
    assert len(fake_stripe.transfers) == 1
    assert len(gateway.transfers_in_group("tranche-7")) == 1


def test_a_wrong_key_is_a_configuration_problem(fake_stripe, stripe_settings):
    stripe_settings.STRIPE_SECRET_KEY = "sk_live_not_allowed_here"
    stripe_settings.STRIPE_LIVE = True  # the fake refuses live keys as Stripe refuses bad ones
    with pytest.raises(StripeProblem) as problem:
        gateway.recipient_state("acct_1")
    assert problem.value.kind == Problem.NOT_CONFIGURED


def test_an_account_not_ready_and_a_low_balance_say_what_to_do(fake_stripe, recipient):
    fake_stripe.set_balance(500_000, "eur")
    with pytest.raises(StripeProblem) as problem:
        _pay(recipient.id)
    assert problem.value.kind == Problem.ACCOUNT_NOT_READY
    fake_stripe.complete_onboarding(recipient.id)
    fake_stripe.set_balance(100, "eur")
    with pytest.raises(StripeProblem) as problem:
        _pay(recipient.id, key="tranche-7-2")
    assert problem.value.kind == Problem.INSUFFICIENT_BALANCE
    assert fake_stripe.transfers == {}


@pytest.mark.parametrize("cents", [0, -100, 12.5, True])
def test_only_a_positive_whole_number_of_cents_is_paid(fake_stripe, recipient, cents):
    with pytest.raises(ValueError):
        _pay(recipient.id, cents=cents)
    assert fake_stripe.requests_to("POST", "/v1/transfers") == []


def test_no_key_is_a_problem_in_words_and_a_live_key_needs_saying(settings):
    settings.STRIPE_SECRET_KEY = ""
    with pytest.raises(StripeProblem) as problem:
        gateway.client()
    assert problem.value.kind == Problem.NOT_CONFIGURED
    settings.STRIPE_SECRET_KEY = "sk_live_real"
    with pytest.raises(ImproperlyConfigured):
        gateway.client()


def test_webhooks_are_verified_and_a_wrong_or_old_signature_refused(stripe_settings):
    payload = b'{"id": "evt_1", "object": "event", "type": "transfer.created", "data": {}}'
    assert gateway.snapshot_event(payload, sign(payload, SECRET)).id == "evt_1"
    with pytest.raises(gateway.BadSignature):
        gateway.snapshot_event(payload, sign(payload, "whsec_other"))
    with pytest.raises(gateway.BadSignature):
        gateway.snapshot_event(payload, sign(payload, SECRET, timestamp=int(time.time()) - 600))
    with pytest.raises(gateway.BadSignature):
        gateway.snapshot_event(payload + b" ", sign(payload, SECRET))


def test_a_thin_event_names_the_account_that_changed(fake_stripe, stripe_settings, recipient):
    received = []
    fake_stripe.add_webhook(
        lambda body, headers: received.append((body, headers)), THIN_SECRET, kind="thin"
    )
    fake_stripe.complete_onboarding(recipient.id)
    fake_stripe.deliver_pending()
    assert received
    body, headers = received[-1]
    notification = gateway.thin_event(body, headers["Stripe-Signature"])
    assert notification.related_object.id == recipient.id
    with pytest.raises(gateway.BadSignature):
        gateway.thin_event(body, sign(body, SECRET))
