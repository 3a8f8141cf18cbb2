"""The foundation in a real browser: language switch, sign-in, and axe on the main pages."""

import pytest
from django.core.management import call_command

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_site(shared_db):
    """The demo content, loaded once for the module's tests, which only read it."""
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture(scope="module")
def reader(demo_site):
    """Someone with an account, committed so that the live server finds them."""
    return UserFactory(email="lettrice@example.org")


def test_home_language_switch_and_sign_in(shared_live_server, page, reader):
    page.goto(f"{shared_live_server.url}/it/")
    assert page.locator("html").get_attribute("lang") == "it"
    assert page.locator("h1").inner_text() == "Trasforma la tua idea in un lavoro in regola"

    page.locator('a[hreflang="en"]').first.click()
    page.wait_for_url(f"{shared_live_server.url}/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Turn your idea" in page.locator("h1").inner_text()

    page.goto(f"{shared_live_server.url}/it/account/login/")
    page.locator('input[name="login"]').fill(reader.email)
    page.locator('input[name="password"]').fill(TEST_PASSWORD)
    page.locator('form [type="submit"]').last.click()
    page.wait_for_load_state()
    assert page.locator('a[href="/it/account/profile/"]').count() >= 1


@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize(
    "path",
    ["/", "/percorso/", "/account/login/", "/account/signup/", "/search/?q=percorso"],
    ids=["home", "standard", "sign-in", "sign-up", "search"],
)
def test_pages_have_no_accessibility_violations(
    shared_live_server, page, axe, demo_site, language, path
):
    if language == "en" and path == "/percorso/":
        path = "/path/"
    response = page.goto(f"{shared_live_server.url}/{language}{path}")
    assert response.status == 200
    axe(page)


def test_pages_are_readable_without_javascript(shared_live_server, browser, demo_site):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 640})
    tab = context.new_page()
    tab.goto(f"{shared_live_server.url}/it/")
    assert tab.locator("h1").is_visible()
    # The main menu is reachable on a narrow screen even though the toggler needs JavaScript.
    assert tab.locator('#main-menu a[href="/it/percorso/"]').is_visible()
    context.close()
