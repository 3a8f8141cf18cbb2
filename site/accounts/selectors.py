"""Reads about accounts: roles, second factors and what a session has proved."""

import time

from allauth.account.authentication import get_authentication_records
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings

from portal_site.accounts.roles import ACCESS_ADMIN, STAFF_ROLES, role_group_name

#: The permission Wagtail checks before it lets anyone into its admin.
ADMIN_ACCESS_PERMISSION = ACCESS_ADMIN


def user_is_staff(user) -> bool:
    """Staff: anyone who works in an administration, so anyone who must use a second factor.

    That is the Editor, Coordinator and Finance officer roles, Django's staff and superuser
    flags, and anyone another app has given Wagtail's admin access to.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    if user.groups.filter(name__in=[role_group_name(role) for role in STAFF_ROLES]).exists():
        return True
    return user.has_perm(ADMIN_ACCESS_PERMISSION)


def user_may_open_wagtail_admin(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(ADMIN_ACCESS_PERMISSION)


def user_may_open_django_admin(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff


def user_primary_email(user) -> str:
    """The address the person signs in with and receives e-mail at."""
    return EmailAddress.objects.get_primary_email(user) or user.email


def user_has_mfa(user) -> bool:
    """True when the user has a second factor they can sign in with (not just recovery codes)."""
    if not user.is_authenticated:
        return False
    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


def session_used_mfa(request) -> bool:
    """True when this session's signed-in user has passed a second factor in it.

    allauth keeps one record per authentication step in the session, tied to the user who
    made it: the MFA stage of a sign-in and an MFA re-authentication both add ``"mfa"``.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    records = get_authentication_records(request, user)
    if any(record.get("method") == "mfa" for record in records):
        return True
    # Setting up an authenticator means typing a valid code from it (after confirming the
    # password): that is passing the second factor, so nobody is asked for a code again
    # straight after. The stamp is written by ``signals`` and dies with the session, which
    # Django renews at every sign-in.
    return request.session.get(SECOND_FACTOR_SET_UP_AT) is not None


def request_user_is_staff(request) -> bool:
    """``user_is_staff`` for the request's user, worked out once per request and user.

    Several middlewares ask on every request; the user can change during it (sign-in).
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    cached = getattr(request, "_accounts_staff", None)
    if cached is None or cached[0] != user.pk:
        cached = (user.pk, user_is_staff(user))
        request._accounts_staff = cached
    return cached[1]


#: Session keys: when the person signed in, when staff last did something, and when this
#: session set up a second factor (written by ``portal_site.accounts.signals``).
SIGNED_IN_AT = "accounts_signed_in_at"
LAST_ACTIVE_AT = "accounts_last_active_at"
SECOND_FACTOR_SET_UP_AT = "accounts_second_factor_set_up_at"


def signed_in_within(request, *, seconds: float) -> bool:
    """True when this session's user signed in (the whole sign-in, not a later
    re-authentication) less than ``seconds`` ago."""
    signed_in_at = request.session.get(SIGNED_IN_AT)
    return signed_in_at is not None and time.time() - signed_in_at < seconds


def second_factor_set_up_within(request, *, seconds: float) -> bool:
    """True when this session set up an authenticator less than ``seconds`` ago."""
    set_up_at = request.session.get(SECOND_FACTOR_SET_UP_AT)
    return set_up_at is not None and time.time() - set_up_at < seconds


def staff_session_ends_at(session) -> float | None:
    """When a staff session ends: an idle time after the last request, and at the latest some
    hours after sign-in, whatever "remember me" said. ``None`` for a session without a sign-in
    time (opened before the rule existed), which has ended too."""
    signed_in_at = session.get(SIGNED_IN_AT)
    if signed_in_at is None:
        return None
    last_active_at = session.get(LAST_ACTIVE_AT, signed_in_at)
    return min(
        last_active_at + settings.AVVIO_STAFF_SESSION_IDLE_TIMEOUT,
        signed_in_at + settings.AVVIO_STAFF_SESSION_MAX_AGE,
    )
