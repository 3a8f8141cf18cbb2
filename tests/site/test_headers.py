"""Every response tells the browser which powerful features the site never uses."""

import pytest

DENIED = [
    "camera",
    "microphone",
    "geolocation",
    "payment",
    "usb",
    "serial",
    "hid",
    "bluetooth",
    "interest-cohort",
    "browsing-topics",
]


def policy(response) -> dict[str, str]:
    features = {}
    for item in response["Permissions-Policy"].split(","):
        name, _, allowlist = item.strip().partition("=")
        features[name] = allowlist
    return features


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/it/", "/it/account/login/", "/it/search/?q=x", "/robots.txt"])
def test_public_pages_deny_powerful_features(client, home_page, path):
    response = client.get(path)
    assert response.status_code == 200
    features = policy(response)
    for feature in DENIED:
        assert features.get(feature) == "()", (feature, response["Permissions-Policy"])


@pytest.mark.django_db
def test_embedded_videos_keep_what_their_players_need(client, home_page):
    # Lessons embed YouTube and Vimeo players (another origin): a feature named in the
    # header with a list that leaves them out would break full screen or playback.
    features = policy(client.get("/it/"))
    for feature in ["fullscreen", "autoplay", "encrypted-media", "picture-in-picture"]:
        assert feature not in features


def test_the_admin_loads_no_avatar_from_another_site(client, site, editor):
    from tests.site.helpers_mfa import sign_in_with_totp

    sign_in_with_totp(client, editor)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "gravatar" not in response.text.lower()
