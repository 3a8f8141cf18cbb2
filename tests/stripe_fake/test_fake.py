"""Tests of the fake Stripe server itself, driven by the real stripe-python client.

If the fake drifts from what the library sends or parses, these fail first, before the
payout tests that rely on it start passing for the wrong reasons.
"""

import json
import time
import urllib.error
import urllib.request

import pytest
import stripe

from tests.stripe_fake import fixtures
from tests.stripe_fake.fixtures import client_for

# Bound, not imported, so that ruff does not take the test arguments for redefinitions.
fake_stripe = fixtures.fake_stripe
fake_stripe_client = fixtures.fake_stripe_client

RECIPIENT = {"capabilities": {"stripe_balance": {"stripe_transfers": {"requested": True}}}}
RETURN_URL = "https://avvio.test/payouts/onboarded/"
REFRESH_URL = "https://avvio.test/payouts/refresh/"
SECRET = "whsec_test"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def open_without_redirects(request):
    """urllib's answer, or the HTTPError carrying a 3xx, since redirects are not followed."""
    try:
        return urllib.request.build_opener(_NoRedirects).open(request)
    except urllib.error.HTTPError as error:
        return error


def create_account(client) -> stripe.v2.core.Account:
    return client.v2.core.accounts.create(
        {
            "contact_email": "ada@example.com",
            "display_name": "Ada",
            "identity": {"country": "IT", "entity_type": "individual"},
            "configuration": {"recipient": RECIPIENT},
            "include": ["configuration.recipient", "requirements"],
            "metadata": {"mentor": "42"},
        }
    )


def transfers_status(account) -> str:
    return account.configuration.recipient.capabilities.stripe_balance.stripe_transfers.status


@pytest.fixture
def payee(fake_stripe, fake_stripe_client):
    """An onboarded account and a platform balance of €100, ready to be paid."""
    account = create_account(fake_stripe_client)
    fake_stripe.complete_onboarding(account.id)
    fake_stripe.set_balance(10_000, "eur")
    fake_stripe.events.clear()
    return account.id


def pay(client, destination, amount=2_500, **options):
    params = {"amount": amount, "currency": "eur", "destination": destination}
    return client.v1.transfers.create({**params, "transfer_group": "grant_7"}, options)


# -- accounts and onboarding -----------------------------------------------------------------


def test_new_account_is_restricted_until_onboarding_page_is_submitted(
    fake_stripe, fake_stripe_client
):
    account = create_account(fake_stripe_client)
    assert account.id.startswith("acct_")
    assert transfers_status(account) == "restricted"
    assert account.requirements.entries[0].minimum_deadline.status == "currently_due"

    link = fake_stripe_client.v2.core.account_links.create(
        {
            "account": account.id,
            "use_case": {
                "type": "account_onboarding",
                "account_onboarding": {
                    "configurations": ["recipient"],
                    "refresh_url": REFRESH_URL,
                    "return_url": RETURN_URL,
                },
            },
        }
    )
    assert link.url.startswith(f"{fake_stripe.url}/onboarding/")
    with urllib.request.urlopen(link.url) as page:
        assert b"Complete" in page.read()

    answer = open_without_redirects(urllib.request.Request(link.url, data=b"", method="POST"))
    assert (answer.status, answer.headers["Location"]) == (303, RETURN_URL)

    onboarded = fake_stripe_client.v2.core.accounts.retrieve(account.id)
    assert transfers_status(onboarded) == "active"
    assert onboarded.requirements.entries == []
    assert onboarded.metadata.to_dict() == {"mentor": "42"}
    reused = open_without_redirects(urllib.request.Request(link.url, data=b"", method="POST"))
    assert reused.headers["Location"] == REFRESH_URL


def test_require_restricts_the_account_again(fake_stripe, fake_stripe_client, payee):
    fake_stripe.require(payee, description="identity.individual.verification.document")

    account = fake_stripe_client.v2.core.accounts.retrieve(payee)
    assert transfers_status(account) == "restricted"
    assert [e.description for e in account.requirements.entries] == [
        "identity.individual.verification.document"
    ]


def test_unknown_account_raises_invalid_request(fake_stripe_client):
    with pytest.raises(stripe.InvalidRequestError) as raised:
        fake_stripe_client.v2.core.accounts.retrieve("acct_nope")
    assert (raised.value.http_status, raised.value.code) == (404, "resource_missing")


# -- transfers -------------------------------------------------------------------------------


def test_transfer_takes_the_money_and_is_listed_by_group(fake_stripe, fake_stripe_client, payee):
    transfer = pay(fake_stripe_client, payee)

    assert transfer.id.startswith("tr_")
    assert (transfer.amount, transfer.destination, transfer.reversed) == (2_500, payee, False)
    balance = fake_stripe_client.v1.balance.retrieve()
    assert [(b.amount, b.currency) for b in balance.available] == [(7_500, "eur")]
    listed = fake_stripe_client.v1.transfers.list({"transfer_group": "grant_7", "limit": 5})
    assert [t.id for t in listed.data] == [transfer.id]
    assert fake_stripe_client.v1.transfers.list({"transfer_group": "other"}).data == []


@pytest.mark.parametrize(
    ("setup", "code"),
    [
        (lambda fake, account: fake.set_balance(100, "eur"), "balance_insufficient"),
        (lambda fake, account: fake.require(account), "insufficient_capabilities_for_transfer"),
    ],
)
def test_refused_transfer_has_stripes_code(fake_stripe, fake_stripe_client, payee, setup, code):
    setup(fake_stripe, payee)

    with pytest.raises(stripe.InvalidRequestError) as raised:
        pay(fake_stripe_client, payee)
    assert (raised.value.http_status, raised.value.code) == (400, code)
    assert fake_stripe.transfers == {}


def test_transfer_to_unknown_destination(fake_stripe, fake_stripe_client, payee):
    with pytest.raises(stripe.InvalidRequestError) as raised:
        pay(fake_stripe_client, "acct_unknown")
    assert (raised.value.code, raised.value.param) == ("resource_missing", "destination")


def test_reversal_needs_funds_in_the_connected_account(fake_stripe, fake_stripe_client, payee):
    transfer = pay(fake_stripe_client, payee)
    fake_stripe.set_account_balance(payee, 1_000)

    with pytest.raises(stripe.InvalidRequestError) as raised:
        fake_stripe_client.v1.transfers.reversals.create(transfer.id, {"amount": 1_500})
    assert raised.value.code == "balance_insufficient"

    fake_stripe_client.v1.transfers.reversals.create(transfer.id, {"amount": 1_000})
    reversed_transfer = fake_stripe_client.v1.transfers.retrieve(transfer.id)
    assert (reversed_transfer.amount_reversed, reversed_transfer.reversed) == (1_000, False)
    assert fake_stripe.balance["eur"] == 8_500


# -- idempotency -----------------------------------------------------------------------------


def test_same_key_twice_pays_once_and_replays(fake_stripe, fake_stripe_client, payee):
    first = pay(fake_stripe_client, payee, idempotency_key="grant-7-payout")
    second = pay(fake_stripe_client, payee, idempotency_key="grant-7-payout")

    assert second.id == first.id
    assert len(fake_stripe.transfers) == 1
    assert [r.replayed for r in fake_stripe.requests_to("POST", "/v1/transfers")] == [False, True]
    assert second.last_response.headers["Idempotent-Replayed"] == "true"


def test_same_key_other_params_is_an_idempotency_error(fake_stripe, fake_stripe_client, payee):
    pay(fake_stripe_client, payee, idempotency_key="grant-7-payout")

    with pytest.raises(stripe.IdempotencyError):
        pay(fake_stripe_client, payee, amount=9_999, idempotency_key="grant-7-payout")
    assert len(fake_stripe.transfers) == 1


def test_keys_expire_after_a_day(fake_stripe, fake_stripe_client, payee):
    pay(fake_stripe_client, payee, idempotency_key="grant-7-payout")
    fake_stripe.advance(24 * 60 * 60 + 1)

    pay(fake_stripe_client, payee, idempotency_key="grant-7-payout")
    assert len(fake_stripe.transfers) == 2


def test_v2_posts_are_idempotent_too(fake_stripe, fake_stripe_client):
    params = {"display_name": "Ada"}
    first = fake_stripe_client.v2.core.accounts.create(params, {"idempotency_key": "acct-1"})
    again = fake_stripe_client.v2.core.accounts.create(params, {"idempotency_key": "acct-1"})
    assert again.id == first.id
    with pytest.raises(stripe.IdempotencyError):
        fake_stripe_client.v2.core.accounts.create(
            {"display_name": "Bo"}, {"idempotency_key": "acct-1"}
        )
    assert len(fake_stripe.accounts) == 1


# -- failure injection -----------------------------------------------------------------------


def test_500_after_paying_then_retry_with_same_key_pays_once(
    fake_stripe, fake_stripe_client, payee
):
    fake_stripe.fail_next("/v1/transfers", status=500, after_acting=True)

    with pytest.raises(stripe.APIError):
        pay(fake_stripe_client, payee, idempotency_key="grant-7-payout")
    retried = pay(fake_stripe_client, payee, idempotency_key="grant-7-payout")

    assert list(fake_stripe.transfers) == [retried.id]
    assert [r.status for r in fake_stripe.requests_to("POST", "/v1/transfers")] == [500, 200]


def test_500_before_acting_does_nothing(fake_stripe, fake_stripe_client, payee):
    fake_stripe.fail_next("/v1/transfers", status=500, after_acting=False)

    with pytest.raises(stripe.APIError):
        pay(fake_stripe_client, payee)
    assert fake_stripe.transfers == {}


def test_librarys_own_retries_reuse_the_key(fake_stripe, payee):
    fake_stripe.fail_next("/v1/transfers", status=500, after_acting=True)

    transfer = pay(client_for(fake_stripe, retries=1), payee)

    assert list(fake_stripe.transfers) == [transfer.id]
    keys = {r.idempotency_key for r in fake_stripe.requests_to("POST", "/v1/transfers")}
    assert len(keys) == 1


def test_timeout_after_paying_then_retry_pays_once(fake_stripe, payee):
    fake_stripe.timeout_seconds = 1.5
    fake_stripe.fail_next("/v1/transfers", status="timeout", after_acting=True)
    impatient = client_for(fake_stripe, timeout=0.3)

    started = time.monotonic()
    with pytest.raises(stripe.APIConnectionError):
        pay(impatient, payee, idempotency_key="grant-7-payout")
    assert time.monotonic() - started < 1.2
    retried = pay(impatient, payee, idempotency_key="grant-7-payout")

    assert list(fake_stripe.transfers) == [retried.id]
    assert fake_stripe.balance["eur"] == 7_500


# -- webhooks --------------------------------------------------------------------------------


class Inbox:
    """A callable webhook target that keeps what it was sent, as a Django view would see it."""

    def __init__(self):
        self.received: list[tuple[bytes, dict]] = []

    def __call__(self, body: bytes, headers: dict) -> int:
        self.received.append((body, headers))
        return 200

    def event_ids(self) -> list[str]:
        return [json.loads(body)["id"] for body, _ in self.received]


def test_snapshot_event_verifies_with_construct_event(fake_stripe, fake_stripe_client, payee):
    inbox = Inbox()
    fake_stripe.add_webhook(inbox, SECRET)
    transfer = pay(fake_stripe_client, payee)

    fake_stripe.deliver_pending()

    [(body, headers)] = inbox.received
    event = stripe.Webhook.construct_event(body, headers["Stripe-Signature"], SECRET)
    assert (event.type, event.data.object.id) == ("transfer.created", transfer.id)
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(body, headers["Stripe-Signature"], "whsec_wrong")


def test_old_signature_is_refused(fake_stripe):
    payload = b'{"id": "evt_1", "object": "event"}'
    old = fake_stripe.sign(payload, SECRET, timestamp=int(time.time()) - 301)

    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(payload, old, SECRET)


def test_thin_events_parse_and_fetch_the_account(fake_stripe, fake_stripe_client):
    inbox = Inbox()
    fake_stripe.add_webhook(inbox, SECRET, kind="thin")
    account = create_account(fake_stripe_client)
    fake_stripe.complete_onboarding(account.id)

    fake_stripe.deliver_pending()

    types = []
    for body, headers in inbox.received:
        notification = fake_stripe_client.parse_event_notification(
            body, headers["Stripe-Signature"], SECRET
        )
        types.append(notification.type)
        assert notification.related_object.id == account.id
    assert types == [
        "v2.core.account[requirements].updated",
        "v2.core.account[configuration.recipient].capability_status_updated",
    ]
    assert transfers_status(notification.fetch_related_object()) == "active"
    assert notification.fetch_event().data.updated_capability == "stripe_balance.stripe_transfers"


def test_duplicates_and_reverse_order(fake_stripe, fake_stripe_client, payee):
    inbox = Inbox()
    fake_stripe.add_webhook(inbox, SECRET)
    transfer = pay(fake_stripe_client, payee)
    fake_stripe_client.v1.transfers.reversals.create(transfer.id, {"amount": 500})
    created, reversed_ = (event["id"] for event in fake_stripe.events)

    fake_stripe.deliver(created, times=3)
    fake_stripe.deliver_all(order="reverse")

    assert inbox.event_ids() == [created, created, created, reversed_, created]


def test_url_targets_get_a_signed_post(fake_stripe, fake_stripe_client):
    """The fake's own port stands in for a live server: the POST shows in its request log."""
    fake_stripe.add_webhook(f"{fake_stripe.url}/hook", SECRET, kind="thin")
    create_account(fake_stripe_client)
    fake_stripe.require(next(iter(fake_stripe.accounts)))

    [delivery] = fake_stripe.deliver_pending()

    assert delivery.result == 404
    assert fake_stripe.requests[-1].path == "/hook"


# -- authentication --------------------------------------------------------------------------


def test_request_without_a_key_is_refused(fake_stripe):
    request = urllib.request.Request(f"{fake_stripe.url}/v1/balance")
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request)
    assert raised.value.code == 401
    assert json.load(raised.value)["error"]["type"] == "authentication_error"


@pytest.mark.parametrize("key", ["sk_live_real", ""])
def test_library_raises_authentication_error(fake_stripe, key):
    client = stripe.StripeClient(key, base_addresses={"api": fake_stripe.url})
    with pytest.raises(stripe.AuthenticationError):
        client.v1.balance.retrieve()


def test_stripe_account_header_is_recorded(fake_stripe, fake_stripe_client):
    fake_stripe_client.v1.balance.retrieve(options={"stripe_account": "acct_connected"})
    assert fake_stripe.requests[-1].stripe_account == "acct_connected"
