"""Reads about accounts: second factors and roles."""

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator


def user_has_mfa(user) -> bool:
    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


def session_used_mfa(request) -> bool:
    """True when this session's sign-in included a second factor."""
    return any(record.get("method") == "mfa" for record in get_authentication_records(request))
