"""Staff reach the administrations only after signing in with a second factor."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from portal_site.accounts.selectors import (
    session_used_mfa,
    user_has_mfa,
    user_is_staff,
    user_may_open_django_admin,
    user_may_open_wagtail_admin,
)


class StaffTwoFactorMiddleware:
    """Guard the Wagtail admin, the Django admin and every other page staff open.

    - Their own sign-in pages send people to allauth's, so nobody signs in around the second
      factor (allauth asks for it as a step of the sign-in when the user has one).
    - Signed-in people who may not use an admin are sent to their account page with a
      message: the admins' own answer (back to the sign-in page) would loop, because allauth
      sends a signed-in person straight on to ``next``.
    - Staff who have not set up an authenticator app are sent to set one up.
    - Staff whose session was opened without the second factor (signed in before they set it
      up) are asked for a code by allauth's re-authentication page, then sent on.
    - Staff pages outside the admins (e.g. assisted enrolment) get the same guard: a staff
      member's session needs the second factor on every page but the account pages.
    """

    areas = {
        "/admin/": user_may_open_wagtail_admin,
        "/django-admin/": user_may_open_django_admin,
    }
    sign_in_paths = ("/admin/login/", "/django-admin/login/")
    open_paths = ("/admin/logout/", "/django-admin/logout/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.guard(request) or self.get_response(request)

    def guard(self, request):
        area = next((prefix for prefix in self.areas if request.path.startswith(prefix)), None)
        if request.path in self.open_paths:
            return None
        if request.path in self.sign_in_paths:
            return self._to_sign_in(request, default_next=area)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            # The admin itself sends anonymous visitors to WAGTAILADMIN_LOGIN_URL (allauth).
            return None
        if area is not None and not self.areas[area](user):
            messages.error(request, _("Your account cannot open the administration."))
            return redirect("account_profile")
        if session_used_mfa(request):
            return None
        if area is None and (self._reaches_second_factor(request.path) or not user_is_staff(user)):
            # Staff pages live outside the admins too (assisted enrolment, consent forms),
            # so staff need the second factor everywhere except where they set it up.
            return None
        if not user_has_mfa(user):
            messages.warning(
                request,
                _(
                    "Staff must use two-factor authentication. Set up an authenticator app "
                    "to open the administration."
                ),
            )
            return redirect("mfa_activate_totp")
        messages.info(
            request,
            _("Enter the code from your authenticator app to open the administration."),
        )
        query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
        return redirect(f"{reverse('mfa_reauthenticate')}?{query}")

    @staticmethod
    def _reaches_second_factor(path: str) -> bool:
        """Account pages (sign-in, sign-out, the second factor) and files stay open."""
        if path.startswith((settings.STATIC_URL, settings.MEDIA_URL, "/i18n/")):
            return True
        language, _slash, rest = path.lstrip("/").partition("/")
        return language in dict(settings.LANGUAGES) and rest.startswith("account/")

    def _to_sign_in(self, request, *, default_next: str):
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = default_next
        query = urlencode({REDIRECT_FIELD_NAME: next_url or default_next})
        return redirect(f"{reverse('account_login')}?{query}")
