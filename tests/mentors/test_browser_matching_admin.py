"""Chromium + axe-core (WCAG 2.1 A/AA) on the coordinators' matching pages: the pool, one
participant's suggestions, the batch proposal and the matches waiting for the mentor, on a
375 px phone and on a desktop, with no sideways scrolling."""

import pytest
from django.test import Client

from coaching.models import Participant
from mentors.services import matches
from tests.coaching.factories import assign, make_participant, sign_in
from tests.factories import user_with_role
from tests.mentors.factories import make_mentor

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": {"width": 375, "height": 740}, "desktop": {"width": 1280, "height": 900}}


def _person(name, languages):
    person = make_participant(status="eligible")
    Participant.objects.filter(pk=person.pk).update(
        preferred_name=name, preferred_languages=languages, availability=["1-afternoon"]
    )
    return person


def _dismiss_help_badges(user):
    """As after a first visit: Wagtail's "new in this menu" badge on Help pulses for 25 s,
    and axe measures colours only once animations end (``tests.browser.SETTLED``)."""
    from wagtail.users.models import UserProfile
    from wagtail.utils.version import get_main_version

    profile = UserProfile.get_for_user(user)
    version = get_main_version(include_patch=False)
    profile.dismissibles = {
        "help": True,
        "editor-guide": True,
        f"whats-new-in-wagtail-{version}": True,
    }
    profile.save()


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
    _dismiss_help_badges(coordinator)
    client = Client()
    sign_in(client, coordinator)
    return {"site": site, "zainab": zainab, "cookie": client.cookies["sessionid"].value}


def _tab(browser, server, world, viewport):
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="it-IT")
    context.add_cookies([{"name": "sessionid", "value": world["cookie"], "url": server.url}])
    return context, context.new_page()


def _checked(tab, axe):
    assert tab.locator("h1").count() == 1
    axe(tab)
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_pool_and_one_persons_suggestions(shared_live_server, browser, axe, world, viewport):
    context, tab = _tab(browser, shared_live_server, world, viewport)
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
    context, tab = _tab(browser, shared_live_server, world, viewport)
    tab.goto(f"{shared_live_server.url}/admin/mentoring/matching/site/{world['site'].pk}/batch/")
    assert tab.locator("input[name=pair]").count() == 2  # Ioana fits either mentor
    assert tab.get_by_text("nessuna lingua in comune", exact=False).count() >= 1
    _checked(tab, axe)
    tab.goto(f"{shared_live_server.url}/admin/mentoring/matching/waiting/")
    assert tab.get_by_text("Amina", exact=False).count() >= 1
    _checked(tab, axe)
    context.close()
