"""Expense reports: the beneficiary lists what the grant paid for, one receipt at a time
while the report is a draft, and submits it; a coordinator of the award's site checks each
line. When every line is checked the report is *checked*, a tranche waiting for accepted
spending may become due (``services.tranches.tranches_unlock``, the one rule) and the
beneficiary is told.

The beneficiary writes only to their own report (``expense_add``, ``expense_remove``,
``report_submit`` refuse anyone else); only a coordinator of the award's site checks one.
Every change is in Wagtail's log entries (``grant_log``)."""

from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from coaching.grants.models import Award, BudgetLine, Expense, ExpenseReport
from coaching.grants.models.money import euros
from coaching.grants.services.audit import grant_log
from coaching.grants.services.tranches import tranches_unlock
from coaching.grants.uploads import stored_name, upload_content_type
from coaching.plans.models import CategoryRule
from coaching.selectors import StaffRole, may_act_on_site
from coaching.services.notify import language_for, participant_notify

#: The expenses that count against a budget line: accepted or still to be checked.
COUNTED = (Expense.Review.ACCEPTED, Expense.Review.PENDING)


def receipt_problem(file) -> str | None:
    """Why ``file`` cannot be kept as a receipt (``uploads``' rule), or ``None``."""
    if file is None:
        return _("Attach the receipt: a PDF, JPG or PNG file.")
    try:
        upload_content_type(file)
    except ValidationError as error:
        return error.messages[0]
    return None


def _owner_only(award: Award, by) -> None:
    if not getattr(by, "pk", None) or award.application.participant.user_id != by.pk:
        raise PermissionDenied


def _locked_award(award: Award) -> Award:
    return (
        Award.objects.select_related("application__participant")
        .select_for_update(of=("self",))
        .get(pk=award.pk)
    )


def _draft_report(award: Award) -> ExpenseReport:
    """The award's draft report, locked; made if there is none. Called with the award's row
    locked, so two receipts sent at once go to the same draft."""
    report = (
        ExpenseReport.objects.select_for_update()
        .filter(award=award, status=ExpenseReport.Status.DRAFT)
        .first()
    )
    if report is not None:
        return report
    try:
        with transaction.atomic():
            return ExpenseReport.objects.create(award=award)
    except IntegrityError:
        return ExpenseReport.objects.select_for_update().get(
            award=award, status=ExpenseReport.Status.DRAFT
        )


@transaction.atomic
def expense_add(
    *,
    award: Award,
    budget_line: BudgetLine,
    supplier: str,
    description: str,
    spent_on,
    amount: Decimal,
    vat: Decimal,
    receipt,
    by,
) -> tuple[Expense, bool]:
    """Add one receipt to the award's draft report (made if needed). ``(expense, False)``
    when the same receipt is on the draft already: the same form sent twice adds it once,
    and a receipt reported twice would be claimed twice. Nothing is stored when refused."""
    award = _locked_award(award)
    _owner_only(award, by)
    if award.status != Award.Status.ACCEPTED:
        raise ValidationError(
            _("Expenses can be reported once the grant agreement is signed."), code="not_accepted"
        )
    if budget_line.application_id != award.application_id:
        raise ValidationError(_("Choose a line of this grant's budget."), code="budget_line")
    errors = {}
    if amount is None or amount <= 0:
        errors["amount"] = _("The amount must be more than zero.")
    if vat is None or vat < 0:
        errors["vat"] = _("VAT cannot be negative.")
    if spent_on and spent_on > timezone.localdate():
        errors["spent_on"] = _("The date of the receipt cannot be in the future.")
    problem = receipt_problem(receipt)
    if problem:
        errors["receipt"] = problem
    if errors:
        raise ValidationError(errors)
    report = _draft_report(award)
    receipt_name = Path(receipt.name).name[-200:]
    same = report.expenses.filter(
        budget_line=budget_line,
        supplier=supplier,
        description=description,
        spent_on=spent_on,
        amount=amount,
        vat=vat,
        receipt_name=receipt_name,
    ).first()
    if same is not None:
        return same, False
    # Stored under a random name: the person's file name is kept apart, for downloads.
    receipt.name = stored_name(receipt)
    expense = Expense(
        report=report,
        budget_line=budget_line,
        supplier=supplier,
        description=description,
        spent_on=spent_on,
        amount=amount,
        vat=vat,
        receipt=receipt,
        receipt_name=receipt_name,
    )
    try:
        with transaction.atomic():
            expense.save()
    except Exception:
        if expense.receipt.name:
            expense.receipt.storage.delete(expense.receipt.name)
        raise
    grant_log(
        instance=expense,
        action="grants.expense_add",
        by=by,
        data={
            "report": report.pk,
            "budget_line": budget_line.pk,
            "amount": str(amount),
            "vat": str(vat),
            "spent_on": spent_on.isoformat(),
        },
    )
    return expense, True


@transaction.atomic
def expense_remove(*, expense: Expense, by) -> None:
    """Take a receipt off a draft report; its file goes once the removal commits."""
    report = ExpenseReport.objects.select_for_update().get(pk=expense.report_id)
    _owner_only(report.award, by)
    if report.status != ExpenseReport.Status.DRAFT:
        raise ValidationError(
            _("The report was submitted: its receipts can no longer be changed."),
            code="not_draft",
        )
    expense = Expense.objects.filter(pk=expense.pk, report=report).first()
    if expense is None:  # removed already (the same click twice)
        return
    name, storage = expense.receipt.name, expense.receipt.storage
    data = {
        "expense": expense.pk,
        "supplier": expense.supplier,
        "amount": str(expense.amount),
        "budget_line": expense.budget_line_id,
    }
    expense.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
    grant_log(instance=report, action="grants.expense_remove", by=by, data=data)


@transaction.atomic
def report_submit(*, report: ExpenseReport, by) -> tuple[ExpenseReport, bool]:
    """Send the draft to the coordinators; ``(report, False)`` when it was sent already."""
    _locked_award(report.award)
    report = ExpenseReport.objects.select_for_update().get(pk=report.pk)
    _owner_only(report.award, by)
    if report.status != ExpenseReport.Status.DRAFT:
        return report, False
    count = report.expenses.count()
    if not count:
        raise ValidationError(_("Add at least one receipt before submitting."), code="empty")
    report.status = ExpenseReport.Status.SUBMITTED
    report.submitted_at = timezone.now()
    report.save(update_fields=["status", "submitted_at"])
    total = report.expenses.aggregate(total=Sum("amount"))["total"]
    grant_log(
        instance=report,
        action="grants.report_submit",
        by=by,
        data={"expenses": count, "amount": str(total)},
    )
    return report, True


@transaction.atomic
def expense_review(*, expense: Expense, accepted: bool, reason: str = "", by) -> Expense:
    """A coordinator of the award's site accepts or rejects one line (a rejection says why).
    The last line checked closes the report, makes due the tranche its spending unlocks and
    tells the beneficiary. Sent twice, the same decision is made once."""
    award = expense.report.award
    if not may_act_on_site(by, award.site_id, role=StaffRole.COORDINATOR):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not accepted and not reason:
        raise ValidationError(
            {"reason": _("Say why the expense is not accepted: the beneficiary reads it.")}
        )
    report = ExpenseReport.objects.select_for_update().get(pk=expense.report_id)
    expense = Expense.objects.select_for_update().get(pk=expense.pk)
    decision = Expense.Review.ACCEPTED if accepted else Expense.Review.REJECTED
    if expense.review == decision and (accepted or expense.review_reason == reason):
        return expense
    if report.status != ExpenseReport.Status.SUBMITTED:
        raise ValidationError(_("This report is not waiting to be checked."), code="not_submitted")
    before = expense.review
    expense.review = decision
    expense.review_reason = "" if accepted else reason
    expense.reviewed_by = by
    expense.reviewed_at = timezone.now()
    expense.save(update_fields=["review", "review_reason", "reviewed_by", "reviewed_at"])
    data = {"before": before, "after": decision, "amount": str(expense.amount)}
    if not accepted:
        data["reason"] = reason
    grant_log(
        instance=expense,
        action="grants.expense_accept" if accepted else "grants.expense_reject",
        by=by,
        data=data,
    )
    if not report.expenses.filter(review=Expense.Review.PENDING).exists():
        _report_reviewed(report, by=by)
    return expense


def _report_reviewed(report: ExpenseReport, *, by) -> None:
    report.status = ExpenseReport.Status.REVIEWED
    report.reviewed_at = timezone.now()
    report.save(update_fields=["status", "reviewed_at"])
    accepted = report.expenses.filter(review=Expense.Review.ACCEPTED)
    counts = {
        "accepted": accepted.count(),
        "rejected": report.expenses.filter(review=Expense.Review.REJECTED).count(),
        "accepted_amount": str(accepted.aggregate(total=Sum("amount"))["total"] or Decimal("0")),
    }
    unlocked = tranches_unlock(report.award, by=by)
    counts["tranches_due"] = [tranche.number for tranche in unlocked]
    grant_log(instance=report, action="grants.report_reviewed", by=by, data=counts)
    _tell_beneficiary(report, counts=counts, unlocked=unlocked)


def _tell_beneficiary(report: ExpenseReport, *, counts: dict, unlocked) -> None:
    """A message on the beneficiary's dashboard and an e-mail (after the commit): how many
    lines were accepted, and where to read why the others were not."""
    award = Award.objects.select_related(
        "application__participant__user", "application__participant__site"
    ).get(pk=report.award_id)
    participant = award.application.participant
    with translation.override(language_for(participant.user)):
        url = participant.site.root_url + reverse("grants:expense_report", args=[award.pk])
    participant_notify(
        participant=participant,
        template="report_reviewed",
        folder="grants/emails",
        context={
            "award": award,
            "accepted": counts["accepted"],
            "rejected": counts["rejected"],
            "tranche_due": bool(unlocked),
            "url": url,
        },
    )


# --- Flags for the coordinator ---------------------------------------------------------------


def expense_flags(expenses) -> dict[int, list[str]]:
    """What a coordinator should look at twice, per expense, in words: the line's budget
    passed (counting every accepted or pending expense on it), a category the call does not
    fund, a receipt dated before the award. A fixed number of queries for any number."""
    expenses = list(expenses)
    if not expenses:
        return {}
    lines = {expense.budget_line_id for expense in expenses}
    reports = {expense.report_id for expense in expenses}
    # A draft counts only for its own owner's view: coordinators never see others' drafts.
    totals = dict(
        Expense.objects.filter(budget_line__in=lines, review__in=COUNTED)
        .filter(~Q(report__status=ExpenseReport.Status.DRAFT) | Q(report__in=reports))
        .values("budget_line")
        .annotate(total=Sum("amount"))
        .values_list("budget_line", "total")
    )
    rules_ids = {expense.report.award.application.call.rules_id for expense in expenses}
    ineligible = set(
        CategoryRule.objects.filter(rules_id__in=rules_ids, ineligible=True).values_list(
            "rules_id", "category"
        )
    )
    flags = {}
    for expense in expenses:
        line, award = expense.budget_line, expense.report.award
        texts = []
        total = totals.get(line.pk) or Decimal("0")
        if total > line.amount:
            texts.append(
                _("Over the budget line: %(total)s reported against %(budget)s budgeted.")
                % {"total": euros(total), "budget": euros(line.amount)}
            )
        if (award.application.call.rules_id, line.category) in ineligible:
            texts.append(
                _("The call does not fund this category: %(category)s.")
                % {"category": line.get_category_display()}
            )
        awarded_on = timezone.localdate(award.awarded_at)
        if expense.spent_on < awarded_on:
            texts.append(
                _("Dated before the award (%(date)s).")
                % {"date": formats.date_format(awarded_on, "SHORT_DATE_FORMAT")}
            )
        flags[expense.pk] = texts
    return flags
