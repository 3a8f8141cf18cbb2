"""Sign staff in the way a person does: password, then a code from their authenticator app.

The codes are computed with allauth's own TOTP helpers, so nothing in the sign-in path is
faked. Reuse these in any test that needs a staff member inside the Wagtail admin::

    from tests.site.helpers_mfa import sign_in_with_totp

    sign_in_with_totp(client, editor)
    response = client.get("/admin/")

allauth refuses a TOTP code that was already used in the current 30-second window (it keeps
used codes in the cache), so a test that signs the same person in twice must clear the cache
in between (``django.core.cache.cache.clear()``).
"""

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from allauth.mfa.utils import decrypt
from django.urls import reverse

from tests.factories import TEST_PASSWORD


def code_for_secret(secret: str) -> str:
    """The code an authenticator app shows right now for this secret."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def totp_secret(user) -> str:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return decrypt(authenticator.data["secret"])


def totp_code(user) -> str:
    """The current code of the user's authenticator app. Read as a person does: in the last
    two seconds of a code's period they wait for the next one, so the code is still the
    current one when the server checks it (allauth allows no drift by default)."""
    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < 2:
        time.sleep(2)
    return code_for_secret(totp_secret(user))


def give_totp(user) -> str:
    """Set up an authenticator app and recovery codes for the user, as activation does.

    Returns the TOTP secret. (The activation page itself is tested through the browser-like
    flow in test_mfa_admin.py; this is the shortcut for tests about what comes after.)
    """
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def recovery_codes(user) -> list[str]:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    return authenticator.wrap().get_unused_codes()


def sign_in_with_password(client, user, *, password: str = TEST_PASSWORD, next_url: str = ""):
    """Post the sign-in form. Returns the (unfollowed) response."""
    url = reverse("account_login")
    if next_url:
        url = f"{url}?next={next_url}"
    data = {"login": user.email, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(url, data)


def sign_in_with_totp(client, user, *, next_url: str = "/admin/", code: str | None = None):
    """Sign in with password and the second factor, as the person would.

    Sets up TOTP first if the user has none. Returns the response of the second step (a
    redirect to ``next_url`` when it worked).
    """
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        give_totp(user)
    response = sign_in_with_password(client, user, next_url=next_url)
    assert response.status_code == 302, response.content[:2000]
    assert response["Location"] == reverse("mfa_authenticate"), response["Location"]
    response = client.post(reverse("mfa_authenticate"), {"code": code or totp_code(user)})
    assert response.status_code == 302, response.content[:2000]
    return response
