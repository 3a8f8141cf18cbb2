"""Chromium + axe-core (WCAG 2.1 A/AA) on the coordinators' matching pages: the pool, one
participant's suggestions, the batch proposal and the matches waiting for the mentor, on a
375 px phone and on a desktop, with no sideways scrolling."""

import pytest

from coaching.models import Participant
from mentors.services import matches
from tests.browser import VIEWPORTS, dismiss_help_badges, new_tab, session_cookie
from tests.coaching.factories import assign, make_participant
from tests.factories import user_with_role
from tests.mentors.factories import make_mentor

pytestmark = pytest.mark.browser


def _person(name, languages):
    person = make_participant(status="eligible")
    Participant.objects.filter(pk=person.pk).update(
        preferred_name=name, preferred_languages=languages, availability=["1-afternoon"]
    )
    return person


@pytest.fixture(scope="module")
def world(shared_db):
    """A site with two mentors, three people waiting (one whom nobody fits) and a match
    waiting for the mentor's answer, committed once for the module."""
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    coordinator = assign(user_with_role("Coordinator", is_staff=True), site)
    make_mentor(
        user=user_with_role("Mentor", first_name="Lea", last_name="Forni"),
        languages=["it", "ar"],
        capacity=1,
    )
    busy = make_mentor(user=user_with_role("Mentor", first_name="Ugo", last_name="Neri"))
    zainab = _person("Zainab", ["ar"])
    _person("Ioana", ["it"])
    _person("Kofi", ["wo"])  # nobody speaks Wolof: reported with the reasons
    offer = matches.match_propose(participant=_person("Amina", ["it"]), mentor=busy, by=None)
    matches.match_confirm(match=offer, by=coordinator)
    dismiss_help_badges(coordinator)
    return {"site": site, "zainab": zainab, "cookie": session_cookie(coordinator)}


def _checked(tab, axe):
    assert tab.locator("h1").count() == 1
    axe(tab)
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_pool_and_one_persons_suggestions(shared_live_server, browser, axe, world, viewport):
    context, tab = new_tab(browser, shared_live_server, viewport, world["cookie"])
    tab.goto(f"{shared_live_server.url}/admin/mentoring/matching/")
    assert tab.get_by_role("link", name="Zainab").count() == 1
    assert tab.get_by_role("link", name="Amina").count() == 0  # she has a match
    _checked(tab, axe)
    tab.get_by_role("link", name="Zainab").click()
    tab.wait_for_load_state()
    assert tab.get_by_text("parla arabo, come te").count() == 1
    assert tab.get_by_role("button", name="Proponi Lea Forni").count() == 1
    _checked(tab, axe)
    context.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_batch_and_the_matches_waiting(shared_live_server, browser, axe, world, viewport):
    context, tab = new_tab(browser, shared_live_server, viewport, world["cookie"])
    tab.goto(f"{shared_live_server.url}/admin/mentoring/matching/site/{world['site'].pk}/batch/")
    assert tab.locator("input[name=pair]").count() == 2  # Ioana fits either mentor
    assert tab.get_by_text("nessuna lingua in comune", exact=False).count() >= 1
    _checked(tab, axe)
    tab.goto(f"{shared_live_server.url}/admin/mentoring/matching/waiting/")
    assert tab.get_by_text("Amina", exact=False).count() >= 1
    _checked(tab, axe)
    context.close()
