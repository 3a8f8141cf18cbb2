"""Reads about accounts: roles, second factors and what a session has proved."""

from allauth.account.authentication import get_authentication_records
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from portal_site.accounts.roles import STAFF_ROLES

#: The permission Wagtail checks before it lets anyone into its admin.
ADMIN_ACCESS_PERMISSION = "wagtailadmin.access_admin"


def user_is_staff(user) -> bool:
    """Staff: anyone who works in an administration, so anyone who must use a second factor.

    That is the Editor, Coordinator and Finance officer roles, Django's staff and superuser
    flags, and anyone another app has given Wagtail's admin access to.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    if user.groups.filter(name__in=[role.value for role in STAFF_ROLES]).exists():
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
    return any(record.get("method") == "mfa" for record in records)
