"""Staff reach the Wagtail admin only after signing in with a second factor."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from portal_site.accounts.selectors import session_used_mfa, user_has_mfa


class StaffTwoFactorMiddleware:
    """Send anyone opening the admin without a second factor to set one up or use it.

    The admin's own login is allauth's (WAGTAILADMIN_LOGIN_URL), so a user with an
    authenticator always passes allauth's second step; this guard covers the rest: staff who
    have not set up an authenticator yet, and sessions opened without it.
    """

    protected_prefixes = ("/admin/", "/django-admin/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._needs_second_factor(request):
            if not user_has_mfa(request.user):
                messages.warning(
                    request,
                    _(
                        "Staff must use two-factor authentication. Set up an authenticator "
                        "app to open the administration."
                    ),
                )
                return redirect(reverse("mfa_activate_totp"))
            messages.warning(
                request, _("Sign in again with your authenticator app to open the administration.")
            )
            return redirect(f"{reverse('account_login')}?next={request.path}")
        return self.get_response(request)

    def _needs_second_factor(self, request) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if not request.path.startswith(self.protected_prefixes):
            return False
        return not session_used_mfa(request)
