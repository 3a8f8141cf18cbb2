"""Expense reports: what the beneficiary spent, against the budget lines, with receipts;
reviewed line by line."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coaching.grants.models.applications import _private_storage
from coaching.grants.models.money import MoneyField


class ExpenseReport(models.Model):
    """draft → submitted → reviewed (every line accepted or rejected by a coordinator)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted: being checked")
        REVIEWED = "reviewed", _("Checked")

    award = models.ForeignKey(
        "grants.Award", on_delete=models.PROTECT, related_name="expense_reports"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("checked"), null=True, blank=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)

    class Meta:
        verbose_name = _("expense report")
        verbose_name_plural = _("expense reports")
        ordering = ("award", "created_at", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("award",),
                condition=Q(status="draft"),
                name="grants_one_draft_report_per_award",
            )
        ]

    def __str__(self):
        return f"{self.award} · {self.created_at:%Y-%m-%d}"


class Expense(models.Model):
    """One receipt: what was bought, from whom, when, for how much, against which line."""

    class Review(models.TextChoices):
        PENDING = "pending", _("To be checked")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    report = models.ForeignKey(ExpenseReport, on_delete=models.CASCADE, related_name="expenses")
    budget_line = models.ForeignKey(
        "grants.BudgetLine",
        verbose_name=_("budget line"),
        on_delete=models.PROTECT,
        related_name="expenses",
    )
    supplier = models.CharField(_("supplier"), max_length=200)
    description = models.CharField(_("what was bought"), max_length=200)
    spent_on = models.DateField(_("date of the receipt"))
    amount = MoneyField(_("amount without VAT (€)"))
    vat = MoneyField(_("VAT (€)"), default=0)
    receipt = models.FileField(
        _("receipt"), upload_to="grants/receipts/%Y/%m/", storage=_private_storage
    )
    receipt_name = models.CharField(_("file name"), max_length=200)
    review = models.CharField(
        _("check"), max_length=10, choices=Review.choices, default=Review.PENDING
    )
    review_reason = models.TextField(_("why"), max_length=2000, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("checked"), null=True, blank=True)

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ("report", "spent_on", "pk")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="grants_expense_positive"),
            models.CheckConstraint(condition=Q(vat__gte=0), name="grants_expense_vat_not_negative"),
            models.CheckConstraint(
                condition=~Q(review="rejected") | ~Q(review_reason=""),
                name="grants_rejection_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.supplier} {self.amount}"
