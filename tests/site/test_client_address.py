"""Behind the TLS proxy every request comes from the proxy's address: the rate limits must
read the client's address from X-Forwarded-For, trusting only the configured proxies."""

import functools

import pytest

from tests.factories import TEST_PASSWORD, UserFactory
from tests.site.test_production_settings import PRODUCTION_ENV, _manage

PROXY = "10.0.0.2"
CLIENT_A = "203.0.113.10"
CLIENT_B = "198.51.100.20"


@pytest.fixture
def behind_one_proxy(settings):
    """As in production with the README's set-up: one proxy, the default count."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = _production_setting("ALLAUTH_TRUSTED_PROXY_COUNT")
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == 1
    return settings


@functools.cache
def _production_setting(name: str, **env: str):
    """A setting as production computes it, from a fresh process with production's env."""
    result = _manage(
        "shell",
        "-v",
        "0",
        "-c",
        f"from django.conf import settings; print(repr(settings.{name}))",
        env={**PRODUCTION_ENV, **env},
    )
    assert result.returncode == 0, result.stderr
    return eval(result.stdout.strip())  # our own repr() of a setting


def _via_proxy(forwarded_for: str) -> dict:
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded_for}


def _sign_in(client, email, password, forwarded_for):
    return client.post(
        "/it/account/login/",
        {"login": email, "password": password},
        **_via_proxy(forwarded_for),
    )


def _is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- Configuration --------------------------------------------------------------------------


def test_production_trusts_the_number_of_proxies_given_in_the_environment():
    assert _production_setting("ALLAUTH_TRUSTED_PROXY_COUNT", TRUSTED_PROXY_COUNT="2") == 2
    assert _production_setting("ALLAUTH_TRUSTED_PROXY_COUNT", TRUSTED_PROXY_COUNT="0") == 0


def test_development_and_tests_trust_no_forwarded_header(settings):
    from allauth import app_settings

    assert app_settings.TRUSTED_PROXY_COUNT == 0


# --- Sign-in failures -------------------------------------------------------------------------


@pytest.mark.django_db
def test_wrong_passwords_from_one_client_do_not_lock_the_owner_out(client, site, behind_one_proxy):
    """Lock the source of the attempts, not the account: anyone knowing an address could
    otherwise keep its owner out with five wrong passwords."""
    owner = UserFactory()
    attacker = client.__class__()
    for _attempt in range(5):
        response = _sign_in(attacker, owner.email, "wrong", CLIENT_A)
        assert "non sono corretti" in response.text
    # The attacker is held back, even with the right password...
    response = _sign_in(attacker, owner.email, TEST_PASSWORD, CLIENT_A)
    assert "Troppi tentativi di accesso" in response.text
    assert not _is_signed_in(attacker)
    # ...but the owner, behind the same proxy from elsewhere, still signs in.
    response = _sign_in(client, owner.email, TEST_PASSWORD, CLIENT_B)
    assert response.status_code == 302
    assert _is_signed_in(client)


@pytest.mark.django_db
def test_failures_are_counted_per_client_behind_the_proxy(client, site, behind_one_proxy, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "2/m/ip"}
    first, second = UserFactory(), UserFactory()
    for email in (first.email, second.email):
        _sign_in(client, email, "wrong", CLIENT_A)
    response = _sign_in(client, first.email, TEST_PASSWORD, CLIENT_A)
    assert "Troppi tentativi di accesso" in response.text
    response = _sign_in(client, first.email, TEST_PASSWORD, CLIENT_B)
    assert response.status_code == 302


# --- Sign-up ----------------------------------------------------------------------------------


def _sign_up(client, email, forwarded_for):
    data = {
        "email": email,
        "password1": "a-long-passphrase-2026",
        "password2": "a-long-passphrase-2026",
    }
    return client.post("/it/account/signup/", data, **_via_proxy(forwarded_for))


@pytest.mark.django_db
def test_sign_ups_are_limited_per_client_behind_the_proxy(client, site, behind_one_proxy, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/m/ip"}
    for number in range(2):
        assert _sign_up(client, f"a{number}@example.org", CLIENT_A).status_code == 302
    assert _sign_up(client, "a2@example.org", CLIENT_A).status_code == 429
    assert _sign_up(client, "b0@example.org", CLIENT_B).status_code == 302


@pytest.mark.django_db
def test_a_forged_address_before_the_proxys_own_is_ignored(
    client, site, behind_one_proxy, settings
):
    """The proxy appends the address it saw; whatever the client wrote before it is not
    trusted, so changing it on every request does not escape the limit."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/m/ip"}
    for number in range(2):
        forged = f"192.0.2.{number}, {CLIENT_A}"
        assert _sign_up(client, f"a{number}@example.org", forged).status_code == 302
    assert _sign_up(client, "a2@example.org", f"192.0.2.99, {CLIENT_A}").status_code == 429


@pytest.mark.django_db
def test_without_a_trusted_proxy_the_header_is_ignored(client, site, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/m/ip"}
    for number in range(2):
        assert _sign_up(client, f"a{number}@example.org", f"192.0.2.{number}").status_code == 302
    assert _sign_up(client, "a2@example.org", "192.0.2.99").status_code == 429
