"""Versions and the review in Chromium on a 375 px phone: axe-core (WCAG 2.1 A/AA) finds
nothing on the comparison view, the versions list, a version, the history and a section with
a comment thread, for the owner and the mentor, in Italian and English; the side-by-side
comparison stacks on a phone; a comment is written and answered with the keyboard."""

import pytest
from django.test import Client

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="module")
def data(shared_db, django_db_blocker):
    """A plan shared with the owner's mentor, two versions that differ in text and numbers,
    a comment thread with a reply and a resolved one; signed-in cookies of both."""
    with django_db_blocker.unblock():
        from decimal import Decimal

        from coaching.plans.models import BusinessPlan, StartupCost
        from coaching.plans.services.editing import section_save
        from coaching.plans.services.review import (
            comment_add,
            comment_reply,
            comment_resolve,
            plan_share,
        )
        from coaching.plans.services.versions import version_request
        from tests.mentors.factories import make_match
        from tests.plans.factories import make_plan, make_template

        match = make_match()
        owner = match.participant
        template = make_template(site=owner.site, keys=("summary", "market"), name="Piano axe")
        plan = make_plan(participant=owner, template=template)
        plan_share(plan=plan, by=owner.user)

        def write(key, text):
            section = plan.sections.get(kind="section", key=key)
            section_save(
                section=section, text=text, base_revision=section.revision, done=None, by=None
            )

        write("summary", "Apro un forno a Bologna.\n\nVendo pane ogni mattina.")
        write("market", "Le famiglie del quartiere.")
        cost = StartupCost.objects.create(
            plan=plan, category="equipment", description="Forno", amount=Decimal("4000")
        )
        a, _ = version_request(plan=plan, by=owner.user, label="Prima")
        write("summary", "Apro un forno e una pasticceria a Bologna.\n\nVendo pane ogni giorno.")
        cost.amount = Decimal("5200")
        cost.save()
        b, _ = version_request(plan=plan, by=owner.user, label="Dopo la banca")
        market = plan.sections.get(kind="section", key="market")
        thread, _ = comment_add(
            plan=plan, section=market, by=match.mentor.user, body="Quante famiglie?"
        )
        comment_reply(comment=thread, by=owner.user, body="Circa trecento.")
        done, _ = comment_add(plan=plan, section=market, by=match.mentor.user, body="Ok i prezzi")
        comment_resolve(comment=done, by=owner.user)
        cookies = {}
        for name, user in (("owner", owner.user), ("mentor", match.mentor.user)):
            client = Client()
            client.force_login(user)
            cookies[name] = client.cookies["sessionid"].value
        return {
            "plan": BusinessPlan.objects.get(pk=plan.pk),
            "a": a.number,
            "b": b.number,
            "cookies": cookies,
        }


def _tab(browser, server, data, who):
    context = browser.new_context(viewport=PHONE, locale="it-IT")
    context.add_cookies([{"name": "sessionid", "value": data["cookies"][who], "url": server.url}])
    return context, context.new_page()


def _checked(tab, language):
    assert tab.locator("html").get_attribute("lang") == language
    assert tab.locator("h1").count() == 1
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("language", ["it", "en"])
def test_versions_comparison_and_comments_have_no_axe_violations_on_a_phone(
    shared_live_server, browser, axe, data, language
):
    pk, a, b = data["plan"].pk, data["a"], data["b"]
    base = f"{shared_live_server.url}/{language}/plans/{pk}/"
    for who in ("owner", "mentor"):
        context, tab = _tab(browser, shared_live_server, data, who)
        for tail in (
            f"compare/?a={a}&b={b}",
            "versions/",
            f"versions/{a}/",
            "history/",
            "sections/market/",
            "",
        ):
            tab.goto(base + tail)
            _checked(tab, language)
            axe(tab)
        # On a phone the two versions stack: the later one is below the earlier one.
        tab.goto(base + f"compare/?a={a}&b={b}")
        columns = tab.locator(".plan-diff")
        first, second = columns.nth(0).bounding_box(), columns.nth(1).bounding_box()
        assert second["y"] > first["y"] + first["height"] - 1
        assert tab.locator("ins").count() >= 1 and tab.locator("del").count() >= 1
        # The reply form and the resolved threads, opened.
        tab.goto(base + "sections/market/")
        for summary in tab.locator("#comments summary").all():
            summary.click()
        axe(tab)
        context.close()


def test_side_by_side_on_a_desktop(shared_live_server, browser, axe, data):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="it-IT")
    context.add_cookies(
        [{"name": "sessionid", "value": data["cookies"]["owner"], "url": shared_live_server.url}]
    )
    tab = context.new_page()
    pk, a, b = data["plan"].pk, data["a"], data["b"]
    tab.goto(f"{shared_live_server.url}/en/plans/{pk}/compare/?a={a}&b={b}")
    columns = tab.locator(".plan-diff")
    first, second = columns.nth(0).bounding_box(), columns.nth(1).bounding_box()
    assert abs(first["y"] - second["y"]) < 2
    assert second["x"] > first["x"] + first["width"] - 1
    axe(tab)
    context.close()


def test_a_comment_written_with_the_keyboard(shared_live_server, browser, data):
    from coaching.plans.models import PlanComment

    context, tab = _tab(browser, shared_live_server, data, "mentor")
    tab.goto(f"{shared_live_server.url}/en/plans/{data['plan'].pk}/sections/summary/")
    tab.locator("#id_comment-body").focus()
    tab.keyboard.type("Aggiungi gli orari.")
    tab.keyboard.press("Tab")
    # The page is already loaded: wait for the navigation the submission starts, not the
    # load state of the page it leaves.
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    assert "Aggiungi gli orari." in tab.locator("#comments").inner_text()
    assert PlanComment.objects.filter(body="Aggiungi gli orari.").count() == 1
    context.close()
