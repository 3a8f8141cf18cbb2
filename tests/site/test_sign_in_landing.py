"""Where people land after signing in and after confirming their e-mail address: their
dashboard (or where they were going), in the language they were using, never a bare sign-in
page that leaves them lost."""

import re

import pytest
from django.core import mail

from tests.factories import TEST_PASSWORD, UserFactory

NEW_PASSWORD = "a-new-long-passphrase-2026"


def _sign_in(client, language: str, email: str, password: str = TEST_PASSWORD, query: str = ""):
    return client.post(f"/{language}/account/login/{query}", {"login": email, "password": password})


def _is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _confirmation_path(language: str) -> str:
    [message] = mail.outbox
    match = re.search(
        rf"https?://[^/\s]+(/{language}/account/confirm-email/[^/\s]+/)", message.body
    )
    assert match, message.body
    return match.group(1)


def _sign_up(client, language: str, email: str = "nuova@example.org") -> str:
    response = client.post(
        f"/{language}/account/signup/",
        {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    return _confirmation_path(language)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["it", "en"])
def test_signing_in_leads_to_the_dashboard_in_the_same_language(client, site, language):
    user = UserFactory()
    response = _sign_in(client, language, user.email)
    assert response.status_code == 302
    assert response["Location"] == f"/{language}/path/dashboard/"


@pytest.mark.django_db
def test_signing_in_leads_where_the_person_was_going(client, site):
    user = UserFactory()
    response = _sign_in(client, "en", user.email, query="?next=/en/path/join/")
    assert response["Location"] == "/en/path/join/"


@pytest.mark.django_db
def test_an_unsafe_next_is_ignored(client, site):
    user = UserFactory()
    response = _sign_in(client, "it", user.email, query="?next=https://evil.example.com/")
    assert response["Location"] == "/it/path/dashboard/"


@pytest.mark.django_db
def test_staff_land_in_the_administration(client, site, coordinator):
    response = _sign_in(client, "it", coordinator.email)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["it", "en"])
def test_confirming_in_the_browser_that_signed_up_signs_in_to_the_dashboard(client, site, language):
    confirm = _sign_up(client, language)
    assert not _is_signed_in(client)
    response = client.post(confirm)
    assert response.status_code == 302
    assert response["Location"] == f"/{language}/path/dashboard/"
    assert _is_signed_in(client)


@pytest.mark.django_db
def test_confirming_keeps_where_the_person_was_going(client, site):
    response = client.post(
        "/it/account/signup/?next=/it/path/join/",
        {"email": "nuova@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    response = client.post(_confirmation_path("it"))
    assert response["Location"] == "/it/path/join/"
    assert _is_signed_in(client)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "next_step"),
    [
        ("it", "Ora accedi con la password che hai scelto, per riprendere da dove avevi lasciato."),
        ("en", "Now sign in with the password you chose, to continue where you left off."),
    ],
)
def test_confirming_in_another_browser_says_what_is_next(client, site, language, next_step):
    confirm = _sign_up(client, language)
    other_browser = client.__class__()
    response = other_browser.post(confirm)
    assert response.status_code == 302
    assert response["Location"] == f"/{language}/account/login/"
    assert "_auth_user_id" not in other_browser.session

    page = other_browser.get(response["Location"]).text
    assert next_step in page
    response = _sign_in(other_browser, language, "nuova@example.org", NEW_PASSWORD)
    assert response["Location"] == f"/{language}/path/dashboard/"


@pytest.mark.django_db
def test_confirming_another_address_while_signed_in_goes_back_to_the_addresses(client, site):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/en/account/email/", {"action_add": "", "email": "second@example.org"})
    assert response.status_code == 302
    response = client.post(_confirmation_path("en"))
    assert response["Location"] == "/en/account/email/"
    assert user.emailaddress_set.get(email="second@example.org").verified
