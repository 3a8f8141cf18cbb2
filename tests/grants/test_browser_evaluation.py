"""The evaluator's pages in the Wagtail admin, in Chromium, on a 375 px phone and on a
desktop, in Italian and English (the evaluator's admin language): axe-core (WCAG 2.1 A/AA)
finds nothing on their list, on the declaration of conflict of interest (and on it showing
its error) and on the evaluation form (and on it showing the errors of a score out of range);
none of them scrolls sideways on a phone; the declaration is made with the keyboard only.
Staff pass the second factor to sign in. Screenshots go to /tmp/shots/grants_*.png."""

import pytest

from coaching.grants.models import Assignment, Score
from tests.browser import (
    CASES,
    VIEWPORTS,
    assert_page_checked,
    dismiss_help_badges,
    new_tab,
    screenshot,
    session_cookie,
)

pytestmark = pytest.mark.browser

BASE = "/admin/grants/evaluation/mine/"


@pytest.fixture(scope="module")
def data(shared_db, django_db_blocker):
    """A call with three submitted applications; for each of two evaluators (one reading
    the admin in Italian, one in English) an assignment to declare, one declared free of
    conflict to score and one to declare with the keyboard; their signed-in cookies."""
    with django_db_blocker.unblock():
        from wagtail.users.models import UserProfile

        from coaching.grants.services.evaluation import assignment_create, assignment_declare
        from tests.grants.factories import make_application, make_call, make_staff

        call = make_call()
        applications = [make_application(call=call, submitted=True) for _ in range(3)]
        coordinator = make_staff("Coordinator")
        result = {"cookies": {}, "undeclared": {}, "declared": {}, "keyboard": {}}
        for language in ("it", "en"):
            evaluator = make_staff("Evaluator", first_name="Eva", last_name=language.upper())
            profile = UserProfile.get_for_user(evaluator)
            profile.preferred_language = language
            profile.save()
            dismiss_help_badges(evaluator)
            made = [
                assignment_create(application=application, evaluator=evaluator, by=coordinator)[0]
                for application in applications
            ]
            assignment_declare(assignment=made[1], conflict=False, by=evaluator)
            result["undeclared"][language] = made[0]
            result["declared"][language] = made[1]
            result["keyboard"][language] = made[2]
            result["cookies"][language] = session_cookie(evaluator)
        return result


@pytest.mark.parametrize(("language", "viewport"), CASES)
def test_the_list_and_the_declaration_have_no_axe_violations(
    shared_live_server, browser, axe, data, language, viewport
):
    assignment = data["undeclared"][language]
    context, tab = new_tab(browser, shared_live_server, viewport, data["cookies"][language])
    response = tab.goto(f"{shared_live_server.url}{BASE}")
    assert response.status == 200
    screenshot(tab, f"grants_evaluation-list-{language}-{viewport}")
    assert_page_checked(tab, axe, language, viewport)

    tab.goto(f"{shared_live_server.url}{BASE}{assignment.pk}/")
    assert tab.locator("input[name=conflict]").count() == 2
    # Nothing of the applicant before the declaration.
    assert assignment.application.participant.full_name not in tab.locator("main").inner_text()
    screenshot(tab, f"grants_evaluation-declare-{language}-{viewport}")
    assert_page_checked(tab, axe, language, viewport)

    # Declared without choosing: the error, and nothing declared.
    with tab.expect_navigation():
        tab.locator("main form button[type=submit]").click()
    assert tab.locator("main .error-message").count() >= 1
    screenshot(tab, f"grants_evaluation-declare-error-{language}-{viewport}")
    assert_page_checked(tab, axe, language, viewport)
    assert Assignment.objects.get(pk=assignment.pk).conflict == Assignment.Conflict.UNDECLARED
    context.close()


@pytest.mark.parametrize(("language", "viewport"), CASES)
def test_the_evaluation_form_and_its_errors_have_no_axe_violations(
    shared_live_server, browser, axe, data, language, viewport
):
    assignment = data["declared"][language]
    context, tab = new_tab(browser, shared_live_server, viewport, data["cookies"][language])
    response = tab.goto(f"{shared_live_server.url}{BASE}{assignment.pk}/")
    assert response.status == 200
    scores = tab.locator("main input[name^=score_]")
    assert scores.count() == 2
    screenshot(tab, f"grants_evaluation-form-{language}-{viewport}")
    assert_page_checked(tab, axe, language, viewport)
    # The budget stays inside the window: on a phone it scrolls in its own box.
    budget = tab.locator("main [role=region][aria-labelledby=budget-heading]")
    box = budget.bounding_box()
    assert box["x"] + box["width"] <= VIEWPORTS[viewport]["width"] + 1

    # A score above the criterion's highest and no reason: the errors, what was typed kept.
    scores.nth(0).fill("11")
    with tab.expect_navigation():
        tab.locator("main form button[value=save]").click()
    assert tab.locator("main [role=alert]").count() >= 1
    assert tab.locator("main input[name^=score_]").nth(0).input_value() == "11"
    screenshot(tab, f"grants_evaluation-form-error-{language}-{viewport}")
    assert_page_checked(tab, axe, language, viewport)
    assert not Score.objects.filter(assignment=assignment).exists()
    context.close()


def test_the_declaration_is_made_with_the_keyboard_only(shared_live_server, browser, data):
    assignment = data["keyboard"]["en"]
    context, tab = new_tab(browser, shared_live_server, "desktop", data["cookies"]["en"])
    tab.goto(f"{shared_live_server.url}{BASE}{assignment.pk}/")
    first = tab.locator("input[name=conflict]").first
    first.focus()
    tab.keyboard.press("Space")
    assert first.is_checked()
    assert first.get_attribute("value") == Assignment.Conflict.NONE
    # Tab leaves the radio group for the note, then the button.
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.name") == "note"
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.type") == "submit"
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    assignment.refresh_from_db()
    assert assignment.conflict == Assignment.Conflict.NONE
    assert tab.locator("main input[name^=score_]").count() == 2  # now the form to score
    context.close()
