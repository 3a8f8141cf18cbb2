"""Every call Avvio makes to Stripe, and nothing else: the rest of the grants code asks this
module and never imports ``stripe``.

Why Accounts v2: Stripe documents Express accounts as legacy and points new platforms to
Accounts v2. A beneficiary is a *recipient*: an account whose
``stripe_balance.stripe_transfers`` capability lets it receive transfers from the platform's
balance, onboarded on Stripe's hosted pages through an account link; Avvio never sees their ID
documents or bank details. Money moves with v1 Transfers, which Accounts v2 recipients take.

Money exactly once: every transfer carries an idempotency key derived from the tranche (the
caller passes it) and a ``transfer_group`` naming the tranche, so a retry replays Stripe's
first answer and a crash between the call and our record is repaired by listing the group.
Every failure becomes a ``StripeProblem`` whose ``kind`` says what to do next, never a bare
``stripe`` exception.

Settings (from the environment in production, ``portal_site.settings``):
``STRIPE_SECRET_KEY``; ``STRIPE_WEBHOOK_SECRET`` (the snapshot endpoint, transfers) and
``STRIPE_THIN_WEBHOOK_SECRET`` (the event destination for account changes);
``STRIPE_API_BASE`` (the test and demo fake's address; empty for Stripe itself);
``STRIPE_LIVE`` (``True`` to allow a live key: test mode unless said otherwise).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import stripe
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

#: Seconds before a call counts as timed out: its outcome is then unknown (``UNKNOWN``).
TIMEOUT = 20
RECIPIENT = {"capabilities": {"stripe_balance": {"stripe_transfers": {"requested": True}}}}


class Problem(enum.StrEnum):
    """What went wrong, by what the person or the programme must do next."""

    ACCOUNT_NOT_READY = "account_not_ready"  # the beneficiary finishes onboarding
    INSUFFICIENT_BALANCE = "insufficient_balance"  # finance tops up the platform balance
    REFUSED = "refused"  # Stripe refused the request: read its message, fix, try again
    UNKNOWN = "unknown"  # no answer (timeout, network): reconcile before trying again
    NOT_CONFIGURED = "not_configured"  # no key: the site's administrator sets it


WHAT_TO_DO = {
    Problem.ACCOUNT_NOT_READY: _(
        "The beneficiary's Stripe account cannot receive money yet: they must finish what "
        "Stripe asks for."
    ),
    Problem.INSUFFICIENT_BALANCE: _(
        "The programme's Stripe balance is too low for this payment: top it up, then pay again."
    ),
    Problem.REFUSED: _("Stripe refused the request: %(message)s"),
    Problem.UNKNOWN: _(
        "Stripe did not answer in time: the payment may have been made. Reconcile it before "
        "paying again."
    ),
    Problem.NOT_CONFIGURED: _("Payments through Stripe are not set up on this site."),
}


class StripeProblem(Exception):
    def __init__(self, kind: Problem, message: str = "", *, code: str = ""):
        super().__init__(message or kind.value)
        self.kind, self.message, self.code = kind, message, code

    @property
    def what_to_do(self) -> str:
        return str(WHAT_TO_DO[self.kind]) % {"message": self.message}


#: Stripe's error codes that mean a transfer's destination cannot take it yet.
NOT_READY_CODES = {"insufficient_capabilities_for_transfer", "account_invalid"}


@dataclass(frozen=True)
class AccountState:
    """A connected account as the beneficiary needs to know it."""

    id: str
    can_receive: bool
    #: What Stripe still needs, in Stripe's own words (shown as they are: Stripe writes them).
    needs: tuple[str, ...]


@dataclass(frozen=True)
class Transfer:
    id: str
    amount_cents: int
    destination: str
    transfer_group: str
    reversed_cents: int


def client() -> stripe.StripeClient:
    key = getattr(settings, "STRIPE_SECRET_KEY", "")
    if not key:
        raise StripeProblem(Problem.NOT_CONFIGURED)
    if key.startswith(("sk_live_", "rk_live_")) and not getattr(settings, "STRIPE_LIVE", False):
        raise ImproperlyConfigured("A live Stripe key needs STRIPE_LIVE = True.")
    base = getattr(settings, "STRIPE_API_BASE", "")
    return stripe.StripeClient(
        key,
        base_addresses={"api": base} if base else {},
        # The library retries network errors itself, with the same idempotency key.
        max_network_retries=2,
        http_client=stripe.RequestsClient(timeout=TIMEOUT),
    )


def _call(method, *args, **kwargs):
    """One Stripe call, its failures turned into ``StripeProblem``."""
    try:
        return method(*args, **kwargs)
    except stripe.APIConnectionError as error:
        raise StripeProblem(Problem.UNKNOWN, str(error.user_message or "")) from error
    except stripe.StripeError as error:
        code = getattr(error, "code", "") or ""
        if code == "balance_insufficient":
            kind = Problem.INSUFFICIENT_BALANCE
        elif code in NOT_READY_CODES:
            kind = Problem.ACCOUNT_NOT_READY
        else:
            kind = Problem.REFUSED
        raise StripeProblem(kind, str(error.user_message or error), code=code) from error


# --- Accounts ----------------------------------------------------------------------------


def _state(account) -> AccountState:
    transfers = account.configuration.recipient.capabilities.stripe_balance.stripe_transfers
    entries = (account.requirements.entries or []) if account.requirements else []
    return AccountState(
        id=account.id,
        can_receive=transfers.status == "active",
        needs=tuple(entry.description for entry in entries if entry.description),
    )


def recipient_create(
    *, email: str, name: str, idempotency_key: str, metadata: dict
) -> AccountState:
    """A recipient account for a beneficiary in Italy, asking for the transfers capability."""
    account = _call(
        client().v2.core.accounts.create,
        {
            "contact_email": email,
            "display_name": name,
            "identity": {"country": "IT", "entity_type": "individual"},
            "configuration": {"recipient": RECIPIENT},
            "include": ["configuration.recipient", "requirements"],
            "metadata": metadata,
        },
        {"idempotency_key": idempotency_key},
    )
    return _state(account)


def recipient_state(account_id: str) -> AccountState:
    """The account as it is now (webhooks only say that it changed: read it again)."""
    account = _call(
        client().v2.core.accounts.retrieve,
        account_id,
        {"include": ["configuration.recipient", "requirements"]},
    )
    return _state(account)


def onboarding_url(*, account_id: str, return_url: str, refresh_url: str) -> str:
    """Stripe's hosted onboarding for the account: a link that works once, for minutes."""
    link = _call(
        client().v2.core.account_links.create,
        {
            "account": account_id,
            "use_case": {
                "type": "account_onboarding",
                "account_onboarding": {
                    "configurations": ["recipient"],
                    "return_url": return_url,
                    "refresh_url": refresh_url,
                },
            },
        },
    )
    return link.url


# --- Transfers ----------------------------------------------------------------------------


def _transfer(obj) -> Transfer:
    return Transfer(
        id=obj.id,
        amount_cents=obj.amount,
        destination=obj.destination,
        transfer_group=obj.transfer_group or "",
        reversed_cents=obj.amount_reversed or 0,
    )


def transfer_create(
    *,
    amount_cents: int,
    destination: str,
    transfer_group: str,
    idempotency_key: str,
    metadata: dict,
) -> Transfer:
    """Pay ``amount_cents`` euro cents from the platform's balance to ``destination``."""
    if not isinstance(amount_cents, int) or isinstance(amount_cents, bool) or amount_cents <= 0:
        raise ValueError("A transfer is a positive whole number of cents.")
    obj = _call(
        client().v1.transfers.create,
        {
            "amount": amount_cents,
            "currency": "eur",
            "destination": destination,
            "transfer_group": transfer_group,
            "metadata": metadata,
        },
        {"idempotency_key": idempotency_key},
    )
    return _transfer(obj)


def transfers_in_group(transfer_group: str) -> list[Transfer]:
    """The transfers Stripe holds for a group: what reconciliation compares with our records."""
    page = _call(client().v1.transfers.list, {"transfer_group": transfer_group, "limit": 100})
    return [_transfer(obj) for obj in page.data]


# --- Webhooks -----------------------------------------------------------------------------


class BadSignature(Exception):
    """A webhook not signed by Stripe with our secret, or signed too long ago."""


def snapshot_event(payload: bytes, signature: str):
    """A v1 event (transfers), verified: signature, secret and a timestamp under 5 minutes."""
    try:
        return stripe.Webhook.construct_event(
            payload, signature, getattr(settings, "STRIPE_WEBHOOK_SECRET", "")
        )
    except (ValueError, stripe.SignatureVerificationError) as error:
        raise BadSignature(str(error)) from error


def thin_event(payload: bytes, signature: str):
    """A v2 thin event notification (accounts), verified like ``snapshot_event``; it names
    the object that changed, which the caller reads again (``recipient_state``)."""
    try:
        return client().parse_event_notification(
            payload, signature, getattr(settings, "STRIPE_THIN_WEBHOOK_SECRET", "")
        )
    except (ValueError, stripe.SignatureVerificationError) as error:
        raise BadSignature(str(error)) from error
