"""axe-core (WCAG 2.1 A/AA) on booking and the session page, in Italian and English, on a
375 px phone and a desktop; and booking a slot with the keyboard alone, no JavaScript needed."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from mentors.models import Session
from tests.mentors.session_factories import ROME, make_pair, session_at

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": {"width": 375, "height": 740}, "desktop": {"width": 1280, "height": 900}}
EVERY_DAY = tuple((day, "09:00", "19:00") for day in range(7))


@pytest.fixture(scope="module")
def data(shared_db, django_db_blocker):
    """A match whose mentor is free every day, a confirmed session, signed-in cookies."""
    with django_db_blocker.unblock():
        from wagtail.models import Site

        assert Site.objects.filter(is_default_site=True).exists()
        match = make_pair(windows=EVERY_DAY)
        in_three_days = (timezone.now() + datetime.timedelta(days=3)).astimezone(ROME)
        session = session_at(match, in_three_days.replace(hour=10, minute=0, second=0))
        cookies = {}
        for name, user in (("participant", match.participant.user), ("mentor", match.mentor.user)):
            client = Client()
            client.force_login(user)
            cookies[name] = client.cookies["sessionid"].value
        return {"match": match, "session": session, "cookies": cookies}


def _tab(browser, server, data, who, viewport):
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="it-IT")
    context.add_cookies([{"name": "sessionid", "value": data["cookies"][who], "url": server.url}])
    return context, context.new_page()


def _checked(tab, language):
    assert tab.locator("html").get_attribute("lang") == language
    assert tab.locator("h1").count() == 1
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("language", ["it", "en"])
def test_the_booking_page_and_its_error_state(
    shared_live_server, browser, axe, data, language, viewport
):
    context, tab = _tab(browser, shared_live_server, data, "participant", viewport)
    tab.goto(f"{shared_live_server.url}/{language}/mentoring/matches/{data['match'].pk}/book/")
    _checked(tab, language)
    assert tab.locator('input[type="radio"][name="slot"]').count() > 10
    if language == "en":
        assert tab.locator("h1").inner_text() == "Book a session with Marta"
    axe(tab)
    tab.locator('button[type="submit"]').click()  # nothing chosen
    tab.wait_for_load_state()
    assert tab.locator(".alert-danger").count() == 1
    axe(tab)
    _checked(tab, language)
    context.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("language", ["it", "en"])
def test_the_session_page_for_both_people(
    shared_live_server, browser, axe, data, language, viewport
):
    for who in ("participant", "mentor"):
        context, tab = _tab(browser, shared_live_server, data, who, viewport)
        tab.goto(f"{shared_live_server.url}/{language}/mentoring/sessions/{data['session'].pk}/")
        _checked(tab, language)
        assert tab.locator(f'a[href$="/sessions/{data["session"].pk}/invite.ics"]').count() == 1
        axe(tab)
        tab.goto(
            f"{shared_live_server.url}/{language}/mentoring/sessions/{data['session'].pk}/cancel/"
        )
        _checked(tab, language)
        axe(tab)
        context.close()


@pytest.mark.parametrize("language", ["it", "en"])
def test_the_mentors_proposal_and_the_calendar_page(
    shared_live_server, browser, axe, data, language
):
    context, tab = _tab(browser, shared_live_server, data, "mentor", "phone")
    tab.goto(f"{shared_live_server.url}/{language}/mentoring/matches/{data['match'].pk}/book/")
    _checked(tab, language)
    assert tab.locator('input[type="date"]').count() == 1
    axe(tab)
    tab.goto(f"{shared_live_server.url}/{language}/mentoring/calendar/")
    _checked(tab, language)
    axe(tab)
    context.close()


def test_booking_a_slot_with_the_keyboard_on_a_phone(shared_live_server, browser, axe, data):
    """Last in the module: it books for real (the live server commits)."""
    context, tab = _tab(browser, shared_live_server, data, "participant", "phone")
    tab.goto(f"{shared_live_server.url}/en/mentoring/matches/{data['match'].pk}/book/")
    first = tab.locator('input[type="radio"][name="slot"]').first
    first.focus()
    tab.keyboard.press("Space")
    assert first.is_checked()
    tab.locator('input[name="mode"][value="remote"]').focus()
    tab.keyboard.press("Space")
    tab.locator('button[type="submit"]').focus()
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    assert "/mentoring/sessions/" in tab.url, tab.locator("main").inner_text()
    assert tab.locator("h1").inner_text() == "Session with Marta"
    assert "Waiting for Marta to confirm." in tab.locator("main").inner_text()
    axe(tab)
    assert Session.objects.filter(status=Session.Status.REQUESTED).count() == 1
    context.close()
