"""axe-core (WCAG 2.1 A/AA) on the pages after a session and on the messages thread, in
Italian and English, on a 375 px phone and a desktop: the mentor's report (with an error, so
the error summary and marked fields are checked too), the participant's page after the
meeting with its feedback form, and the thread of a match."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from mentors.models import ActionItem, Session
from mentors.services.followup import session_report_save
from mentors.services.messages import message_send
from tests import factories
from tests.mentors.factories import make_match
from tests.mentors.followup_factories import make_session

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": {"width": 375, "height": 740}, "desktop": {"width": 1280, "height": 900}}
LANGUAGES = ["it", "en"]


@pytest.fixture(scope="module")
def pair(shared_db):
    """A match with a session to report, a held one with its report, and messages; a
    signed-in session for the mentor and for the participant, committed once."""
    factories.english_home(factories.italian_home())
    match = make_match()
    to_report = make_session(match, starts_in=datetime.timedelta(hours=-2))
    held = make_session(match, starts_in=datetime.timedelta(days=-3))
    session_report_save(
        session=held,
        by=match.mentor.user,
        attendance=Session.Status.HELD,
        minutes_held=60,
        summary="Abbiamo guardato i prezzi del forno.\nProssimo passo: i fornitori.",
        note="Solo per me",
    )
    ActionItem.objects.create(
        match=match,
        session=held,
        text="Chiedere tre preventivi",
        owner="participant",
        due_on=timezone.localdate() + datetime.timedelta(days=7),
    )
    ActionItem.objects.create(
        match=match, session=to_report, text="Preparare il conto economico", owner="mentor"
    )
    message_send(match=match, by=match.participant.user, body="Buongiorno, a martedì!")
    message_send(match=match, by=match.mentor.user, body="A martedì, porti i conti.")
    cookies = {}
    for name, user in (("mentor", match.mentor.user), ("participant", match.participant.user)):
        client = Client()
        client.force_login(user)
        cookies[name] = client.cookies["sessionid"].value
    return {"match": match, "to_report": to_report, "held": held, "cookies": cookies}


def _tab(browser, server, pair, who, viewport):
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="it-IT")
    context.add_cookies([{"name": "sessionid", "value": pair["cookies"][who], "url": server.url}])
    return context, context.new_page()


def _check(tab, language):
    assert tab.locator("html").get_attribute("lang") == language
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_session_report(shared_live_server, browser, axe, pair, language, viewport):
    context, tab = _tab(browser, shared_live_server, pair, "mentor", viewport)
    tab.goto(
        f"{shared_live_server.url}/{language}/mentoring/sessions/{pair['to_report'].pk}/report/"
    )
    assert tab.locator("input[name=attendance]").count() == 3
    axe(tab)
    _check(tab, language)
    # Held without minutes: refused, with the error summary and the field marked.
    tab.locator('label[for="id_attendance_0"]').click()
    tab.locator("#id_minutes_held").fill("")
    tab.locator("#id_summary").fill("Testo da non perdere")
    with tab.expect_navigation():
        tab.locator('button[value="save"]').click()
    assert tab.locator(".alert-danger").count() == 1
    assert tab.locator("#id_minutes_held").get_attribute("aria-invalid") == "true"
    assert tab.locator("#id_summary").input_value() == "Testo da non perdere"
    axe(tab)
    _check(tab, language)
    context.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_page_after_the_meeting(shared_live_server, browser, axe, pair, language, viewport):
    context, tab = _tab(browser, shared_live_server, pair, "participant", viewport)
    tab.goto(f"{shared_live_server.url}/{language}/mentoring/sessions/{pair['held'].pk}/feedback/")
    assert "Abbiamo guardato i prezzi del forno." in tab.locator("main").inner_text()
    assert "Solo per me" not in tab.content()
    assert tab.locator("input[name=useful]").count() == 5
    axe(tab)
    _check(tab, language)
    context.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_messages_thread(shared_live_server, browser, axe, pair, language, viewport):
    context, tab = _tab(browser, shared_live_server, pair, "participant", viewport)
    tab.goto(f"{shared_live_server.url}/{language}/mentoring/matches/{pair['match'].pk}/messages/")
    bodies = tab.locator("main ol > li").all_inner_texts()
    assert "Buongiorno, a martedì!" in bodies[0] and "porti i conti" in bodies[-1]
    axe(tab)
    _check(tab, language)
    # A blank message: refused, said, and the page still passes.
    tab.locator("#id_body").fill("   ")
    with tab.expect_navigation():
        tab.locator("main form button[type=submit]").click()
    assert tab.locator("#id_body").get_attribute("aria-invalid") == "true"
    axe(tab)
    context.close()


def test_writing_a_message_with_the_keyboard(shared_live_server, browser, axe, pair):
    context, tab = _tab(browser, shared_live_server, pair, "mentor", "phone")
    tab.goto(f"{shared_live_server.url}/en/mentoring/matches/{pair['match'].pk}/messages/")
    tab.locator("#id_body").focus()
    tab.keyboard.type("Written with the keyboard")
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.type") == "submit"
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    assert "Written with the keyboard" in tab.locator("#latest").inner_text()
    axe(tab)
    context.close()
