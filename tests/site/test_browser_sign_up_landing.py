"""Signing up, confirming the address and signing in, in a real browser, in Italian and
English: each step says what is next and ends on the dashboard; axe finds nothing on the way.
Also the header and footer with the site texts in each language."""

import re

import pytest
from django.core import mail

from portal_site.core.models import SiteSettings, SiteText

pytestmark = pytest.mark.browser

PASSWORD = "a-new-long-passphrase-2026"
NEXT_STEP = {
    "it": "Ora accedi con la password che hai scelto, per riprendere da dove avevi lasciato.",
    "en": "Now sign in with the password you chose, to continue where you left off.",
}
DASHBOARD_HEADING = {"it": "Il mio percorso", "en": "My path"}


def _sign_up(page, server, language: str, email: str) -> str:
    page.goto(f"{server.url}/{language}/account/signup/")
    page.locator('input[name="email"]').fill(email)
    page.locator('input[name="password1"]').fill(PASSWORD)
    page.locator('input[name="password2"]').fill(PASSWORD)
    page.locator('form [type="submit"]').last.click()
    page.wait_for_url(f"{server.url}/{language}/account/confirm-email/")
    [message] = mail.outbox
    match = re.search(r"https?://\S+/confirm-email/\S+/", message.body)
    assert match, message.body
    return match.group(0)


def _confirm(page, link: str) -> None:
    page.goto(link)
    page.locator('form [type="submit"]').last.click()
    page.wait_for_load_state()


@pytest.mark.parametrize("language", ["it", "en"])
def test_confirming_on_another_device_then_signing_in(live_server, browser, page, axe, language):
    link = _sign_up(page, live_server, language, f"altrove-{language}@example.org")

    # The mail app opens the link in another browser: no session from the sign-up there.
    phone = browser.new_context(viewport={"width": 375, "height": 740})
    other = phone.new_page()
    _confirm(other, link)
    assert other.url == f"{live_server.url}/{language}/account/login/"
    assert NEXT_STEP[language] in other.locator("main").inner_text()
    assert other.locator("html").get_attribute("lang") == language
    axe(other)

    other.locator('input[name="login"]').fill(f"altrove-{language}@example.org")
    other.locator('input[name="password"]').fill(PASSWORD)
    other.locator('form [type="submit"]').last.click()
    other.wait_for_url(f"{live_server.url}/{language}/path/dashboard/")
    assert other.locator("h1").inner_text() == DASHBOARD_HEADING[language]
    axe(other)
    phone.close()


@pytest.mark.parametrize("language", ["it", "en"])
def test_confirming_in_the_same_browser_signs_in(live_server, page, axe, language):
    link = _sign_up(page, live_server, language, f"qui-{language}@example.org")
    axe(page)
    _confirm(page, link)
    assert page.url == f"{live_server.url}/{language}/path/dashboard/"
    assert page.locator("h1").inner_text() == DASHBOARD_HEADING[language]
    axe(page)


@pytest.fixture
def site_texts(site, home_page, english_home, english_locale):
    source = SiteText.objects.create(
        locale=home_page.locale,
        name="Sito",
        tagline="Percorsi per il lavoro autonomo",
        address="Sportello Avvio\nVia Roma 1",
        funding_statement="<p>Finanziato dall'Unione europea</p>",
    )
    english = source.copy_for_translation(english_locale)
    english.tagline = "Paths to self-employment"
    english.address = "Avvio desk\nVia Roma 1"
    english.funding_statement = "<p>Funded by the European Union</p>"
    english.save()
    site_settings = SiteSettings.for_site(site)
    site_settings.texts = source
    site_settings.save()


@pytest.mark.parametrize(
    ("language", "tagline", "funding"),
    [
        ("it", "Percorsi per il lavoro autonomo", "Finanziato dall'Unione europea"),
        ("en", "Paths to self-employment", "Funded by the European Union"),
    ],
)
def test_the_site_texts_follow_the_language(
    live_server, site_texts, page, axe, language, tagline, funding
):
    page.set_viewport_size({"width": 1280, "height": 900})
    for path in ("/", "/account/login/"):
        page.goto(f"{live_server.url}/{language}{path}")
        assert page.locator("header .it-brand-tagline").inner_text() == tagline
        assert funding in page.locator("footer").inner_text()
        axe(page)
