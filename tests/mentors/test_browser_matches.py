"""axe-core (WCAG 2.1 A/AA) on the people's side of a match: the mentor's answer to a request
and the participant's "my mentor" page, each also in its error state, in Italian and English,
on a 375 px phone and a desktop, with no sideways scrolling, and answered with the keyboard."""

import pytest
from django.test import Client

from coaching.models import Participant
from mentors.models import Match
from mentors.services import matches
from tests.coaching.factories import assign, make_participant
from tests.factories import user_with_role
from tests.mentors.factories import make_match, make_mentor

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": {"width": 375, "height": 740}, "desktop": {"width": 1280, "height": 900}}
TERMS = [
    {"code": "language", "value": 1.0, "weight": 1.0, "contribution": 1.0, "facts": ["ar"]},
    {"code": "sector", "value": 1.0, "weight": 2.0, "contribution": 2.0, "facts": ["food"]},
]


@pytest.fixture(scope="module")
def world(shared_db):
    """A request waiting for a mentor's answer, and a participant with a mentor and a past
    one, committed once for the module."""
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    coordinator = assign(user_with_role("Coordinator", is_staff=True), site)
    asked = make_mentor(user=user_with_role("Mentor", first_name="Lea", last_name="Forni"))
    seeker = make_participant(status="eligible")
    Participant.objects.filter(pk=seeker.pk).update(
        preferred_languages=["ar", "it"], meeting_modes=["remote"], availability=["1-morning"]
    )
    offer = matches.match_propose(
        participant=seeker, mentor=asked, by=coordinator, score=3.0, terms=TERMS
    )
    offer = matches.match_confirm(match=offer, by=coordinator)

    person = make_participant(status="eligible")
    before = make_match(participant=person)
    matches.match_end(match=before, by=person.user, reason="Trasferito")
    current = make_match(
        participant=person,
        mentor=make_mentor(
            user=user_with_role("Mentor", first_name="Ornella", last_name="Nostra"),
            bio="Commercialista, aiuto chi apre un'attività.",
            organisation="Studio Nostra",
            languages=["it", "fr"],
        ),
    )
    assert current.status == Match.Status.ACCEPTED
    cookies = {}
    for name, user in (("mentor", asked.user), ("participant", person.user)):
        client = Client()
        client.force_login(user)
        cookies[name] = client.cookies["sessionid"].value
    return {"offer": offer, "cookies": cookies}


def _tab(browser, server, world, who, viewport):
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="it-IT")
    context.add_cookies([{"name": "sessionid", "value": world["cookies"][who], "url": server.url}])
    return context, context.new_page()


def _checked(tab, axe, language):
    assert tab.locator("html").get_attribute("lang") == language
    assert tab.locator("h1").count() == 1
    axe(tab)
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("language", ["it", "en"])
def test_the_mentors_answer_page_and_its_error_state(
    shared_live_server, browser, axe, world, language, viewport
):
    context, tab = _tab(browser, shared_live_server, world, "mentor", viewport)
    tab.goto(f"{shared_live_server.url}/{language}/mentoring/requests/{world['offer'].pk}/")
    _checked(tab, axe, language)
    # Decline without a reason, with the keyboard only: refused, and the page says why.
    tab.locator("input[name=decision][value=decline]").focus()
    tab.keyboard.press("Space")
    assert tab.locator("input[name=decision][value=decline]").is_checked()
    tab.locator("form[aria-labelledby=answer-title] button").focus()
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    assert tab.locator(".alert-danger").count() == 1
    assert tab.locator("#id_reason").get_attribute("aria-invalid") == "true"
    _checked(tab, axe, language)
    context.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("language", ["it", "en"])
def test_my_mentor_page_and_its_error_state(
    shared_live_server, browser, axe, world, language, viewport
):
    context, tab = _tab(browser, shared_live_server, world, "participant", viewport)
    tab.goto(f"{shared_live_server.url}/{language}/mentoring/my-mentor/")
    assert tab.get_by_role("heading", name="Ornella Nostra").count() == 1
    _checked(tab, axe, language)
    # Ask for another mentor without saying why: refused, nothing sent.
    with tab.expect_navigation():
        tab.locator("input[name=action][value=change] ~ button").click()
    assert tab.locator(".alert-danger").count() == 1
    assert tab.locator("#id_change-reason").get_attribute("aria-invalid") == "true"
    _checked(tab, axe, language)
    context.close()
