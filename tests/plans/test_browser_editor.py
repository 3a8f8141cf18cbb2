"""The editor in Chromium on a 375 px phone: axe-core (WCAG 2.1 A/AA) on the plan list, the
overview, a section and the canvas in Italian and English; autosave as one types; a second tab
that saved newer text makes the first show the conflict and keep both; and the plain form
saving with JavaScript off."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from coaching.plans.models import PlanSection, SectionConflict

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="module")
def data(shared_db, django_db_blocker):
    """An eligible participant's plan of three sections, and their signed-in cookie."""
    with django_db_blocker.unblock():
        from tests.coaching.factories import make_participant
        from tests.plans.factories import make_plan, make_template

        owner = make_participant(status="eligible")
        template = make_template(site=owner.site, keys=("summary", "founder", "market", "team"))
        template.sections.filter(key="summary").update(
            example="Apro un forno a Bologna.", words_min=50, words_max=200
        )
        plan = make_plan(participant=owner, template=template)
        client = Client()
        client.force_login(owner.user)
        return {"plan": plan, "cookie": client.cookies["sessionid"].value}


def _context(browser, server, data, **options):
    context = browser.new_context(viewport=PHONE, locale="it-IT", **options)
    context.add_cookies([{"name": "sessionid", "value": data["cookie"], "url": server.url}])
    return context


def _checked(tab, language):
    assert tab.locator("html").get_attribute("lang") == language
    assert tab.locator("h1").count() == 1
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _text(key):
    return PlanSection.objects.get(kind="section", key=key).text


@pytest.mark.parametrize("language", ["it", "en"])
def test_the_plan_pages_have_no_axe_violations_on_a_phone(
    shared_live_server, browser, axe, data, language
):
    context = _context(browser, shared_live_server, data)
    tab = context.new_page()
    base = f"{shared_live_server.url}/{language}/plans/"
    pk = data["plan"].pk
    for url in (base, f"{base}{pk}/", f"{base}{pk}/sections/summary/", f"{base}{pk}/canvas/"):
        tab.goto(url)
        _checked(tab, language)
        axe(tab)
    tab.goto(f"{base}{pk}/sections/summary/")
    tab.locator("summary").click()  # the example answer, opened
    axe(tab)
    context.close()


def test_autosave_shows_the_time_and_the_text_persists(shared_live_server, browser, data):
    context = _context(browser, shared_live_server, data)
    tab = context.new_page()
    url = f"{shared_live_server.url}/en/plans/{data['plan'].pk}/sections/founder/"
    tab.goto(url)
    tab.locator("#id_text").press_sequentially("I bake bread every night")
    assert tab.locator("#words-count").inner_text() == "5"
    status = tab.locator("#autosave-status")
    status.filter(has_text="Saved at").wait_for(timeout=10_000)
    assert tab.locator("#id_revision").input_value() == "1"
    assert _text("founder") == "I bake bread every night"
    # More typing, then leaving the box: saved on the new revision, no conflict.
    tab.locator("#id_text").press_sequentially(" and sell it at dawn.")
    tab.locator("#id_done").focus()
    expect(tab.locator("#id_revision")).to_have_value("2", timeout=10_000)
    assert _text("founder") == "I bake bread every night and sell it at dawn."
    tab.reload()
    assert tab.locator("#id_text").input_value() == "I bake bread every night and sell it at dawn."
    assert not SectionConflict.objects.filter(section__key="founder").exists()
    context.close()


def test_a_tab_behind_another_shows_the_conflict_and_keeps_both(
    shared_live_server, browser, axe, data
):
    context = _context(browser, shared_live_server, data)
    url = f"{shared_live_server.url}/en/plans/{data['plan'].pk}/sections/market/"
    first, second = context.new_page(), context.new_page()
    first.goto(url)
    second.goto(url)
    second.locator("#id_text").fill("Written on the phone")
    second.locator("#id_text").blur()
    second.locator("#autosave-status").filter(has_text="Saved at").wait_for(timeout=10_000)
    first.locator("#id_text").fill("Written on the laptop")
    first.locator("#id_text").blur()
    status = first.locator("#autosave-status")
    status.filter(has_text="Another device saved newer text").wait_for(timeout=10_000)
    assert _text("market") == "Written on the phone"
    kept = SectionConflict.objects.get(section__key="market", resolved_at=None)
    assert kept.text == "Written on the laptop"
    # The link leads to both texts side by side; the laptop's words are still in its box.
    assert first.locator("#id_text").input_value() == "Written on the laptop"
    status.get_by_role("link").click()
    first.wait_for_load_state()
    main = first.locator("main").inner_text()
    assert "Written on the phone" in main and "Written on the laptop" in main
    _checked(first, "en")
    axe(first)
    context.close()


def test_without_javascript_the_plain_form_saves(shared_live_server, browser, data):
    context = _context(browser, shared_live_server, data, java_script_enabled=False)
    tab = context.new_page()
    tab.goto(f"{shared_live_server.url}/en/plans/{data['plan'].pk}/sections/team/")
    tab.locator("#id_text").fill("Two of us: Amina and Luca.")
    tab.locator('label[for="id_done"]').click()  # Bootstrap Italia draws the box on the label
    assert tab.locator("#id_done").is_checked()
    with tab.expect_navigation():
        tab.get_by_role("button", name="Save").click()
    assert "Saved at" in tab.locator("main").inner_text()
    section = PlanSection.objects.get(kind="section", key="team")
    assert (section.text, section.done) == ("Two of us: Amina and Luca.", True)
    context.close()
