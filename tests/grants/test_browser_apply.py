"""Applying in Chromium, on a 375 px phone and on a desktop, in Italian and English: axe-core
(WCAG 2.1 A/AA) finds nothing on the call's page (read by an anonymous visitor and by an
eligible participant with a ready plan, who gets the apply button) and on the applicant's
draft (as it is, after a submission refused for a missing declaration, and showing the error
of an amount written in words); none of them scrolls sideways on a phone; the draft is
filled in and saved with the keyboard only. Screenshots go to /tmp/shots/grants_*.png."""

from decimal import Decimal

import pytest

from coaching.grants.models import GrantApplication
from tests.browser import CASES, assert_page_checked, new_tab, screenshot, session_cookie

pytestmark = pytest.mark.browser

#: How each language writes the amount typed in the keyboard test.
TYPED = {"it": "4500,50", "en": "4500.50"}


@pytest.fixture(scope="module")
def data(shared_db, django_db_blocker):
    """A published call with a question, in Italian and in its English translation; an
    eligible participant with a ready plan and no application; two applicants with a draft
    (one for the pages, one for the keyboard); their signed-in cookies."""
    with django_db_blocker.unblock():
        from wagtail.models import Locale

        from coaching.grants.models import CallQuestion, GrantCallPage
        from tests import factories
        from tests.coaching.factories import make_participant
        from tests.grants.factories import make_application, make_call, make_ready_plan

        factories.english_home(factories.italian_home())
        call = make_call()
        call.faqs.add(
            CallQuestion(question="Posso presentare due domande?", answer="<p>No, una sola.</p>")
        )
        call.save_revision().publish()
        english = call.copy_for_translation(Locale.objects.get(language_code="en"))
        english.title = "Microgrant call 2027"
        english.save_revision().publish()
        applicant = make_participant(status="eligible")
        make_ready_plan(participant=applicant)
        draft = make_application(call=call)
        keyboard = make_application(call=call)
        cookies = {
            "applicant": session_cookie(applicant.user),
            "draft": session_cookie(draft.participant.user),
            "keyboard": session_cookie(keyboard.participant.user),
        }
        return {
            "urls": {
                "it": GrantCallPage.objects.get(pk=call.pk).get_url(),
                "en": GrantCallPage.objects.get(pk=english.pk).get_url(),
            },
            "call": call,
            "draft": draft,
            "keyboard": keyboard,
            "cookies": cookies,
        }


@pytest.mark.parametrize(("language", "viewport"), CASES)
def test_the_call_page_has_no_axe_violations(
    shared_live_server, browser, axe, data, language, viewport
):
    url = shared_live_server.url + data["urls"][language]
    assert data["urls"][language].startswith(f"/{language}/")
    context, tab = new_tab(browser, shared_live_server, viewport)
    response = tab.goto(url)
    assert response.status == 200
    assert tab.locator("main a[href*='/login/?next=']").count() >= 1  # sign in to apply
    for summary in tab.locator("main details summary").all():
        summary.click()  # the questions, opened
    screenshot(tab, f"grants_call-anonymous-{language}-{viewport}")
    assert_page_checked(tab, axe, language, viewport)
    context.close()

    context, tab = new_tab(browser, shared_live_server, viewport, data["cookies"]["applicant"])
    tab.goto(url)
    assert tab.locator("main form[action$='/apply/'] button[type=submit]").count() == 1
    screenshot(tab, f"grants_call-apply-{language}-{viewport}")
    assert_page_checked(tab, axe, language, viewport)
    context.close()


@pytest.mark.parametrize(("language", "viewport"), CASES)
def test_the_application_form_and_its_errors_have_no_axe_violations(
    shared_live_server, browser, axe, data, language, viewport
):
    draft = data["draft"]
    url = f"{shared_live_server.url}/{language}/grants/applications/{draft.pk}/"
    context, tab = new_tab(browser, shared_live_server, viewport, data["cookies"]["draft"])
    response = tab.goto(url)
    assert response.status == 200
    assert tab.locator("#id_requested_amount").count() == 1
    screenshot(tab, f"grants_application-{language}-{viewport}")
    assert_page_checked(tab, axe, language, viewport)

    # Submitted without the declarations: kept as a draft, and the page says what is missing.
    for name in ("declares_truthful", "de_minimis_declared"):
        tab.locator(f"#id_{name}").uncheck()
    with tab.expect_navigation():
        tab.locator("main form button[value=submit]").click()
    assert tab.locator("main [role=status]").filter(has=tab.locator("li")).count() >= 1
    screenshot(tab, f"grants_application-not-submitted-{language}-{viewport}")
    assert_page_checked(tab, axe, language, viewport)
    assert GrantApplication.objects.get(pk=draft.pk).status == GrantApplication.Status.DRAFT

    # An amount in words: the error above the form and at the field, what was typed kept.
    tab.locator("#id_requested_amount").fill("cinquemila")
    with tab.expect_navigation():
        tab.locator("main form button[value=save]").click()
    assert tab.locator("main .alert-danger[role=alert]").first.is_visible()
    field = tab.locator("#id_requested_amount")
    assert field.get_attribute("aria-invalid") == "true"
    assert field.input_value() == "cinquemila"
    screenshot(tab, f"grants_application-error-{language}-{viewport}")
    assert_page_checked(tab, axe, language, viewport)
    context.close()


@pytest.mark.parametrize("language", ["it", "en"])
def test_the_draft_is_filled_in_and_saved_with_the_keyboard_only(
    shared_live_server, browser, data, language
):
    draft = data["keyboard"]
    context, tab = new_tab(browser, shared_live_server, "phone", data["cookies"]["keyboard"])
    tab.goto(f"{shared_live_server.url}/{language}/grants/applications/{draft.pk}/")
    summary = f"Un forno di quartiere ({language})."

    def focused() -> str:
        return tab.evaluate("document.activeElement.id || document.activeElement.value")

    tab.locator("#id_requested_amount").focus()
    tab.keyboard.press("ControlOrMeta+a")
    tab.keyboard.type(TYPED[language])
    tab.keyboard.press("Tab")
    assert focused() == "id_project_summary"
    tab.keyboard.press("ControlOrMeta+a")
    tab.keyboard.type(summary)
    tab.keyboard.press("Tab")
    assert focused() == "id_de_minimis_received"
    tab.keyboard.press("ControlOrMeta+a")
    tab.keyboard.type("0")
    for name in ("de_minimis_declared", "declares_truthful"):
        tab.keyboard.press("Tab")
        assert focused() == f"id_{name}"
        if not tab.locator(f"#id_{name}").is_checked():
            tab.keyboard.press("Space")
        assert tab.locator(f"#id_{name}").is_checked()
    tab.keyboard.press("Tab")
    assert focused() == "save"  # the first button: save the draft
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    saved = GrantApplication.objects.get(pk=draft.pk)
    assert saved.status == GrantApplication.Status.DRAFT
    assert saved.requested_amount == Decimal("4500.50")
    assert saved.project_summary == summary
    assert saved.de_minimis_received == Decimal("0")
    assert saved.declares_truthful and saved.de_minimis_declared
    screenshot(tab, f"grants_application-saved-{language}-phone")
    context.close()


def test_applying_from_the_english_page_applies_to_the_call(shared_live_server, browser, data):
    # Last in the module: the applicant's application changes what the call's page shows.
    context, tab = new_tab(browser, shared_live_server, "desktop", data["cookies"]["applicant"])
    tab.goto(shared_live_server.url + data["urls"]["en"])
    with tab.expect_navigation():
        tab.locator("main form[action$='/apply/'] button[type=submit]").click()
    url = tab.url
    context.close()
    assert "/en/grants/applications/" in url
    application = GrantApplication.objects.get(pk=int(url.rstrip("/").rsplit("/", 1)[1]))
    assert application.call_id == data["call"].pk  # the call, whichever page was read
