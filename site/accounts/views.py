"""The account page: name, language, links to allauth's e-mail, password and 2FA pages, and
the request to delete the account. Always about the signed-in user, never anyone else.

Also the one stand-in for the sign-in forms of Wagtail and Django, which lead to allauth's."""

from urllib.parse import urlencode

from allauth.account.models import EmailAddress
from allauth.account.utils import perform_login
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal_site.accounts import selectors, services
from portal_site.accounts.forms import DeleteRequestForm, ProfileForm


def _profile_form(user, data=None) -> ProfileForm:
    return ProfileForm(
        data,
        instance=user,
        initial={"preferred_language": user.preferred_language or translation.get_language()},
    )


def _render_profile(request, *, form, delete_form, status=200):
    user = request.user
    context = {
        "form": form,
        "delete_form": delete_form,
        "has_mfa": selectors.user_has_mfa(user),
        "is_staff_member": selectors.user_is_staff(user),
        "primary_email": selectors.user_primary_email(user),
    }
    return render(request, "accounts/profile.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    form = _profile_form(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["preferred_language"]
        services.user_update_profile(
            user=user,
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            language=language,
        )
        translation.activate(language)
        messages.success(request, _("Your details have been saved."))
        # The redirect goes to the page in the chosen language; the cookie keeps that
        # language for pages outside the language prefix (such as the administration).
        response = redirect("account_profile")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
        return response
    status = 400 if request.method == "POST" else 200
    return _render_profile(request, form=form, delete_form=DeleteRequestForm(), status=status)


@login_required
@require_http_methods(["POST"])
def delete_request(request):
    form = DeleteRequestForm(request.POST)
    if not form.is_valid():
        return _render_profile(
            request, form=_profile_form(request.user), delete_form=form, status=400
        )
    services.user_request_deletion(user=request.user)
    messages.success(
        request,
        _(
            "We have received your request. The programme staff will delete your data "
            "and write to you when it is done."
        ),
    )
    return redirect("account_profile")


@require_http_methods(["GET", "HEAD", "POST"])
def sign_in_elsewhere(request, *, default_next: str = ""):
    """Stand in for every sign-in form that is not allauth's: send the visitor to allauth's.

    Wagtail's admin and front-end sign-in pages and Django's admin sign-in are plain password
    forms, without allauth's rate limits, e-mail verification or second factor. Their URLs
    stay (the admins and Wagtail link to them), but a POST is answered with the same redirect
    and never reads the credentials; only a safe ``next`` is passed on.
    """
    next_url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    next_url = next_url or default_next
    login_url = reverse("account_login")
    if next_url:
        login_url = f"{login_url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"
    return redirect(login_url)


def sign_in_after_handover(request, user, *, redirect_url: str, email_verified: bool):
    """A person who claimed the account staff made for them signs in as anyone else does:
    through allauth, with its other stages. An address the code was not e-mailed to (a
    printed code, a new address) is verified first: they confirm it from the e-mail allauth
    sends, then sign in with the password they chose. ``COACHING_SIGN_IN`` points here."""
    EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).delete()
    address, _created = EmailAddress.objects.get_or_create(
        user=user, email__iexact=user.email, defaults={"email": user.email}
    )
    if email_verified and not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
    if not address.primary:
        address.set_as_primary()
    return perform_login(
        request,
        user,
        email_verification=settings.ACCOUNT_EMAIL_VERIFICATION,
        redirect_url=redirect_url,
        email=user.email,
    )
