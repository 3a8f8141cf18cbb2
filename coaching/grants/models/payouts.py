"""Awards, the beneficiary's Stripe account, tranches, the ledger and Stripe's events.

Money moves only through ``services.payouts``: a tranche is recorded as *sending* (with its
idempotency key) before the transfer is asked of Stripe and *sent* (with the transfer's id)
after, and each transfer that Stripe made is one ledger entry. ``LedgerEntry`` rows are never
changed or deleted: a repayment is a new, negative entry.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coaching.grants.models.money import MoneyField


class Award(models.Model):
    """A grant decided for an application: offered, then accepted by the beneficiary signing
    the agreement generated from it. Its tranches follow the call's scheme."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered: waiting for the signed agreement")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        REVOKED = "revoked", _("Revoked")

    #: Awards that no longer hold any of the call's budget.
    RELEASED = (Status.DECLINED, Status.REVOKED)

    application = models.OneToOneField(
        "grants.GrantApplication",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="award",
    )
    site = models.ForeignKey("wagtailcore.Site", on_delete=models.PROTECT, related_name="+")
    amount = MoneyField(_("amount awarded (€)"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OFFERED
    )
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    awarded_at = models.DateTimeField(_("awarded"), auto_now_add=True)
    #: The agreement as signed: who typed their name, when, and a hash of the PDF's terms.
    signed_name = models.CharField(_("signed by"), max_length=200, blank=True)
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    agreement_sha256 = models.CharField(_("agreement fingerprint"), max_length=64, blank=True)
    #: The terms exactly as signed (their SHA-256 is ``agreement_sha256``): the agreement's
    #: page and PDF show these once signed, whatever changes later in the call or the record.
    agreement_terms = models.TextField(_("agreement as signed"), blank=True, editable=False)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ("-awarded_at", "-pk")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="grants_award_positive")
        ]

    def __str__(self):
        return str(self.application)


class PayeeAccount(models.Model):
    """The beneficiary's connected account at Stripe (Accounts v2, recipient configuration),
    kept in step with Stripe by webhooks and by reading it back."""

    participant = models.OneToOneField(
        "coaching.Participant", on_delete=models.PROTECT, related_name="payee_account"
    )
    stripe_account_id = models.CharField(_("Stripe account"), max_length=64, unique=True)
    can_receive = models.BooleanField(_("can receive transfers"), default=False)
    #: Stripe's open requirement codes (``stripe_gateway.AccountState.needs``).
    needs = models.JSONField(_("what Stripe still needs"), default=list, blank=True)
    synced_at = models.DateTimeField(_("read from Stripe"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("payout account")
        verbose_name_plural = _("payout accounts")

    def __str__(self):
        return self.stripe_account_id


class Tranche(models.Model):
    """One payment of an award.

    waiting (its condition does not hold yet) → due → requested (by a coordinator) →
    approved (by a finance officer who did not request it) → sending (recorded before the
    call to Stripe) → sent (with the transfer's id). A failure Stripe answered for certain
    (account not ready, platform balance too low) is *failed* with what to do next, and may
    be approved again; one whose outcome is unknown (timeout, Stripe's own error) is
    *unknown* until reconciliation asks Stripe.
    """

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for its condition")
        DUE = "due", _("Due: can be requested")
        REQUESTED = "requested", _("Requested: waiting for a finance officer")
        APPROVED = "approved", _("Approved: to be paid")
        SENDING = "sending", _("Being paid")
        SENT = "sent", _("Paid")
        FAILED = "failed", _("Not paid: see what to do")
        UNKNOWN = "unknown", _("Outcome unknown: being checked with Stripe")
        CANCELLED = "cancelled", _("Cancelled")

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="tranches")
    number = models.PositiveSmallIntegerField(_("tranche"))
    percent = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)
    amount = MoneyField(_("amount (€)"))
    condition = models.CharField(_("due"), max_length=20)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.WAITING, db_index=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    #: Raised only after a failure Stripe answered for certain, so the next attempt is a new
    #: request; a retry of an unknown outcome reuses the key and cannot pay twice.
    attempt = models.PositiveSmallIntegerField(default=1)
    sending_at = models.DateTimeField(_("sent to Stripe"), null=True, blank=True)
    transfer_id = models.CharField(_("Stripe transfer"), max_length=64, blank=True)
    sent_at = models.DateTimeField(_("paid"), null=True, blank=True)
    problem = models.CharField(_("problem"), max_length=30, blank=True)
    problem_detail = models.TextField(_("what Stripe said"), blank=True)

    class Meta:
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        ordering = ("award", "number")
        constraints = [
            models.UniqueConstraint(fields=("award", "number"), name="grants_tranche_number_once"),
            models.UniqueConstraint(
                fields=("transfer_id",),
                condition=~Q(transfer_id=""),
                name="grants_tranche_transfer_once",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="grants_tranche_positive"),
        ]

    def __str__(self):
        return f"{self.award} · {self.number}"

    @property
    def idempotency_key(self) -> str:
        """Derived from the tranche and its attempt: every retry of one attempt is the same
        request to Stripe."""
        return f"avvio-tranche-{self.pk}-{self.attempt}"

    @property
    def transfer_group(self) -> str:
        return f"avvio-award-{self.award_id}"


class LedgerEntry(models.Model):
    """Money that moved, in cents: a transfer Stripe made (positive) or money the
    beneficiary returned (negative). Never changed, never deleted."""

    class Kind(models.TextChoices):
        PAYOUT = "payout", _("Paid to the beneficiary")
        REPAYMENT = "repayment", _("Returned by the beneficiary")

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="ledger")
    site = models.ForeignKey("wagtailcore.Site", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    tranche = models.ForeignKey(
        Tranche, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger"
    )
    transfer_id = models.CharField(_("Stripe transfer"), max_length=64, blank=True)
    note = models.CharField(_("note"), max_length=400, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ("recorded_at", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("tranche",),
                condition=Q(kind="payout"),
                name="grants_one_payout_per_tranche",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="payout", amount_cents__gt=0) | Q(kind="repayment", amount_cents__lt=0)
                ),
                name="grants_ledger_sign_by_kind",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount_cents}"


class StripeEvent(models.Model):
    """An event Stripe sent, stored once by its id and processed once."""

    event_id = models.CharField(max_length=100, unique=True)
    type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=100, blank=True)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")
        ordering = ("-received_at",)

    def __str__(self):
        return self.event_id
