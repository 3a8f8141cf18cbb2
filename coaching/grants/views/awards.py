"""The beneficiary's award on the public site: the grant offered, the agreement to read (on
the page and as a PDF) and to accept by typing one's full name and ticking "I accept", or to
decline.

Thin: the award is the signed-in person's own on this site (``selectors.own_award_or_404``,
anyone else's is a 404); accepting and declining are ``services.awards``. The page and the
PDF are personal: never stored by a shared cache.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import Site

from coaching.grants import selectors
from coaching.grants.agreement import (
    agreement_language,
    agreement_pdf,
    agreement_sha256,
    agreement_terms_html,
    euros,
    signing_name,
)
from coaching.grants.forms import add_refusal
from coaching.grants.forms.awards import AcceptForm, DeclineForm
from coaching.grants.models import Award
from coaching.grants.services.awards import award_accept, award_decline


def _award(request, pk) -> Award:
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    return selectors.own_award_or_404(request.user, site, pk)


def _page(request, award: Award, *, accept_form=None, decline_form=None, status=200):
    offered = award.status == Award.Status.OFFERED
    fingerprint = agreement_sha256(award)
    if accept_form is None:
        accept_form = AcceptForm(initial={"fingerprint": fingerprint})
    context = {
        "award": award,
        "application": award.application,
        "call": award.application.call,
        "amount": euros(award.amount),
        "terms": agreement_terms_html(award),
        "terms_language": agreement_language(award),
        "beneficiary": signing_name(award),
        "offered": offered,
        "accept_form": accept_form,
        "decline_form": decline_form or DeclineForm(),
    }
    return render(request, "grants/award.html", context, status=status)


@never_cache
@login_required
@require_GET
def award(request, pk):
    return _page(request, _award(request, pk))


@never_cache
@login_required
@require_GET
def agreement(request, pk):
    """The agreement as a PDF, in the beneficiary's language."""
    item = _award(request, pk)
    response = HttpResponse(agreement_pdf(item), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="grant-agreement-{item.application.reference}.pdf"'
    )
    return response


@never_cache
@login_required
@require_POST
def accept(request, pk):
    item = _award(request, pk)
    form = AcceptForm(request.POST)
    if form.is_valid():
        try:
            item, done = award_accept(
                award=item,
                signed_name=form.cleaned_data["signed_name"],
                fingerprint=form.cleaned_data["fingerprint"],
                by=request.user,
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            if done:
                messages.success(
                    request,
                    _("Thank you: you accepted the grant agreement. Its first tranche is due."),
                )
            else:
                messages.info(request, _("You had already accepted this agreement."))
            return redirect("grants:award", item.pk)
    return _page(request, item, accept_form=form, status=400)


@never_cache
@login_required
@require_POST
def decline(request, pk):
    item = _award(request, pk)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            item, done = award_decline(award=item, by=request.user)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            if done:
                messages.success(request, _("You declined the grant."))
            else:
                messages.info(request, _("You had already declined this grant."))
            return redirect("grants:award", item.pk)
    return _page(request, item, decline_form=form, status=400)


urlpatterns = [
    path("awards/<int:pk>/", award, name="award"),
    path("awards/<int:pk>/agreement.pdf", agreement, name="award_agreement"),
    path("awards/<int:pk>/accept/", accept, name="award_accept"),
    path("awards/<int:pk>/decline/", decline, name="award_decline"),
]
