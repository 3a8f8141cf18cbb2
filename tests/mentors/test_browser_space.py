"""axe-core (WCAG 2.1 A/AA) on the mentor's space, the mentee page and the participant's
dashboard with the mentoring panel, in Italian and English, on a 375 px phone and a desktop,
on the demo data (``load_demo``): the demo mentor and their mentee Marco."""

import pytest
from django.core.management import call_command
from django.test import Client

from coaching.models import Participant

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": {"width": 375, "height": 740}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture(scope="module")
def demo(shared_db):
    """The demo, and a signed-in session for the mentor and for Marco, committed once."""
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    marco = Participant.objects.select_related("user").get(user__email="marco.demo@example.org")
    mentor = marco.mentor_matches.get(status="accepted").mentor.user
    cookies = {}
    for name, user in (("mentor", mentor), ("marco", marco.user)):
        client = Client()
        client.force_login(user)
        cookies[name] = client.cookies["sessionid"].value
    return {"marco": marco, "cookies": cookies}


def _tab(browser, server, demo, who, viewport):
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="it-IT")
    context.add_cookies([{"name": "sessionid", "value": demo["cookies"][who], "url": server.url}])
    return context, context.new_page()


def _no_sideways_scroll(tab):
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("language", ["it", "en"])
def test_the_mentors_space_and_mentee_page(
    shared_live_server, browser, axe, demo, language, viewport
):
    context, tab = _tab(browser, shared_live_server, demo, "mentor", viewport)
    tab.goto(f"{shared_live_server.url}/{language}/mentoring/")
    heading = {"it": "Il mio spazio di mentore", "en": "My mentoring space"}[language]
    assert tab.locator("h1").inner_text() == heading
    assert tab.locator("html").get_attribute("lang") == language
    axe(tab)
    _no_sideways_scroll(tab)

    tab.locator(f'a[href="/{language}/mentoring/mentees/{demo["marco"].pk}/"]').click()
    tab.wait_for_load_state()
    assert tab.locator("h1").inner_text() == "Marco"
    axe(tab)
    _no_sideways_scroll(tab)
    context.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("language", ["it", "en"])
def test_the_participants_dashboard_with_the_mentoring_panel(
    shared_live_server, browser, axe, demo, language, viewport
):
    context, tab = _tab(browser, shared_live_server, demo, "marco", viewport)
    tab.goto(f"{shared_live_server.url}/{language}/path/dashboard/")
    panel = tab.locator("#mentoring-panel-title")
    assert panel.inner_text() == {"it": "Il mio mentore", "en": "My mentor"}[language]
    axe(tab)
    _no_sideways_scroll(tab)
    context.close()


def test_ticking_a_step_with_the_keyboard(shared_live_server, browser, axe, demo):
    context, tab = _tab(browser, shared_live_server, demo, "mentor", "phone")
    tab.goto(f"{shared_live_server.url}/it/mentoring/mentees/{demo['marco'].pk}/")
    button = tab.locator('button[value="tick"]').first
    step = button.locator("span.visually-hidden").text_content().lstrip(": ")
    button.focus()
    tab.keyboard.press("Enter")
    tab.wait_for_load_state()
    assert step in tab.locator(".alert-success").inner_text()
    axe(tab)
    context.close()
