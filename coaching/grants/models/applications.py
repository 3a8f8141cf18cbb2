"""A participant's application to a grant call: the frozen plan it came from, its budget
lines, declarations, documents and the mentor's endorsement."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coaching.grants.models.money import MoneyField
from coaching.models import private_storage
from coaching.plans.models.finance import BudgetCategory


def _private_storage():
    return private_storage


class GrantApplication(models.Model):
    """draft → submitted → (evaluation) → awarded or rejected; withdrawn by the applicant
    at any time before a decision. Submitting locks it: nothing the applicant sends later
    changes what the evaluators read. Every move is in Wagtail's log entries."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        AWARDED = "awarded", _("Awarded")
        REJECTED = "rejected", _("Not funded")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    #: Still the applicant's to change.
    EDITABLE = (Status.DRAFT,)
    #: Waiting for, or past, a decision: the statuses in which one per call and person counts.
    ACTIVE = (Status.DRAFT, Status.SUBMITTED, Status.AWARDED)

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    call = models.ForeignKey(
        "grants.GrantCallPage",
        verbose_name=_("call"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    #: The call's site, kept here so that every staff query scopes by one column.
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    participant = models.ForeignKey(
        "coaching.Participant",
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="grant_applications",
    )
    plan = models.ForeignKey(
        "plans.BusinessPlan",
        verbose_name=_("business plan"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    #: The frozen version of the plan: what evaluators read, never changed.
    plan_version = models.ForeignKey(
        "plans.PlanVersion",
        verbose_name=_("plan version"),
        on_delete=models.PROTECT,
        related_name="grant_applications",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    requested_amount = MoneyField(_("amount requested (€)"))
    project_summary = models.TextField(_("the project in a few lines"), max_length=2000, blank=True)
    declares_truthful = models.BooleanField(
        _("declares that what the application says is true"), default=False
    )
    #: De minimis aid received in this and the two previous fiscal years (EU 2023/2831).
    de_minimis_received = MoneyField(
        _("de minimis aid received in the last three years (€)"), null=True, blank=True
    )
    de_minimis_declared = models.BooleanField(_("declared de minimis aid"), default=False)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rejection_reason = models.TextField(_("why it was not funded"), max_length=4000, blank=True)
    #: Incremented by every save of a draft: a page opened before another save is stale.
    revision = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("grant application")
        verbose_name_plural = _("grant applications")
        ordering = ("-created_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=("call", "participant"),
                condition=Q(status__in=("draft", "submitted", "awarded")),
                name="grants_one_active_application_per_call",
            ),
            models.CheckConstraint(
                condition=Q(requested_amount__gte=0), name="grants_requested_not_negative"
            ),
        ]

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = "G-" + uuid.uuid4().hex[:10].upper()
        super().save(*args, **kwargs)

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE


class BudgetLine(models.Model):
    """A start-up cost of the frozen plan, taken over as a line of the application's budget;
    expenses are reported against it."""

    application = models.ForeignKey(
        GrantApplication, on_delete=models.CASCADE, related_name="budget_lines"
    )
    position = models.PositiveSmallIntegerField(default=0)
    category = models.CharField(_("category"), max_length=30, choices=BudgetCategory.choices)
    description = models.CharField(_("description"), max_length=200)
    amount = MoneyField(_("amount (€)"))
    vat_rate = models.CharField(_("VAT rate"), max_length=3, blank=True)
    vat_recoverable = models.BooleanField(_("VAT recoverable"), default=False)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ("application", "position", "pk")

    def __str__(self):
        return self.description


class ApplicationDocument(models.Model):
    """A document uploaded with an application: stored privately (never under a public
    address), served only to the people the access rules allow."""

    application = models.ForeignKey(
        GrantApplication, on_delete=models.CASCADE, related_name="documents"
    )
    requirement = models.ForeignKey(
        "grants.RequiredDocument",
        verbose_name=_("for"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    file = models.FileField(
        _("file"), upload_to="grants/documents/%Y/%m/", storage=_private_storage
    )
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ("application", "uploaded_at", "pk")

    def __str__(self):
        return self.original_name


class Endorsement(models.Model):
    """The applicant's mentor's word for the application (optional). The mentor sees only
    this, never the rest of the application."""

    application = models.OneToOneField(
        GrantApplication, on_delete=models.CASCADE, related_name="endorsement"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grant_endorsements"
    )
    text = models.TextField(_("endorsement"), max_length=3000, blank=True)
    requested_at = models.DateTimeField(_("asked for"), auto_now_add=True)
    given_at = models.DateTimeField(_("given"), null=True, blank=True)

    class Meta:
        verbose_name = _("mentor's endorsement")
        verbose_name_plural = _("mentors' endorsements")

    def __str__(self):
        return str(self.application)
