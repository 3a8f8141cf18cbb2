"""The beneficiary's connected account at Stripe: made once, onboarded on Stripe's hosted
pages, kept in step with what Stripe says about it.

Avvio never sees the beneficiary's identity documents or bank details: Stripe asks for them on
its own pages, reached through a link that works once and for a few minutes. What Stripe still
needs is kept as the gateway's words in their source language (``NEEDS``' message ids, read
with translations off), so each reader sees them in their own language: ``needs_words``.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coaching.grants import stripe_gateway as gateway
from coaching.grants.models import PayeeAccount
from coaching.grants.services.audit import grant_log
from coaching.models import Participant

LOG_OPEN = "grants.payee_account_open"
LOG_SYNC = "grants.payee_account_sync"


def account_idempotency_key(participant: Participant) -> str:
    """One account per participant at Stripe too: a retried or doubled "set up" replays the
    first answer instead of making a second account."""
    return f"avvio-participant-{participant.pk}-account"


def _apply(payee: PayeeAccount, state: gateway.AccountState, *, by) -> PayeeAccount:
    changed = payee.can_receive != state.can_receive or payee.needs != list(state.needs)
    payee.can_receive, payee.needs = state.can_receive, list(state.needs)
    payee.synced_at = timezone.now()
    payee.save(update_fields=["can_receive", "needs", "synced_at"])
    if changed:
        grant_log(
            instance=payee,
            action=LOG_SYNC,
            by=by,
            data={"can_receive": payee.can_receive, "needs": payee.needs},
        )
    return payee


def _source_words(function, *args, **kwargs):
    """Call the gateway with translations off: its words come back as message ids."""
    with translation.override(None):
        return function(*args, **kwargs)


def payee_account_open(*, participant: Participant, by) -> PayeeAccount:
    """The participant's recipient account, made at Stripe the first time (raises
    ``StripeProblem`` when Stripe cannot be asked). A second call returns the same one."""
    existing = PayeeAccount.objects.filter(participant=participant).first()
    if existing is not None:
        return existing
    user = participant.user
    state = _source_words(
        gateway.recipient_create,
        email=user.email,
        name=participant.full_name or user.email,
        idempotency_key=account_idempotency_key(participant),
        metadata={"participant": str(participant.pk), "reference": participant.reference},
    )
    try:
        with transaction.atomic():
            payee = PayeeAccount.objects.create(
                participant=participant,
                stripe_account_id=state.id,
                can_receive=state.can_receive,
                needs=list(state.needs),
                synced_at=timezone.now(),
            )
            grant_log(
                instance=payee,
                action=LOG_OPEN,
                by=by,
                data={"account": state.id, "can_receive": state.can_receive},
            )
    except IntegrityError:
        # The same click twice at once: Stripe answered both with one account (the key),
        # the other request recorded it.
        return PayeeAccount.objects.get(participant=participant)
    return payee


def payee_account_sync(*, payee: PayeeAccount, by=None) -> PayeeAccount:
    """Read the account again from Stripe (webhooks only say that it changed)."""
    state = _source_words(gateway.recipient_state, payee.stripe_account_id)
    with transaction.atomic():
        locked = PayeeAccount.objects.select_for_update().get(pk=payee.pk)
        return _apply(locked, state, by=by)


def payee_account_sync_by_id(account_id: str, *, by=None) -> PayeeAccount | None:
    payee = PayeeAccount.objects.filter(stripe_account_id=account_id).first()
    return payee_account_sync(payee=payee, by=by) if payee else None


def onboarding_link(*, payee: PayeeAccount, return_url: str, refresh_url: str) -> str:
    """Stripe's hosted onboarding page for the account (a fresh link each time)."""
    return gateway.onboarding_url(
        account_id=payee.stripe_account_id, return_url=return_url, refresh_url=refresh_url
    )


def needs_words(payee: PayeeAccount | None) -> list[str]:
    """What Stripe still needs from the beneficiary, in the reader's language."""
    return [_(need) for need in (payee.needs if payee else [])]
