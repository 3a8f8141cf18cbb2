"""Paying tranches through Stripe Connect, exactly once.

A tranche is requested by a coordinator, approved by a finance officer who did not request it
(four eyes), then paid. Paying is three steps, so that a crash or a timeout at any point leaves
a record reconciliation can repair:

1. in one short transaction the tranche is locked and recorded *sending* (with the time);
2. outside any transaction, Stripe is asked for the transfer with the tranche's idempotency key
   (``Tranche.idempotency_key``: the tranche and its attempt) and its ``transfer_group``;
3. in a new transaction the tranche is recorded *sent* with the transfer's id, and the transfer
   becomes one payout ``LedgerEntry`` (the database allows one per tranche).

What Stripe answers decides what happens next:

- a refusal Stripe answered for certain (account not ready, platform balance too low, a request
  refused) is *failed*: nothing was paid, so the attempt goes up and the next approval is a new
  request with a new key;
- no answer, Stripe's own error, a conflict or "busy" is *unknown*: the transfer may have been
  made, so the tranche is never paid with a new key; ``payouts_reconcile`` asks Stripe for the
  transfers of its group and records the one it finds, or puts the tranche back to *approved*
  with the same key (a retry within Stripe's 24 hours replays the first answer);
- payments not set up on the site (no key, a key Stripe refuses) is *failed* too, but keeps the
  attempt: nothing reached Stripe's books, and a kept key can never pay twice.

Every write of a tranche's payment (paying, reconciling, a webhook) happens under the tranche's
row lock, so the one ledger entry per transfer is decided in one place (``_record_sent``).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from coaching.grants import selectors
from coaching.grants import stripe_gateway as gateway
from coaching.grants.models import Award, LedgerEntry, PayeeAccount, Tranche
from coaching.grants.models.money import from_cents, to_cents
from coaching.grants.services import accounts
from coaching.grants.services.audit import grant_log
from coaching.grants.services.tranches import tranches_unlock
from coaching.grants.stripe_gateway import Problem, StripeProblem
from coaching.selectors import StaffRole

logger = logging.getLogger(__name__)

LOG_REQUEST = "grants.tranche_request"
LOG_APPROVE = "grants.tranche_approve"
LOG_SENDING = "grants.tranche_sending"
LOG_SENT = "grants.tranche_sent"
LOG_FAILED = "grants.tranche_failed"
LOG_UNKNOWN = "grants.tranche_unknown"
LOG_RECONCILED = "grants.tranche_reconciled"
LOG_REPAYMENT = "grants.repayment_record"

#: Refusals Stripe answered for certain: nothing was paid, the next attempt gets a new key.
REFUSALS = {Problem.ACCOUNT_NOT_READY, Problem.INSUFFICIENT_BALANCE, Problem.REFUSED}
#: A tranche in these states may have been paid: only reconciliation moves it on.
IN_DOUBT = (Tranche.Status.SENDING, Tranche.Status.UNKNOWN)
#: How long a tranche may stay *sending* before reconciliation takes it for interrupted: far
#: longer than one call to Stripe takes, retries included (``stripe_gateway.TIMEOUT``).
SENDING_GRACE = datetime.timedelta(minutes=5)


def _locked(tranche: Tranche) -> Tranche:
    return (
        Tranche.objects.select_for_update()
        .select_related("award__application__participant")
        .get(pk=tranche.pk)
    )


def _state(tranche: Tranche) -> dict:
    return {"number": tranche.number, "amount": str(tranche.amount), "status": tranche.status}


# --- Requesting and approving -------------------------------------------------------------


@transaction.atomic
def tranche_request(*, tranche: Tranche, by) -> tuple[Tranche, bool]:
    """A coordinator of the award's site asks for a due tranche to be paid. ``(tranche,
    False)`` when it was requested already (a double click)."""
    if not selectors.tranches_for_coordinator(by).filter(pk=tranche.pk).exists():
        raise PermissionDenied
    locked = _locked(tranche)
    if locked.status == Tranche.Status.REQUESTED:
        return locked, False
    if locked.status != Tranche.Status.DUE:
        raise ValidationError(
            _("Only a due tranche can be requested: this one is “%(status)s”.")
            % {"status": locked.get_status_display()},
            code="not_due",
        )
    locked.status = Tranche.Status.REQUESTED
    locked.requested_by, locked.requested_at = by, timezone.now()
    locked.save(update_fields=["status", "requested_by", "requested_at"])
    grant_log(instance=locked, action=LOG_REQUEST, by=by, data=_state(locked))
    return locked, True


def may_approve(tranche: Tranche, user) -> bool:
    """Four eyes: a finance officer of the site who did not request the tranche."""
    return (
        tranche.requested_by_id != user.pk
        and selectors.tranches_for_finance(user).filter(pk=tranche.pk).exists()
    )


@transaction.atomic
def tranche_approve(*, tranche: Tranche, by) -> tuple[Tranche, bool]:
    """A finance officer approves a requested tranche, or one that failed (approving it again
    after the beneficiary or the programme fixed what Stripe said). ``(tranche, False)`` when
    it was approved already (a double click, or a colleague at the same moment)."""
    if not selectors.tranches_for_finance(by).filter(pk=tranche.pk).exists():
        raise PermissionDenied
    locked = _locked(tranche)
    if locked.requested_by_id == by.pk:
        raise ValidationError(
            _("You requested this payment: another finance officer must approve it."),
            code="four_eyes",
        )
    if locked.status in (Tranche.Status.APPROVED, *IN_DOUBT, Tranche.Status.SENT):
        return locked, False
    if locked.status not in (Tranche.Status.REQUESTED, Tranche.Status.FAILED):
        raise ValidationError(
            _("Only a requested or failed tranche can be approved: this one is “%(status)s”.")
            % {"status": locked.get_status_display()},
            code="not_requested",
        )
    before = locked.status
    locked.status = Tranche.Status.APPROVED
    locked.approved_by, locked.approved_at = by, timezone.now()
    locked.problem, locked.problem_detail = "", ""
    locked.save(update_fields=["status", "approved_by", "approved_at", "problem", "problem_detail"])
    grant_log(
        instance=locked,
        action=LOG_APPROVE,
        by=by,
        data={**_state(locked), "before": before, "attempt": locked.attempt},
    )
    return locked, True


# --- Paying -------------------------------------------------------------------------------


def _payee(tranche: Tranche) -> PayeeAccount | None:
    return PayeeAccount.objects.filter(
        participant_id=tranche.award.application.participant_id
    ).first()


def _fail(tranche: Tranche, problem: StripeProblem, *, by, new_attempt: bool) -> Tranche:
    """Record a failure Stripe answered for certain (or one before any call)."""
    with transaction.atomic():
        locked = _locked(tranche)
        if locked.status != Tranche.Status.SENDING and not (
            locked.status == Tranche.Status.APPROVED and not new_attempt
        ):
            return locked  # reconciled or recorded meanwhile: that record stands
        locked.status = Tranche.Status.FAILED
        locked.problem = problem.kind.value
        locked.problem_detail = problem.message
        if new_attempt:
            locked.attempt += 1
        locked.save(update_fields=["status", "problem", "problem_detail", "attempt"])
        grant_log(
            instance=locked,
            action=LOG_FAILED,
            by=by,
            data={**_state(locked), "problem": locked.problem, "attempt": locked.attempt},
        )
        return locked


def _unknown(tranche: Tranche, problem: StripeProblem, *, by) -> Tranche:
    with transaction.atomic():
        locked = _locked(tranche)
        if locked.status != Tranche.Status.SENDING:
            return locked
        locked.status = Tranche.Status.UNKNOWN
        locked.problem, locked.problem_detail = problem.kind.value, problem.message
        locked.save(update_fields=["status", "problem", "problem_detail"])
        grant_log(
            instance=locked,
            action=LOG_UNKNOWN,
            by=by,
            data={**_state(locked), "problem": locked.problem, "attempt": locked.attempt},
        )
        return locked


def _record_sent(tranche_pk: int, transfer: gateway.Transfer, *, by, action=LOG_SENT) -> Tranche:
    """A transfer Stripe made for the tranche: the tranche is *sent* and the transfer is its
    one payout ledger entry. Called by paying, reconciling and webhooks alike; money that moved
    is recorded whatever the tranche said before, and a second call changes nothing."""
    with transaction.atomic():
        locked = _locked(Tranche(pk=tranche_pk))
        if locked.status == Tranche.Status.SENT and locked.transfer_id != transfer.id:
            # Two transfers for one tranche: the keys make this impossible, so it is
            # reported loudly and never booked twice.
            logger.error(
                "Tranche %s has a second transfer %s (recorded %s): check at Stripe.",
                locked.pk,
                transfer.id,
                locked.transfer_id,
            )
            return locked
        entry, made = LedgerEntry.objects.get_or_create(
            tranche=locked,
            kind=LedgerEntry.Kind.PAYOUT,
            defaults={
                "award_id": locked.award_id,
                "site_id": locked.award.site_id,
                "amount_cents": transfer.amount_cents,
                "transfer_id": transfer.id,
                "recorded_by": by if getattr(by, "pk", None) else None,
            },
        )
        if locked.status == Tranche.Status.SENT and not made:
            return locked
        before = locked.status
        locked.status = Tranche.Status.SENT
        locked.transfer_id = transfer.id
        locked.sent_at = locked.sent_at or timezone.now()
        locked.problem, locked.problem_detail = "", ""
        locked.save(update_fields=["status", "transfer_id", "sent_at", "problem", "problem_detail"])
        if transfer.amount_cents != to_cents(locked.amount):
            logger.error(
                "Tranche %s: Stripe transferred %s cents, the tranche is %s.",
                locked.pk,
                transfer.amount_cents,
                locked.amount,
            )
        grant_log(
            instance=locked,
            action=action,
            by=by,
            data={
                **_state(locked),
                "before": before,
                "transfer": transfer.id,
                "cents": transfer.amount_cents,
                "ledger_entry": entry.pk,
            },
        )
        # The expenses may already justify it: the next tranche may be due now.
        award = locked.award
        transaction.on_commit(lambda: tranches_unlock(award))
        return locked


def _refresh(payee: PayeeAccount) -> None:
    """Read the account again, if Stripe answers: the payment's outcome does not depend on it."""
    try:
        accounts.payee_account_sync(payee=payee)
    except StripeProblem:
        logger.warning("Could not read account %s from Stripe.", payee.stripe_account_id)


def tranche_pay(*, tranche: Tranche, by=None) -> Tranche:
    """Pay an approved tranche (see the module's docstring); a tranche that is not approved
    (paid already, being paid by a colleague's click or the nightly run) is left as it is.
    Blocks on Stripe for up to a minute: call it from a command or a task, not a request."""
    if by is not None and not selectors.tranches_for_finance(by).filter(pk=tranche.pk).exists():
        raise PermissionDenied
    try:
        gateway.client()  # fail before recording anything when payments are not set up
    except StripeProblem as problem:
        return _fail(tranche, problem, by=by, new_attempt=False)
    with transaction.atomic():
        locked = _locked(tranche)
        if locked.status != Tranche.Status.APPROVED:
            return locked
        payee = _payee(locked)
        if payee is None:
            problem = StripeProblem(Problem.ACCOUNT_NOT_READY, "no connected account")
            # Nothing asked of Stripe: the key is still unused.
            return _fail(locked, problem, by=by, new_attempt=False)
        locked.status = Tranche.Status.SENDING
        locked.sending_at = timezone.now()
        locked.save(update_fields=["status", "sending_at"])
        grant_log(
            instance=locked,
            action=LOG_SENDING,
            by=by,
            data={**_state(locked), "attempt": locked.attempt, "key": locked.idempotency_key},
        )
    try:
        transfer = gateway.transfer_create(
            amount_cents=to_cents(locked.amount),
            destination=payee.stripe_account_id,
            transfer_group=locked.transfer_group,
            idempotency_key=locked.idempotency_key,
            metadata={"tranche": str(locked.pk), "award": str(locked.award_id)},
        )
    except StripeProblem as problem:
        if problem.kind == Problem.ACCOUNT_NOT_READY:
            _refresh(payee)  # so the failure says what Stripe needs now
        if problem.kind in REFUSALS:
            return _fail(locked, problem, by=by, new_attempt=True)
        if problem.kind == Problem.NOT_CONFIGURED:
            return _fail(locked, problem, by=by, new_attempt=False)
        return _unknown(locked, problem, by=by)
    return _record_sent(locked.pk, transfer, by=by)


def record_transfer(*, tranche: Tranche, transfer: gateway.Transfer, by=None) -> Tranche:
    """A transfer Stripe says it made for ``tranche`` (a webhook): recorded once."""
    return _record_sent(tranche.pk, transfer, by=by, action=LOG_RECONCILED)


@task()
def pay_tranche(tranche_id: int, by_id: int | None = None) -> str:
    """Enqueued by ``tranche_pay_schedule``: the payment runs in a worker, not a request."""
    by = get_user_model()._default_manager.filter(pk=by_id).first() if by_id else None
    return tranche_pay(tranche=Tranche(pk=tranche_id), by=by).status


def tranche_pay_schedule(*, tranche: Tranche, by) -> bool:
    """A finance officer's "pay now": checked here, paid by a task once this commits. ``False``
    when the tranche is not (or no longer) approved: nothing is scheduled."""
    if not selectors.tranches_for_finance(by).filter(pk=tranche.pk).exists():
        raise PermissionDenied
    if not Tranche.objects.filter(pk=tranche.pk, status=Tranche.Status.APPROVED).exists():
        return False
    pk, by_pk = tranche.pk, by.pk
    transaction.on_commit(lambda: pay_tranche.enqueue(pk, by_pk))
    return True


@dataclass
class RunReport:
    paid: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    unknown: list[int] = field(default_factory=list)


def payouts_run(*, limit: int | None = None) -> RunReport:
    """Pay every approved tranche, oldest approval first. Two runs at once pay each tranche
    once: ``tranche_pay`` takes only what is still approved under its lock."""
    report = RunReport()
    pending = Tranche.objects.filter(status=Tranche.Status.APPROVED).order_by("approved_at", "pk")
    for pk in pending.values_list("pk", flat=True)[:limit]:
        tranche = tranche_pay(tranche=Tranche(pk=pk))
        {
            Tranche.Status.SENT: report.paid,
            Tranche.Status.FAILED: report.failed,
            Tranche.Status.UNKNOWN: report.unknown,
        }.get(tranche.status, []).append(pk)
    return report


# --- Reconciling --------------------------------------------------------------------------


@dataclass
class ReconcileReport:
    sent: list[int] = field(default_factory=list)
    reapproved: list[int] = field(default_factory=list)
    #: Stripe could not be asked (still unknown): tried again on the next run.
    unreachable: list[int] = field(default_factory=list)


def in_doubt(*, everything: bool = False, now=None):
    """Tranches that may have been paid without our record saying so: *unknown* ones, and
    *sending* ones older than ``SENDING_GRACE`` (or all of them, ``everything``: when no payout
    run can be under way)."""
    sending = Q(status=Tranche.Status.SENDING)
    if not everything:
        sending &= Q(sending_at__lt=(now or timezone.now()) - SENDING_GRACE)
    return Tranche.objects.filter(sending | Q(status=Tranche.Status.UNKNOWN)).order_by("pk")


def tranche_reconcile(*, tranche: Tranche, by=None) -> str:
    """Ask Stripe whether the tranche was paid: its transfer (found in its group by the
    tranche's id in the metadata) is recorded; none found, the tranche is approved again with
    the same attempt, so paying it again is the same request at Stripe too. Returns what it
    did: ``"sent"``, ``"reapproved"``, ``"unreachable"`` or ``""`` (nothing to do)."""
    try:
        transfers = gateway.transfers_in_group(tranche.transfer_group)
    except StripeProblem:
        return "unreachable"
    mine = [t for t in transfers if t.metadata.get("tranche") == str(tranche.pk)]
    if len(mine) > 1:
        logger.error("Tranche %s has %s transfers at Stripe.", tranche.pk, len(mine))
    if mine:
        _record_sent(tranche.pk, mine[-1], by=by, action=LOG_RECONCILED)
        return "sent"
    with transaction.atomic():
        locked = _locked(tranche)
        # Still as it was when Stripe was asked: a payment recorded meanwhile stands.
        if locked.status not in IN_DOUBT or locked.sending_at != tranche.sending_at:
            return ""
        before = locked.status
        locked.status = Tranche.Status.APPROVED
        locked.problem, locked.problem_detail = "", ""
        locked.save(update_fields=["status", "problem", "problem_detail"])
        grant_log(
            instance=locked,
            action=LOG_RECONCILED,
            by=by,
            data={**_state(locked), "before": before, "found": 0, "attempt": locked.attempt},
        )
    return "reapproved"


def payouts_reconcile(*, everything: bool = False, by=None) -> ReconcileReport:
    """Reconcile every tranche in doubt (``in_doubt``)."""
    report = ReconcileReport()
    for tranche in in_doubt(everything=everything):
        outcome = tranche_reconcile(tranche=tranche, by=by)
        if outcome:
            getattr(report, outcome).append(tranche.pk)
    return report


# --- Repayments ---------------------------------------------------------------------------


def net_paid_cents(award: Award) -> int:
    return award.ledger.aggregate(total=Sum("amount_cents"))["total"] or 0


@transaction.atomic
def repayment_record(*, award: Award, amount: Decimal, note: str, by) -> LedgerEntry:
    """Money the beneficiary returned (by bank transfer to the municipality): a negative
    ledger entry, never a reversal at Stripe. No more than what was paid and not returned."""
    if not selectors.awards_for_staff(by, StaffRole.FINANCE_OFFICER).filter(pk=award.pk).exists():
        raise PermissionDenied
    award = Award.objects.select_for_update().get(pk=award.pk)
    cents = to_cents(amount)
    if cents <= 0:
        raise ValidationError(_("Enter an amount above zero."), code="not_positive")
    left = net_paid_cents(award)
    if cents > left:
        raise ValidationError(
            _("The beneficiary can return at most %(left)s €: what was paid and not returned.")
            % {"left": from_cents(max(left, 0))},
            code="too_much",
        )
    entry = LedgerEntry.objects.create(
        award=award,
        site_id=award.site_id,
        kind=LedgerEntry.Kind.REPAYMENT,
        amount_cents=-cents,
        note=note,
        recorded_by=by,
    )
    grant_log(
        instance=award,
        action=LOG_REPAYMENT,
        by=by,
        data={"amount": str(amount), "cents": -cents, "ledger_entry": entry.pk, "note": note},
    )
    return entry


# --- In words -----------------------------------------------------------------------------


def problem_words(tranche: Tranche) -> str:
    """What to do about a tranche's failure or unknown outcome, in the reader's language (the
    record keeps Stripe's code and message; the words are made when read)."""
    if not tranche.problem:
        return ""
    try:
        kind = Problem(tranche.problem)
    except ValueError:
        return tranche.problem_detail
    words = StripeProblem(kind, tranche.problem_detail).what_to_do
    if kind == Problem.ACCOUNT_NOT_READY:
        payee = _payee(tranche)
        needs = accounts.needs_words(payee)
        if payee is None:
            needs = [_("to set up how they receive the money")]
        if needs:
            words += " " + _("Stripe needs: %(needs)s.") % {"needs": "; ".join(needs)}
    return words
