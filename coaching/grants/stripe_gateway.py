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
Stripe keeps idempotency keys for about 24 hours: a tranche left *sending* or ``UNKNOWN`` is
reconciled (``transfers_in_group``) before any new attempt, never paid again on the key alone.
The calls block for up to a minute (retries included): they run in background tasks, never
in a web request.
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
import functools
from dataclasses import dataclass, field
from urllib.parse import urlsplit

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
    BUSY = "busy"  # too many requests: the same request again later is safe
    UNKNOWN = "unknown"  # no answer, or Stripe's own error: reconcile before trying again
    NOT_CONFIGURED = "not_configured"  # no key, or a key Stripe refuses: the administrator


WHAT_TO_DO = {
    Problem.ACCOUNT_NOT_READY: _(
        "The beneficiary's Stripe account cannot receive money yet: they must finish what "
        "Stripe asks for."
    ),
    Problem.INSUFFICIENT_BALANCE: _(
        "The programme's Stripe balance is too low for this payment: top it up, then pay again."
    ),
    Problem.REFUSED: _("Stripe refused the request: %(message)s"),
    Problem.BUSY: _("Stripe is busy: try again in a few minutes."),
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
        text = str(WHAT_TO_DO[self.kind])
        return text % {"message": self.message} if self.kind == Problem.REFUSED else text


#: Stripe's error codes that mean a transfer's destination cannot take it yet.
NOT_READY_CODES = {"insufficient_capabilities_for_transfer"}


@dataclass(frozen=True)
class AccountState:
    """A connected account as the beneficiary needs to know it."""

    id: str
    can_receive: bool
    #: What Stripe still needs from the beneficiary, in words (``NEEDS``), each once.
    needs: tuple[str, ...]


@dataclass(frozen=True)
class Transfer:
    id: str
    amount_cents: int
    destination: str
    transfer_group: str
    reversed_cents: int
    #: What the caller tagged the transfer with (``{"tranche": "<pk>"}``): reconciliation
    #: tells the tranches of one group apart by it.
    metadata: dict = field(default_factory=dict, compare=False)


def client() -> stripe.StripeClient:
    key = getattr(settings, "STRIPE_SECRET_KEY", "")
    if not key:
        raise StripeProblem(Problem.NOT_CONFIGURED)
    if key.startswith(("sk_live_", "rk_live_")) and not getattr(settings, "STRIPE_LIVE", False):
        raise ImproperlyConfigured("A live Stripe key needs STRIPE_LIVE = True.")
    return _client(key, getattr(settings, "STRIPE_API_BASE", ""), TIMEOUT)


#: Where Stripe's hosted onboarding pages are: account links point there.
HOSTED_ONBOARDING_ORIGIN = "https://connect.stripe.com"


def onboarding_origin() -> str:
    """The origin of the onboarding pages account links lead to (the fake's own address
    when ``STRIPE_API_BASE`` points at it). A page whose form leads there must allow it in
    its Content-Security-Policy ``form-action``: browsers check the redirect too."""
    base = getattr(settings, "STRIPE_API_BASE", "")
    if not base:
        return HOSTED_ONBOARDING_ORIGIN
    parts = urlsplit(base)
    return f"{parts.scheme}://{parts.netloc}"


@functools.lru_cache(maxsize=4)
def _client(key: str, base: str, timeout: float) -> stripe.StripeClient:
    """One client (and its connection pool) per key, address and timeout."""
    return stripe.StripeClient(
        key,
        base_addresses={"api": base} if base else {},
        # The library retries network errors and Stripe's 500s itself, with the same
        # idempotency key: the same request, never a second payment.
        max_network_retries=2,
        http_client=stripe.RequestsClient(timeout=timeout),
    )


def _kind(error: stripe.StripeError) -> Problem:
    """What a Stripe error means for what to do next: by its class first, then its code.

    Anything after which the request may have taken effect (no answer, Stripe's own error,
    a conflict, an idempotency key reused) is ``UNKNOWN``: reconcile, never try again with a
    new key.
    """
    if isinstance(error, stripe.APIConnectionError | stripe.IdempotencyError):
        return Problem.UNKNOWN
    if isinstance(error, stripe.AuthenticationError | stripe.PermissionError):
        return Problem.NOT_CONFIGURED
    if isinstance(error, stripe.RateLimitError):
        return Problem.BUSY
    if isinstance(error, stripe.APIError) or (error.http_status or 500) >= 500:
        return Problem.UNKNOWN
    if error.http_status == 409:
        return Problem.UNKNOWN
    code = getattr(error, "code", "") or ""
    if code == "balance_insufficient":
        return Problem.INSUFFICIENT_BALANCE
    if code in NOT_READY_CODES:
        return Problem.ACCOUNT_NOT_READY
    return Problem.REFUSED


def _call(method, *args, **kwargs):
    """One Stripe call, its failures turned into ``StripeProblem``."""
    try:
        return method(*args, **kwargs)
    except stripe.StripeError as error:
        raise StripeProblem(
            _kind(error), str(error.user_message or error), code=getattr(error, "code", "") or ""
        ) from error


# --- Accounts ----------------------------------------------------------------------------


#: What Stripe's requirement codes ask of the beneficiary, in words, by the code's start
#: (``requirements.entries[].description`` is machine-readable, e.g.
#: ``identity.individual.verification.document``). First match wins.
NEEDS = (
    ("identity.individual.verification", _("a photo of your identity document")),
    ("identity.individual.id_number", _("your tax code")),
    ("identity.individual.address", _("your home address")),
    ("identity.individual.dob", _("your date of birth")),
    ("identity.individual", _("your name and personal details")),
    ("configuration.recipient.default_outbound_destination", _("a bank account for the money")),
    ("identity.attestations", _("to accept Stripe's terms")),
    ("", _("more information about you")),
)


def need_words(code: str) -> str:
    return str(next(words for start, words in NEEDS if code.startswith(start)))


def _state(account) -> AccountState:
    """The account's state, read defensively: a part Stripe leaves out (not included, not
    requested) means not ready rather than an error."""
    capabilities = getattr(getattr(account.configuration, "recipient", None), "capabilities", None)
    transfers = getattr(getattr(capabilities, "stripe_balance", None), "stripe_transfers", None)
    entries = getattr(account.requirements, "entries", None) or []
    needs = [need_words(entry.description) for entry in entries if entry.description]
    return AccountState(
        id=account.id,
        can_receive=getattr(transfers, "status", None) == "active",
        needs=tuple(dict.fromkeys(needs)),
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
        metadata=obj.metadata.to_dict() if getattr(obj, "metadata", None) else {},
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
    # Every page: a transfer missed on a later one would look unpaid and be paid again.
    return [_transfer(obj) for obj in _call(lambda: list(page.auto_paging_iter()))]


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
