"""The beneficiary's "receive the money" page, and Stripe's webhooks.

A beneficiary (a participant of this site with an accepted award) sets up, on Stripe's hosted
pages, the account their tranches are paid to: a POST here makes the account (once) and a
fresh onboarding link and sends them there; Stripe sends them back to ``payouts_return``
(their account is read again) or, for a link that expired, to ``payouts_refresh`` (a new
link). Nobody else has this page: anyone without an accepted award on the site gets a 404.

Thin: the rules are ``services.accounts`` and ``services.webhooks``. Stripe's webhooks are
served outside the language prefixes, from ``webhook_urlpatterns``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import Site

from coaching.grants import selectors
from coaching.grants import stripe_gateway as gateway
from coaching.grants.models import Award, PayeeAccount, Tranche
from coaching.grants.services import accounts, payouts, webhooks
from coaching.selectors import own_participant


def _beneficiary(request):
    """The signed-in participant of this site with an accepted award, or a 404."""
    site = Site.find_for_request(request)
    participant = own_participant(request.user, site)
    awards = selectors.own_awards(request.user, site).filter(status=Award.Status.ACCEPTED)
    if participant is None or not awards.exists():
        raise Http404
    return participant, awards


def _payee(participant) -> PayeeAccount | None:
    return PayeeAccount.objects.filter(participant=participant).first()


@login_required
@require_GET
def account(request):
    """Where the beneficiary's account stands, in words, and the tranches of their awards."""
    participant, awards = _beneficiary(request)
    payee = _payee(participant)
    tranches = Tranche.objects.filter(award__in=awards).select_related("award__application__call")
    response = render(
        request,
        "grants/payouts.html",
        {
            "payee": payee,
            "needs": accounts.needs_words(payee),
            "tranches": [
                (tranche, payouts.problem_words(tranche) if tranche.status == "failed" else "")
                for tranche in tranches.order_by("award", "number")
            ],
        },
    )
    # The form posts here and is redirected to Stripe's onboarding: browsers check that
    # redirect against this page's form-action.
    response._csp_update = {"form-action": [gateway.onboarding_origin()]}
    return response


def _to_stripe(request, payee: PayeeAccount):
    url = accounts.onboarding_link(
        payee=payee,
        return_url=request.build_absolute_uri(reverse("grants:payouts_return")),
        refresh_url=request.build_absolute_uri(reverse("grants:payouts_refresh")),
    )
    return redirect(url)


def _problem(request, problem: gateway.StripeProblem):
    messages.error(request, problem.what_to_do)
    return redirect("grants:payouts")


@login_required
@require_POST
def start(request):
    """Make the account (the first time) and go to Stripe's onboarding page. A double click
    finds the same account (``payee_account_open``) and only makes another link."""
    participant, _awards = _beneficiary(request)
    try:
        payee = accounts.payee_account_open(participant=participant, by=request.user)
        return _to_stripe(request, payee)
    except gateway.StripeProblem as problem:
        return _problem(request, problem)


@login_required
@require_GET
def back_from_stripe(request):
    """Stripe sent the beneficiary back: read the account again and say where it stands."""
    participant, _awards = _beneficiary(request)
    payee = _payee(participant)
    if payee is None:
        return redirect("grants:payouts")
    try:
        payee = accounts.payee_account_sync(payee=payee, by=request.user)
    except gateway.StripeProblem as problem:
        return _problem(request, problem)
    if payee.can_receive:
        messages.success(request, _("Your account is ready: the payments will reach it."))
    else:
        messages.info(
            request,
            _("Stripe still needs something from you: see below, then continue."),
        )
    return redirect("grants:payouts")


@login_required
@require_GET
def refresh(request):
    """The onboarding link expired or was used: a new one, as Stripe asks of platforms."""
    participant, _awards = _beneficiary(request)
    payee = _payee(participant)
    if payee is None:
        return redirect("grants:payouts")
    try:
        return _to_stripe(request, payee)
    except gateway.StripeProblem as problem:
        return _problem(request, problem)


urlpatterns = [
    path("payments/", account, name="payouts"),
    path("payments/start/", start, name="payouts_start"),
    path("payments/done/", back_from_stripe, name="payouts_return"),
    path("payments/again/", refresh, name="payouts_refresh"),
]


# --- Stripe's webhooks (outside the language prefixes) ------------------------------------


def _receive(request, receive):
    signature = request.headers.get("Stripe-Signature", "")
    try:
        receive(request.body, signature)
    except gateway.BadSignature:
        return HttpResponseBadRequest("bad signature")
    except gateway.StripeProblem:
        # Stored, not processed: Stripe delivers it again later.
        return HttpResponse("try again later", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt
@require_POST
def snapshot_webhook(request):
    """v1 events (transfers): Stripe signs them; there is no session, hence no CSRF token."""
    return _receive(request, webhooks.snapshot_receive)


@csrf_exempt
@require_POST
def thin_webhook(request):
    """v2 thin events (accounts), as ``snapshot_webhook``."""
    return _receive(request, webhooks.thin_receive)


webhook_urlpatterns = [
    path("webhooks/", snapshot_webhook, name="snapshot"),
    path("webhooks/thin/", thin_webhook, name="thin"),
]
