"""Staff reach the administrations only after signing in with a second factor, and their
sessions end after an idle time and a few hours after sign-in."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from portal_site.accounts.selectors import (
    LAST_ACTIVE_AT,
    request_user_is_staff,
    session_used_mfa,
    staff_session_ends_at,
    user_has_mfa,
    user_may_open_django_admin,
    user_may_open_wagtail_admin,
)

#: Requests a page makes by itself while it stays open (Wagtail's editor reports every few
#: seconds that it is still open): they are not the person doing something.
NOT_ACTIVITY_VIEWS = frozenset(
    {"wagtailadmin_editing_sessions:ping", "wagtailadmin_editing_sessions:release"}
)

#: What a staff session may open before its second factor: signing out, the language.
OPEN_VIEWS = frozenset(
    {"account_logout", "wagtailadmin_logout", "admin:logout", "set_language", "javascript-catalog"}
)
#: ...with an authenticator: proving it with a code.
PROVE_VIEWS = frozenset({"mfa_reauthenticate"})
#: ...with no authenticator yet: setting one up, after confirming it is them (allauth asks).
SET_UP_VIEWS = frozenset(
    {
        "mfa_activate_totp",
        "account_reauthenticate",
        "account_request_reauthentication_code",
        "account_confirm_reauthentication_code",
    }
)


def _view_name(request) -> str:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return ""


def _to_sign_in(request):
    url = reverse("account_login")
    if request.method == "GET":
        url = f"{url}?{urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})}"
    return redirect(url)


class StaffSessionExpiryMiddleware:
    """Staff sessions end after ``AVVIO_STAFF_SESSION_IDLE_TIMEOUT`` seconds without a request
    and ``AVVIO_STAFF_SESSION_MAX_AGE`` seconds after sign-in, whatever "remember me" said.

    Staff open special-category data, often on shared office computers. Participants keep
    allauth's choice (a long session on their own phone if they ask for it).

    At every staff request the session's own expiry (cookie and storage) is moved to that end
    plus one more idle period: the session is gone soon after it ends even where nothing checks
    it, and a person who comes back in that period is told why they must sign in again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request_user_is_staff(request):
            ends_at = staff_session_ends_at(request.session)
            if ends_at is None or time.time() >= ends_at:
                logout(request)
                messages.info(
                    request,
                    _(
                        "Your session has expired: staff sessions end after a while without "
                        "activity and some hours after signing in. Please sign in again."
                    ),
                )
                return _to_sign_in(request)
        response = self.get_response(request)
        # Asked again: the request may have signed someone in (allauth's "remember me" has
        # just given the session weeks) or out.
        match = getattr(request, "resolver_match", None)
        if request_user_is_staff(request) and (
            match is None or match.view_name not in NOT_ACTIVITY_VIEWS
        ):
            self._extend(request.session)
        return response

    @staticmethod
    def _extend(session) -> None:
        now = time.time()
        session[LAST_ACTIVE_AT] = now
        ends_at = staff_session_ends_at(session)
        if ends_at is not None:
            keep_for = ends_at - now + settings.AVVIO_STAFF_SESSION_IDLE_TIMEOUT
            session.set_expiry(max(int(keep_for), 1))


class StaffTwoFactorMiddleware:
    """Guard the Wagtail admin, the Django admin and every other page staff open.

    - Signed-in people who may not use an admin are sent to their account page with a
      message: the admins' own answer (back to the sign-in page) would loop, because allauth
      sends a signed-in person straight on to ``next``.
    - A staff session that has not passed the second factor (the person signed in before
      setting it up) opens only what leads to passing it, and signing out: staff with an
      authenticator are asked for a code by allauth's re-authentication page, then sent on;
      staff without one are sent to set it up, and then see their new recovery codes. Not
      the account pages: with a password alone they would read the recovery codes, remove
      the authenticator or change the e-mail address.

    The admins' and Wagtail's own sign-in forms are not allauth's; ``urls.py`` sends them to
    allauth's (``views.sign_in_elsewhere``), which asks for the second factor as a step of the
    sign-in when the user has one.
    """

    areas = {
        "/admin/": user_may_open_wagtail_admin,
        "/django-admin/": user_may_open_django_admin,
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.guard(request) or self.get_response(request)

    def guard(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            # The admin itself sends anonymous visitors to WAGTAILADMIN_LOGIN_URL (allauth).
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        view_name = _view_name(request)
        if view_name in OPEN_VIEWS:
            return None
        area = next((prefix for prefix in self.areas if request.path.startswith(prefix)), None)
        if area is not None and not self.areas[area](user):
            messages.error(request, _("Your account cannot open the administration."))
            return redirect("account_profile")
        if not request_user_is_staff(request) or session_used_mfa(request):
            return None
        if not user_has_mfa(user):
            if view_name in SET_UP_VIEWS:
                return None
            messages.warning(
                request,
                _(
                    "Staff must use two-factor authentication. Set up an authenticator app "
                    "to open the administration."
                ),
            )
            return redirect("mfa_activate_totp")
        if view_name in PROVE_VIEWS:
            return None
        messages.info(
            request,
            _("Enter the code from your authenticator app to open the administration."),
        )
        query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
        return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
