"""In a real browser: the language switch off Wagtail pages, search with odd text, the 500 page.

axe-core reports no violations on each, in Italian and in English.
"""

import pytest

from tests.browser import assert_no_axe_violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("start", "other", "landing"),
    [
        ("/it/account/login/", "en", "/en/account/login/"),
        ("/en/account/signup/", "it", "/it/account/signup/"),
        ("/it/search/?q=partita+iva", "en", "/en/search/?q=partita+iva"),
    ],
)
def test_the_language_switch_stays_on_the_page(live_server, page, home_page, start, other, landing):
    page.goto(f"{live_server.url}{start}")
    page.locator(f'a[hreflang="{other}"]').first.click()
    page.wait_for_url(f"{live_server.url}{landing}")
    assert page.locator("html").get_attribute("lang") == other
    assert_no_axe_violations(page)


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ('/it/search/?q=iva"', "Cerca nel sito"),
        ("/en/search/?q=%00", "Search the site"),
        ("/it/search/?q=%22%22%22", "Cerca nel sito"),
    ],
)
def test_odd_search_text_gets_an_answer(live_server, page, home_page, path, heading):
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200
    assert page.locator("h1").inner_text() == heading
    assert_no_axe_violations(page)


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("it", "Qualcosa non ha funzionato da parte nostra"),
        ("en", "Something went wrong on our side"),
    ],
)
def test_the_server_error_page(live_server, page, settings, home_page, language, heading):
    settings.ROOT_URLCONF = "tests.site.urls_failing"
    response = page.goto(f"{live_server.url}/{language}/fail/")
    assert response.status == 500
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").inner_text() == heading
    assert_no_axe_violations(page)
