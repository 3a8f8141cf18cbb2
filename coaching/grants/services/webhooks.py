"""Stripe's webhooks: each event verified, stored once by its id and processed once.

Stripe delivers an event at least once, in any order, and may deliver it again. So an event
carries no truth of its own here: it only says *what* changed, and processing reads that
object's current state from Stripe (an account's state, the transfers of a group) and records
that, through the same functions paying and reconciling use. Processed twice, or an old event
after a new one, it records the same thing.

- v1 snapshot events (``transfer.created``, ``transfer.reversed``): a transfer Stripe made for
  a tranche whose record still says *sending* or *unknown* becomes *sent*, with its one ledger
  entry. Reversals are never made by Avvio (repayments are ledger entries), so they are only
  stored, for the record.
- v2 thin events (``v2.core.account[...]``): the account is read again
  (``payee_account_sync``).
"""

from __future__ import annotations

import json
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from coaching.grants import stripe_gateway as gateway
from coaching.grants.models import StripeEvent, Tranche
from coaching.grants.services import accounts, payouts

logger = logging.getLogger(__name__)


def _stored(*, event_id: str, event_type: str, object_id: str, payload: bytes) -> StripeEvent:
    """The event's row, made the first time it arrives."""
    try:
        data = json.loads(payload)
    except ValueError:
        data = {}
    try:
        with transaction.atomic():
            return StripeEvent.objects.create(
                event_id=event_id, type=event_type, object_id=object_id, payload=data
            )
    except IntegrityError:
        return StripeEvent.objects.get(event_id=event_id)


def snapshot_receive(payload: bytes, signature: str) -> StripeEvent | None:
    """A v1 event as it arrived: verified (``BadSignature`` otherwise, and nothing stored),
    stored and processed. ``None`` when it had been processed already."""
    event = gateway.snapshot_event(payload, signature)
    obj = event.data.object if getattr(event, "data", None) else None
    stored = _stored(
        event_id=event.id,
        event_type=event.type,
        object_id=getattr(obj, "id", "") or "",
        payload=payload,
    )
    return event_process(stored)


def thin_receive(payload: bytes, signature: str) -> StripeEvent | None:
    """A v2 event notification, as ``snapshot_receive``."""
    notification = gateway.thin_event(payload, signature)
    related = getattr(notification, "related_object", None)
    stored = _stored(
        event_id=notification.id,
        event_type=notification.type,
        object_id=getattr(related, "id", "") or "",
        payload=payload,
    )
    return event_process(stored)


def event_process(event: StripeEvent) -> StripeEvent | None:
    """Act on a stored event unless it was processed already; ``StripeProblem`` (Stripe
    could not be asked) leaves it unprocessed, to be processed when it comes again or by
    ``events_process_pending``. Processing reads Stripe outside any transaction; the
    handlers are safe to run twice, so two deliveries at once do no harm."""
    if event.processed_at is not None:
        return None
    _handle(event)
    StripeEvent.objects.filter(pk=event.pk, processed_at__isnull=True).update(
        processed_at=timezone.now()
    )
    event.refresh_from_db()
    return event


def events_process_pending() -> int:
    """Process the stored events a failure left unprocessed; how many were."""
    done = 0
    for event in StripeEvent.objects.filter(processed_at__isnull=True).order_by("received_at"):
        try:
            event_process(event)
        except gateway.StripeProblem:
            continue
        done += 1
    return done


def _handle(event: StripeEvent) -> None:
    if event.type.startswith("v2.core.account"):
        accounts.payee_account_sync_by_id(event.object_id)
    elif event.type == "transfer.created":
        _transfer_made(event)


def _transfer_made(event: StripeEvent) -> None:
    obj = (event.payload.get("data") or {}).get("object") or {}
    group = obj.get("transfer_group") or ""
    if not group.startswith("avvio-"):
        return  # not one of ours
    # The transfer as Stripe holds it now, not as the event's snapshot showed it.
    transfer = next((t for t in gateway.transfers_in_group(group) if t.id == event.object_id), None)
    if transfer is None:
        return
    tranche = Tranche.objects.filter(pk=_int(transfer.metadata.get("tranche"))).first()
    if tranche is None or tranche.transfer_group != group:
        logger.warning("Transfer %s names no tranche of its group %s.", transfer.id, group)
        return
    if tranche.status == Tranche.Status.SENT:
        return
    payouts.record_transfer(tranche=tranche, transfer=transfer)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
