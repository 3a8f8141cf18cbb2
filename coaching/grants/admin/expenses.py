"""Expense reports in the Wagtail admin: the coordinators of a site check the reports its
beneficiaries submitted, line by line, each with its receipt and what to look at twice
(``services.expenses.expense_flags``). Accepting or rejecting (with a reason) is
``services.expenses.expense_review``; the last line checked closes the report and may make
the next tranche due.

Which reports: ``selectors.expense_reports_for_coordinator`` (another site's report is a
404; drafts stay the beneficiary's own). Anyone who is not a coordinator is refused."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q, Sum
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from coaching.grants import selectors
from coaching.grants.forms.expenses import ReviewForm
from coaching.grants.models import Expense, ExpenseReport
from coaching.grants.services.expenses import expense_flags, expense_review
from coaching.models import AccessLog
from coaching.selectors import can_manage_participants
from coaching.services.audit import access_log_record

#: The access log's ``details["page"]`` for a report opened by a coordinator.
LOG_PAGE = "grant_expense_report"

ACTIONS = (
    ("grants.expense_add", gettext_lazy("Add an expense"), gettext_lazy("Expense added")),
    ("grants.expense_remove", gettext_lazy("Remove an expense"), gettext_lazy("Expense removed")),
    (
        "grants.report_submit",
        gettext_lazy("Submit an expense report"),
        gettext_lazy("Expense report submitted"),
    ),
    ("grants.expense_accept", gettext_lazy("Accept an expense"), gettext_lazy("Expense accepted")),
    ("grants.expense_reject", gettext_lazy("Reject an expense"), gettext_lazy("Expense rejected")),
    (
        "grants.report_reviewed",
        gettext_lazy("Expense report checked"),
        gettext_lazy("Expense report checked: every line accepted or rejected"),
    ),
)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    for action, label, message in ACTIONS:
        actions.register_action(action, label, message)


def _coordinator_only(request) -> None:
    if not can_manage_participants(request.user):
        raise PermissionDenied


def index(request):
    """The submitted reports of the coordinator's sites, those waiting first."""
    _coordinator_only(request)
    reports = (
        selectors.expense_reports_for_coordinator(request.user)
        .select_related("award__application__participant__user", "award__application__call")
        .annotate(
            lines=Count("expenses"),
            pending=Count("expenses", filter=Q(expenses__review=Expense.Review.PENDING)),
            total=Sum("expenses__amount"),
        )
        .order_by("-status", "submitted_at", "pk")
    )
    waiting = [r for r in reports if r.status == ExpenseReport.Status.SUBMITTED]
    checked = [r for r in reports if r.status != ExpenseReport.Status.SUBMITTED]
    return TemplateResponse(
        request,
        "grants/admin/expenses_index.html",
        {
            "waiting": waiting,
            "checked": checked,
            "page_title": _("Expense reports"),
            "header_icon": "doc-full",
        },
    )


def _report_or_404(request, pk) -> ExpenseReport:
    reports = selectors.expense_reports_for_coordinator(request.user).select_related(
        "award__application__participant__user",
        "award__application__call",
    )
    try:
        return reports.prefetch_related(
            Prefetch(
                "expenses",
                queryset=Expense.objects.select_related("budget_line", "reviewed_by").order_by(
                    "spent_on", "pk"
                ),
            )
        ).get(pk=pk)
    except (ExpenseReport.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _prefix(expense) -> str:
    return f"e{expense.pk}"


def report(request, pk):
    """One report: each line, its receipt, its flags and a form to accept or reject it."""
    _coordinator_only(request)
    report = _report_or_404(request, pk)
    expenses = list(report.expenses.all())
    forms = {expense.pk: ReviewForm(prefix=_prefix(expense)) for expense in expenses}
    status = 200
    if request.method == "POST":
        expense = next((e for e in expenses if str(e.pk) == request.POST.get("expense")), None)
        if expense is None:
            raise Http404
        form = ReviewForm(request.POST, prefix=_prefix(expense))
        forms[expense.pk] = form
        if form.is_valid():
            try:
                expense_review(
                    expense=expense,
                    accepted=form.cleaned_data["decision"] == "accept",
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for name, errors in error.error_dict.items():
                        form.add_error(name if name in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            else:
                messages.success(request, _("The line was checked."))
                return redirect("grants_expenses:report", report.pk)
        status = 400
    else:
        access_log_record(
            actor=request.user,
            participant=report.award.application.participant,
            action=AccessLog.Action.VIEW_PARTICIPANT,
            details={"page": LOG_PAGE, "report": report.pk},
        )
    flags = expense_flags(expenses)
    rows = [
        {"expense": expense, "flags": flags.get(expense.pk, []), "form": forms[expense.pk]}
        for expense in expenses
    ]
    return TemplateResponse(
        request,
        "grants/admin/expenses_report.html",
        {
            "report": report,
            "award": report.award,
            "rows": rows,
            "may_review": report.status == ExpenseReport.Status.SUBMITTED,
            "page_title": _("Expense report"),
            "header_icon": "doc-full",
        },
        status=status,
    )


urls = [
    path("", index, name="index"),
    path("<int:pk>/", report, name="report"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("grants/expenses/", include((urls, "grants_expenses")))]


class CoordinatorMenuItem(MenuItem):
    def is_shown(self, request):
        return can_manage_participants(request.user)


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return CoordinatorMenuItem(
        gettext_lazy("Expense reports"),
        reverse("grants_expenses:index"),
        name="grants_expense_reports",
        icon_name="doc-full",
        order=172,
    )
