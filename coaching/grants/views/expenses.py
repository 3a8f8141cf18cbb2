"""The beneficiary's side of a grant on the public site: "my grants" (each award with its
figures, tranches and expense reports), the expense report (one receipt per form post,
removed while the report is a draft, then submitted) and the download of a receipt.

Thin: who sees what is ``selectors`` (another person's award or receipt is a 404), every
change a service in ``services.expenses``, every figure ``services.ledger``."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.models import Site

from coaching.grants import selectors
from coaching.grants.forms import add_refusal
from coaching.grants.forms.expenses import ExpenseForm
from coaching.grants.models import Award, Expense, ExpenseReport, Tranche
from coaching.grants.services.expenses import expense_add, expense_remove, report_submit
from coaching.grants.services.ledger import grants_figures
from coaching.models import AccessLog
from coaching.selectors import own_participant
from coaching.services.audit import access_log_record

#: The access log's ``details["page"]`` for a receipt downloaded.
LOG_PAGE = "grant_receipt"

#: What each tranche's state means to the beneficiary, in plain words.
TRANCHE_WORDS = {
    Tranche.Status.WAITING: gettext_lazy(
        "Not yet: it comes once your accepted expenses cover what was paid."
    ),
    Tranche.Status.DUE: gettext_lazy("Due: the coordinator can ask for it to be paid."),
    Tranche.Status.REQUESTED: gettext_lazy("Asked for: waiting for the finance office."),
    Tranche.Status.APPROVED: gettext_lazy("Approved: it will be paid soon."),
    Tranche.Status.SENDING: gettext_lazy("Being paid."),
    Tranche.Status.SENT: gettext_lazy("Paid."),
    Tranche.Status.FAILED: gettext_lazy(
        "Not paid yet: the coordinator will tell you what is needed."
    ),
    Tranche.Status.UNKNOWN: gettext_lazy("Being paid: the transfer is being checked with Stripe."),
    Tranche.Status.CANCELLED: gettext_lazy("Cancelled."),
}


def _site(request):
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    return site


def _payout_account_url() -> str:
    """The page where the beneficiary sets up the account grants are paid to."""
    return reverse("grants:payouts")


def _awards(request):
    return selectors.own_awards(request.user, _site(request)).prefetch_related(
        Prefetch("tranches", queryset=Tranche.objects.order_by("number")),
        Prefetch(
            "expense_reports",
            queryset=ExpenseReport.objects.order_by("-created_at", "-pk"),
        ),
    )


@login_required
def my_grants(request):
    site = _site(request)
    awards = list(_awards(request))
    for award in awards:
        for tranche in award.tranches.all():
            tranche.in_words = TRANCHE_WORDS.get(tranche.status, tranche.get_status_display())
    return render(
        request,
        "grants/dashboard.html",
        {
            "grants": grants_figures(awards),
            "is_participant": own_participant(request.user, site) is not None,
            "payout_account_url": _payout_account_url(),
        },
    )


def _report_context(award: Award, form) -> dict:
    reports = list(
        award.expense_reports.prefetch_related(
            Prefetch("expenses", queryset=Expense.objects.select_related("budget_line"))
        ).order_by("-created_at", "-pk")
    )
    draft = next((r for r in reports if r.status == ExpenseReport.Status.DRAFT), None)
    return {
        "award": award,
        "form": form,
        "draft": draft,
        "earlier": [report for report in reports if report is not draft],
        "may_add": award.status == Award.Status.ACCEPTED,
    }


def _lines(award: Award):
    return award.application.budget_lines.order_by("position", "pk")


@login_required
@require_http_methods(["GET", "POST"])
def expense_report(request, award_pk):
    """The draft report with a form for one more receipt, and the reports sent before."""
    award = selectors.own_award_or_404(request.user, _site(request), award_pk)
    status = 200
    if request.method == "POST":
        form = ExpenseForm(request.POST, request.FILES, lines=_lines(award))
        if form.is_valid():
            data = form.cleaned_data
            try:
                _expense, created = expense_add(award=award, by=request.user, **data)
            except ValidationError as error:
                add_refusal(form, error)
            else:
                if created:
                    messages.success(request, _("The receipt is on your report."))
                else:
                    messages.info(request, _("This receipt was on your report already."))
                return redirect("grants:expense_report", award.pk)
        status = 400
    else:
        form = ExpenseForm(lines=_lines(award))
    return render(
        request, "grants/expense_report.html", _report_context(award, form), status=status
    )


@login_required
@require_POST
def expense_delete(request, award_pk, pk):
    award = selectors.own_award_or_404(request.user, _site(request), award_pk)
    expense = Expense.objects.filter(pk=pk, report__award=award).first()
    if expense is None:
        messages.info(request, _("That receipt is no longer on your report."))
        return redirect("grants:expense_report", award.pk)
    try:
        expense_remove(expense=expense, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The receipt was removed from your report."))
    return redirect("grants:expense_report", award.pk)


@login_required
@require_POST
def expense_report_submit(request, award_pk):
    award = selectors.own_award_or_404(request.user, _site(request), award_pk)
    draft = award.expense_reports.filter(status=ExpenseReport.Status.DRAFT).first()
    if draft is None:
        # Sent already (the same click twice), or nothing was ever added.
        if award.expense_reports.exists():
            messages.info(request, _("Your report was sent: the coordinator is checking it."))
        else:
            messages.error(request, _("Add at least one receipt before submitting."))
        return redirect("grants:expense_report", award.pk)
    try:
        report_submit(report=draft, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Your report was sent: the coordinator checks each receipt and will tell you."),
        )
    return redirect("grants:expense_report", award.pk)


def _receipt_for(request, pk) -> Expense:
    """The owner's own receipt, or one of a submitted report of a coordinator's site."""
    expenses = Expense.objects.select_related("report__award__application__participant")
    own = expenses.filter(
        pk=pk, report__in=selectors.own_expense_reports(request.user, _site(request))
    ).first()
    if own is not None:
        return own
    staff = expenses.filter(
        pk=pk, report__in=selectors.expense_reports_for_coordinator(request.user)
    ).first()
    if staff is None:
        raise Http404
    return staff


@login_required
def receipt(request, pk):
    """A receipt, always as a download (never shown inline by the browser), logged first."""
    expense = _receipt_for(request, pk)
    if not expense.receipt:
        raise Http404
    access_log_record(
        actor=request.user,
        participant=expense.report.award.application.participant,
        action=AccessLog.Action.VIEW_PARTICIPANT,
        details={"page": LOG_PAGE, "expense": expense.pk, "report": expense.report_id},
    )
    try:
        handle = expense.receipt.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = mimetypes.guess_type(expense.receipt.name)[0] or "application/octet-stream"
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=expense.receipt_name or expense.receipt.name.rsplit("/", 1)[-1],
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("my-grants/", my_grants, name="my_grants"),
    path("my-grants/<int:award_pk>/expenses/", expense_report, name="expense_report"),
    path(
        "my-grants/<int:award_pk>/expenses/<int:pk>/remove/",
        expense_delete,
        name="expense_remove",
    ),
    path(
        "my-grants/<int:award_pk>/expenses/submit/",
        expense_report_submit,
        name="report_submit",
    ),
    path("receipts/<int:pk>/", receipt, name="receipt"),
]
