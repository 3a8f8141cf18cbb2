"""Chromium + axe (WCAG 2.1 A/AA) on the intake's "needs" step and the preferences page, on a
375 px phone and a desktop, in Italian and English: each day a group of its own, nothing wider
than the screen, the error state as accessible as the form."""

import pytest
from django.test import Client

from coaching.models import Participant
from tests.coaching.factories import make_participant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 375, "height": 740}, "desktop": {"width": 1280, "height": 900}}
DAYS = {
    "it": ["Lunedì", "Martedì", "Mercoledì", "Giovedì", "Venerdì", "Sabato", "Domenica"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
SAVED = {"it": "Le tue preferenze sono state salvate.", "en": "Your preferences have been saved."}


def _tab(browser, live_server, user, viewport, *, javascript=True):
    context = browser.new_context(
        viewport=VIEWPORTS[viewport], locale="it-IT", java_script_enabled=javascript
    )
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context, context.new_page()


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def _tick(page, name, value, *, ticked=True) -> None:
    """Tick (or untick) a box as a person does: by its label."""
    box = page.locator(f'input[name="{name}"][value="{value}"]')
    page.locator(f'label[for="{box.get_attribute("id")}"]').click()
    assert box.is_checked() is ticked, (name, value)


def _days_are_groups(page, language) -> None:
    question = page.get_by_role(
        "group",
        name="Quando sei disponibile per gli incontri?"
        if language == "it"
        else "When are you free to meet?",
    )
    for day in DAYS[language]:
        group = question.get_by_role("group", name=day, exact=True)
        assert group.get_by_role("checkbox").count() == 3, day


@pytest.mark.parametrize("language", ["it", "en"])
def test_the_needs_step_passes_axe_and_reads_day_by_day(live_server, browser, axe, site, language):
    for viewport in VIEWPORTS:
        _needs_step_in(live_server, browser, axe, language, viewport)


def _needs_step_in(live_server, browser, axe, language, viewport):
    person = make_participant(answers=False)
    context, page = _tab(browser, live_server, person.user, viewport)
    try:
        page.goto(f"{live_server.url}/{language}/path/join/needs/")
        assert page.locator("h1").count() == 1
        _days_are_groups(page, language)
        _fits(page)
        axe(page)
        # Some answers, but no language: refused, the error state accessible, nothing lost.
        _tick(page, "needs", "mentor")
        _tick(page, "meeting_modes", "remote")
        _tick(page, "availability", "0-morning")
        _tick(page, "availability", "5-evening")
        _tick(page, "mentor_gender", "any")
        with page.expect_navigation():
            page.locator("button[value=continue]").click()
        assert page.locator(".alert-danger").count() == 1
        for value in ("0-morning", "5-evening"):
            assert page.locator(f'input[name="availability"][value="{value}"]').is_checked()
        _fits(page)
        axe(page)
        _tick(page, "preferred_languages", "ar")
        with page.expect_navigation():
            page.locator("button[value=continue]").click()
        assert page.locator(".alert-danger").count() == 0
        saved = Participant.objects.get(pk=person.pk)
        assert saved.availability == ["0-morning", "5-evening"]
        assert saved.preferred_languages == ["ar"]
    finally:
        context.close()


@pytest.mark.parametrize("language", ["it", "en"])
def test_the_preferences_page_passes_axe_and_saves(
    live_server, browser, axe, site, site_coordinator, language
):
    for viewport in VIEWPORTS:
        _preferences_page_in(live_server, browser, axe, site_coordinator, language, viewport)


def _preferences_page_in(live_server, browser, axe, site_coordinator, language, viewport):
    person = make_participant(status="eligible", by=site_coordinator)
    context, page = _tab(browser, live_server, person.user, viewport)
    try:
        page.goto(f"{live_server.url}/{language}/path/dashboard/")
        with page.expect_navigation():
            page.locator(f'a[href="/{language}/path/preferences/"]').click()
        assert page.locator("h1").count() == 1
        _days_are_groups(page, language)
        _fits(page)
        axe(page)
        # Untick every language: refused with the message beside the question.
        for value in ("it", "fr"):  # the demo's answers
            _tick(page, "preferred_languages", value, ticked=False)
        _tick(page, "availability", "2-afternoon")
        with page.expect_navigation():
            page.locator("form button[type=submit]").click()
        assert page.locator(".alert-danger").count() == 1
        assert page.locator('input[name="availability"][value="2-afternoon"]').is_checked()
        _fits(page)
        axe(page)
        _tick(page, "preferred_languages", "uk")
        with page.expect_navigation():
            page.locator("form button[type=submit]").click()
        assert SAVED[language] in page.locator("main").inner_text()
        _fits(page)
        axe(page)
        saved = Participant.objects.get(pk=person.pk)
        assert saved.preferred_languages == ["uk"]
        assert "2-afternoon" in saved.availability, viewport
    finally:
        context.close()


def test_the_page_works_without_javascript(live_server, browser, site):
    person = make_participant(status="submitted")
    context, page = _tab(browser, live_server, person.user, "phone", javascript=False)
    try:
        page.goto(f"{live_server.url}/it/path/preferences/")
        _tick(page, "availability", "6-evening")
        with page.expect_navigation():
            page.locator("form button[type=submit]").click()
        assert SAVED["it"] in page.locator("main").inner_text()
        assert "6-evening" in Participant.objects.get(pk=person.pk).availability
    finally:
        context.close()
