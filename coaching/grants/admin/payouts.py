"""Paying tranches in the Wagtail admin: the list of their sites' tranches for coordinators and
finance officers, and the steps each may take.

- A coordinator requests the payment of a due tranche.
- A finance officer approves a requested (or failed) tranche they did not request themselves
  (four eyes: the service refuses it too), and pays an approved one now (a task does it, after
  the click commits: the call to Stripe never runs in the request).
- A finance officer records money a beneficiary returned: a negative ledger entry, never a
  reversal at Stripe.

Every step is a POST from a confirmation page; a second click does nothing more (the services
say so). Who sees which tranche is ``selectors``' rule (``tranches_for_coordinator``,
``tranches_for_finance``); a tranche outside it is a 404, and anyone in neither role (editors,
mentors, participants) is refused.
"""

from decimal import Decimal

from django import forms
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem

from coaching.forms.base import OnceKeyField
from coaching.grants import selectors
from coaching.grants.models import Tranche
from coaching.grants.models.money import from_cents
from coaching.grants.services import accounts, payouts
from coaching.selectors import StaffRole, can_manage_participants, is_finance_officer

#: How long a repayment form's one-time key is remembered: far longer than a double click.
ONCE_KEY_SECONDS = 24 * 3600
FINANCE_STEPS = ("approve", "pay")
STEPS = ("request", *FINANCE_STEPS)


def _is_coordinator(user) -> bool:
    return can_manage_participants(user)


def _is_finance(user) -> bool:
    return user.is_superuser or is_finance_officer(user)


def _may_use(user) -> bool:
    return (_is_coordinator(user) or _is_finance(user)) and user.has_perm("grants.view_tranche")


def _visible(user):
    """The tranches of the user's sites in either role."""
    ids = Q(pk__in=selectors.tranches_for_coordinator(user).values("pk")) | Q(
        pk__in=selectors.tranches_for_finance(user).values("pk")
    )
    return Tranche.objects.filter(ids).select_related(
        "award__application__participant",
        "award__application__call",
        "award__site",
        "requested_by",
        "approved_by",
    )


def _steps_for(user, tranche: Tranche, *, coordinator_of: set, finance_of: set) -> list[str]:
    """The steps ``user`` may take on ``tranche`` now (the services check each again)."""
    steps = []
    if tranche.pk in coordinator_of and tranche.status == Tranche.Status.DUE:
        steps.append("request")
    if tranche.pk in finance_of:
        if (
            tranche.status in (Tranche.Status.REQUESTED, Tranche.Status.FAILED)
            and tranche.requested_by_id != user.pk
        ):
            steps.append("approve")
        if tranche.status == Tranche.Status.APPROVED:
            steps.append("pay")
    return steps


def _step_labels() -> dict:
    return {
        "request": _("Request payment"),
        "approve": _("Approve"),
        "pay": _("Pay now"),
    }


STATUS_FILTERS = [("", gettext_lazy("All")), *Tranche.Status.choices]


def index(request):
    user = request.user
    if not _may_use(user):
        raise PermissionDenied
    tranches = _visible(user)
    status = request.GET.get("status", "")
    if status in Tranche.Status.values:
        tranches = tranches.filter(status=status)
    tranches = list(tranches.order_by("award__site", "award", "number")[:500])
    pks = [t.pk for t in tranches]
    coordinator_of = set(
        selectors.tranches_for_coordinator(user).filter(pk__in=pks).values_list("pk", flat=True)
    )
    finance_of = set(
        selectors.tranches_for_finance(user).filter(pk__in=pks).values_list("pk", flat=True)
    )
    labels = _step_labels()
    rows = [
        {
            "tranche": tranche,
            "problem": payouts.problem_words(tranche) if tranche.problem else "",
            "steps": [
                (step, labels[step])
                for step in _steps_for(
                    user, tranche, coordinator_of=coordinator_of, finance_of=finance_of
                )
            ],
            "may_record_repayment": tranche.pk in finance_of
            and tranche.status == Tranche.Status.SENT,
        }
        for tranche in tranches
    ]
    return TemplateResponse(
        request,
        "grants/admin/payouts_index.html",
        {
            "rows": rows,
            "status": status,
            "status_filters": STATUS_FILTERS,
            "page_title": _("Grant payments"),
            "header_icon": "doc-full",
        },
    )


def _do(step: str, tranche: Tranche, user) -> str:
    """Take ``step`` and say what happened."""
    if step == "request":
        _tranche, done = payouts.tranche_request(tranche=tranche, by=user)
        return _("Payment requested.") if done else _("This payment was already requested.")
    if step == "approve":
        _tranche, done = payouts.tranche_approve(tranche=tranche, by=user)
        return _("Payment approved.") if done else _("This payment was already approved.")
    done = payouts.tranche_pay_schedule(tranche=tranche, by=user)
    return (
        _("The payment is being sent to Stripe: its state is shown below.")
        if done
        else _("This payment is no longer waiting to be paid.")
    )


@require_http_methods(["GET", "POST"])
def confirm(request, pk: int, step: str):
    """Confirm a step on one tranche (GET), then take it (POST)."""
    user = request.user
    if not _may_use(user) or step not in STEPS:
        raise PermissionDenied
    if step == "request":
        tranche = selectors.tranches_for_coordinator(user).filter(pk=pk).first()
    else:
        tranche = selectors.tranches_for_finance(user).filter(pk=pk).first()
    if tranche is None:
        raise Http404
    if request.method == "POST":
        try:
            messages.success(request, _do(step, tranche, user))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("grants_payouts:index")
    return TemplateResponse(
        request,
        "grants/admin/payouts_confirm.html",
        {
            "tranche": tranche,
            "step": step,
            "step_label": _step_labels()[step],
            "four_eyes": step == "approve" and tranche.requested_by_id == user.pk,
            "page_title": _step_labels()[step],
            "header_icon": "doc-full",
        },
    )


class RepaymentForm(forms.Form):
    amount = forms.DecimalField(
        label=gettext_lazy("Amount returned (€)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text=gettext_lazy("What the beneficiary paid back to the municipality, in euros."),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=400,
        help_text=gettext_lazy("Why, and the reference of the bank transfer that brought it."),
    )
    key = OnceKeyField()


@require_http_methods(["GET", "POST"])
def repayment(request, award_pk: int):
    """Record money the beneficiary returned to the award (a finance officer of its site)."""
    user = request.user
    if not (_may_use(user) and _is_finance(user)):
        raise PermissionDenied
    award = (
        selectors.awards_for_staff(user, StaffRole.FINANCE_OFFICER)
        .select_related("application__participant")
        .filter(pk=award_pk)
        .first()
    )
    if award is None:
        raise Http404
    form = RepaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        once = f"grants:repayment:{form.cleaned_data['key']}"
        if not cache.add(once, 1, ONCE_KEY_SECONDS):
            messages.info(request, _("This repayment was already recorded."))
            return redirect("grants_payouts:index")
        try:
            payouts.repayment_record(
                award=award,
                amount=form.cleaned_data["amount"],
                note=form.cleaned_data["note"],
                by=user,
            )
        except ValidationError as error:
            cache.delete(once)
            form.add_error("amount", error)
        else:
            messages.success(request, _("Repayment recorded."))
            return redirect("grants_payouts:index")
    return TemplateResponse(
        request,
        "grants/admin/payouts_repayment.html",
        {
            "award": award,
            "form": form,
            "net_paid": from_cents(payouts.net_paid_cents(award)),
            "page_title": _("Record a repayment"),
            "header_icon": "doc-full",
        },
    )


admin_urls = (
    [
        path("", index, name="index"),
        path("<int:pk>/<str:step>/", confirm, name="confirm"),
        path("awards/<int:award_pk>/repayment/", repayment, name="repayment"),
    ],
    "grants_payouts",
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("grants/payments/", include(admin_urls))]


class PaymentsMenuItem(MenuItem):
    def is_shown(self, request):
        return _may_use(request.user)


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return PaymentsMenuItem(
        gettext_lazy("Grant payments"),
        reverse("grants_payouts:index"),
        name="grant-payments",
        icon_name="doc-full",
        order=175,
    )


ACTIONS = (
    (payouts.LOG_REQUEST, gettext_lazy("Request a payment"), gettext_lazy("Payment requested")),
    (payouts.LOG_APPROVE, gettext_lazy("Approve a payment"), gettext_lazy("Payment approved")),
    (
        payouts.LOG_SENDING,
        gettext_lazy("Send a payment to Stripe"),
        gettext_lazy("Payment sent to Stripe"),
    ),
    (payouts.LOG_SENT, gettext_lazy("Payment made"), gettext_lazy("Paid through Stripe")),
    (payouts.LOG_FAILED, gettext_lazy("Payment refused"), gettext_lazy("Not paid: see why")),
    (
        payouts.LOG_UNKNOWN,
        gettext_lazy("Payment outcome unknown"),
        gettext_lazy("Stripe did not answer: to be checked"),
    ),
    (
        payouts.LOG_RECONCILED,
        gettext_lazy("Check a payment with Stripe"),
        gettext_lazy("Payment checked with Stripe"),
    ),
    (
        payouts.LOG_REPAYMENT,
        gettext_lazy("Record a repayment"),
        gettext_lazy("Repayment recorded"),
    ),
    (
        accounts.LOG_OPEN,
        gettext_lazy("Open a payment account"),
        gettext_lazy("Payment account opened at Stripe"),
    ),
    (
        accounts.LOG_SYNC,
        gettext_lazy("Check a payment account with Stripe"),
        gettext_lazy("Payment account changed at Stripe"),
    ),
)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    for action, label, message in ACTIONS:
        actions.register_action(action, label, message)
