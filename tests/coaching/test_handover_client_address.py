"""The hand-over claim limit reads the client's address as the sign-in limits do: from
X-Forwarded-For, trusting only the configured number of proxies."""

import pytest

from coaching.models import HandoverCode
from tests.coaching.test_assisted import _handover
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
CLIENT_A = "203.0.113.10"
CLIENT_B = "198.51.100.20"


@pytest.fixture
def two_claims_a_period(settings):
    settings.COACHING_HANDOVER_RATE_LIMIT = (2, 600)
    settings.COACHING_HANDOVER_MAX_ATTEMPTS = 10
    return settings


def _claim(client, lookup, code, forwarded_for):
    return client.post(
        "/it/path/handover/",
        {
            "lookup": lookup,
            "code": code,
            "email": "amina@example.org",
            "password1": TEST_PASSWORD,
            "password2": TEST_PASSWORD,
        },
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_two_people_behind_one_proxy_are_limited_separately(
    client, site_coordinator, two_claims_a_period
):
    two_claims_a_period.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    _person, handover, code = _handover(site_coordinator, client)
    for lookup in ("AAAA1111", "BBBB2222"):
        assert _claim(client, lookup, "WRONGCODE1", CLIENT_A).status_code == 400
    assert _claim(client, handover.lookup, code, CLIENT_A).status_code == 429
    assert HandoverCode.objects.get(pk=handover.pk).used_at is None

    assert _claim(client, handover.lookup, code, CLIENT_B).status_code == 302


def test_a_forged_address_before_the_proxys_own_is_ignored(
    client, site_coordinator, two_claims_a_period
):
    """Only the last address, the one the trusted proxy appended, counts."""
    two_claims_a_period.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    _person, handover, code = _handover(site_coordinator, client)
    for number, lookup in enumerate(("AAAA1111", "BBBB2222")):
        forged = f"192.0.2.{number}, {CLIENT_A}"
        assert _claim(client, lookup, "WRONGCODE1", forged).status_code == 400
    response = _claim(client, handover.lookup, code, f"192.0.2.99, {CLIENT_A}")
    assert response.status_code == 429
    # What counts is the address the proxy appended: here it saw B, who has tried nothing.
    assert _claim(client, handover.lookup, code, f"{CLIENT_A}, {CLIENT_B}").status_code == 302


def test_without_a_trusted_proxy_the_header_is_ignored(
    client, site_coordinator, two_claims_a_period
):
    two_claims_a_period.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    _person, handover, code = _handover(site_coordinator, client)
    for number, lookup in enumerate(("AAAA1111", "BBBB2222")):
        assert _claim(client, lookup, "WRONGCODE1", f"192.0.2.{number}").status_code == 400
    assert _claim(client, handover.lookup, code, "192.0.2.99").status_code == 429


def test_one_ipv6_network_counts_as_one_client(client, site_coordinator, two_claims_a_period):
    """As in allauth's limits: a household's /64 holds more addresses than anyone can try."""
    _person, handover, _code = _handover(site_coordinator, client)
    for number, lookup in enumerate(("AAAA1111", "BBBB2222")):
        response = client.post(
            "/it/path/handover/",
            {"lookup": lookup, "code": "WRONGCODE1"},
            REMOTE_ADDR=f"2001:db8:1:2::{number + 1}",
        )
        assert response.status_code == 400
    response = client.post(
        "/it/path/handover/", {"lookup": handover.lookup}, REMOTE_ADDR="2001:db8:1:2::99"
    )
    assert response.status_code == 429
    response = client.post(
        "/it/path/handover/", {"lookup": handover.lookup}, REMOTE_ADDR="2001:db8:1:3::1"
    )
    assert response.status_code == 400


def test_coachings_default_reads_remote_addr_and_ignores_the_forwarded_header(
    client, site_coordinator, two_claims_a_period
):
    """Without COACHING_CLIENT_ADDRESS coaching trusts no proxy, whatever allauth is told."""
    del two_claims_a_period.COACHING_CLIENT_ADDRESS
    two_claims_a_period.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    _person, handover, code = _handover(site_coordinator, client)
    for lookup in ("AAAA1111", "BBBB2222"):
        assert _claim(client, lookup, "WRONGCODE1", CLIENT_A).status_code == 400
    # Another forwarded address, the same connection: the same client.
    assert _claim(client, handover.lookup, code, CLIENT_B).status_code == 429
    assert HandoverCode.objects.get(pk=handover.pk).used_at is None


def test_coaching_does_not_import_allauth():
    """Coaching is a reusable app: a host without allauth must be able to install it."""
    import ast
    from pathlib import Path

    import coaching

    importers = []
    for path in Path(coaching.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            if any(name == "allauth" or name.startswith("allauth.") for name in names):
                importers.append(str(path))
    assert importers == []
