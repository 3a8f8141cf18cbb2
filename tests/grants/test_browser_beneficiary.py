"""The beneficiary's grant pages in Chromium, on a 375 px phone and on a desktop, in Italian
and English: axe-core (WCAG 2.1 A/AA) finds nothing on the award offered (and on it showing
the signing errors), the expense report with a receipt on it (and showing an error) and "my
grants"; none of them scrolls sideways on a phone; the agreement is signed with the keyboard
only. Screenshots go to /tmp/shots/grants_*.png."""

import datetime
from decimal import Decimal

import pytest

from coaching.grants.models import Award, Expense
from tests.browser import CASES, assert_page_checked, new_tab, screenshot, session_cookie

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def storage(tmp_path_factory):
    """Receipts go to a throwaway folder for the whole module (the live server reads them)."""
    from django.test import override_settings
    from django.utils.functional import empty

    from coaching.models.consent import private_storage

    root = tmp_path_factory.mktemp("grants-browser")
    with override_settings(
        COACHING_PRIVATE_STORAGE_ROOT=str(root / "private"), MEDIA_ROOT=str(root / "media")
    ):
        private_storage._wrapped = empty  # the lazy storage re-reads the setting
        yield root
    private_storage._wrapped = empty


@pytest.fixture(scope="module")
def data(shared_db, django_db_blocker, storage):
    """One call with three awards: one offered (the pages of the offer), one offered to sign
    with the keyboard, one accepted with a receipt on its draft report; signed-in cookies of
    their beneficiaries."""
    with django_db_blocker.unblock():
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.utils import timezone

        from coaching.grants.services.expenses import expense_add
        from tests import factories
        from tests.grants.factories import make_award, make_call

        factories.english_home(factories.italian_home())
        call = make_call()
        offered = make_award(call=call, accepted=False)
        to_sign = make_award(call=call, accepted=False)
        accepted = make_award(call=call)
        line = accepted.application.budget_lines.order_by("position", "pk").first()
        expense_add(
            award=accepted,
            budget_line=line,
            supplier="Ferramenta Rossi",
            description="Banco da lavoro",
            spent_on=timezone.localdate() - datetime.timedelta(days=3),
            amount=Decimal("350.00"),
            vat=Decimal("77.00"),
            receipt=SimpleUploadedFile("scontrino.pdf", PDF, content_type="application/pdf"),
            by=accepted.application.participant.user,
        )
        cookies = {
            name: session_cookie(award.application.participant.user)
            for name, award in (("offered", offered), ("to_sign", to_sign), ("accepted", accepted))
        }
        return {
            "offered": offered,
            "to_sign": to_sign,
            "accepted": accepted,
            "line": line,
            "cookies": cookies,
        }


@pytest.mark.parametrize(("language", "viewport"), CASES)
def test_the_award_offered_and_its_errors_have_no_axe_violations(
    shared_live_server, browser, axe, data, language, viewport
):
    award = data["offered"]
    context, tab = new_tab(browser, shared_live_server, viewport, data["cookies"]["offered"])
    response = tab.goto(f"{shared_live_server.url}/{language}/grants/awards/{award.pk}/")
    assert response.status == 200
    assert tab.locator("#id_signed_name").count() == 1
    screenshot(tab, f"grants_award-{language}-{viewport}")
    assert_page_checked(tab, axe, language, viewport)

    # Signed without a name and without the tick: both errors, above the form and at the
    # fields, and nothing accepted.
    with tab.expect_navigation():
        tab.locator(f"form[action$='/awards/{award.pk}/accept/'] button[type=submit]").click()
    assert tab.locator("main .alert-danger[role=alert]").first.is_visible()
    assert tab.locator("#id_signed_name").get_attribute("aria-invalid") == "true"
    assert tab.locator("#id_accept").get_attribute("aria-invalid") == "true"
    screenshot(tab, f"grants_award-error-{language}-{viewport}")
    assert_page_checked(tab, axe, language, viewport)
    assert Award.objects.get(pk=award.pk).status == Award.Status.OFFERED
    context.close()


@pytest.mark.parametrize(("language", "viewport"), CASES)
def test_the_expense_report_and_its_errors_have_no_axe_violations(
    shared_live_server, browser, axe, data, language, viewport
):
    award = data["accepted"]
    context, tab = new_tab(browser, shared_live_server, viewport, data["cookies"]["accepted"])
    url = f"{shared_live_server.url}/{language}/grants/my-grants/{award.pk}/expenses/"
    response = tab.goto(url)
    assert response.status == 200
    assert tab.get_by_text("Ferramenta Rossi", exact=False).count() >= 1
    screenshot(tab, f"grants_expenses-{language}-{viewport}")
    assert_page_checked(tab, axe, language, viewport)

    # A receipt without its supplier: the error, and what was typed kept.
    tab.locator("#id_budget_line").select_option(str(data["line"].pk))
    tab.locator("#id_description").fill("Vernice")
    tab.locator("#id_spent_on").fill(datetime.date.today().isoformat())
    tab.locator("#id_amount").fill("12")
    tab.locator("#id_receipt").set_input_files(
        {"name": "vernice.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    count = Expense.objects.filter(report__award=award).count()
    with tab.expect_navigation():
        tab.locator("form[enctype] button[type=submit]").click()
    assert tab.locator("main .alert-danger[role=alert]").first.is_visible()
    assert tab.locator("#id_supplier").get_attribute("aria-invalid") == "true"
    assert tab.locator("#id_description").input_value() == "Vernice"
    screenshot(tab, f"grants_expenses-error-{language}-{viewport}")
    assert_page_checked(tab, axe, language, viewport)
    assert Expense.objects.filter(report__award=award).count() == count
    context.close()


@pytest.mark.parametrize(("language", "viewport"), CASES)
def test_my_grants_has_no_axe_violations(
    shared_live_server, browser, axe, data, language, viewport
):
    context, tab = new_tab(browser, shared_live_server, viewport, data["cookies"]["accepted"])
    response = tab.goto(f"{shared_live_server.url}/{language}/grants/my-grants/")
    assert response.status == 200
    assert tab.locator("main table").count() == 1  # the tranches
    screenshot(tab, f"grants_dashboard-{language}-{viewport}")
    assert_page_checked(tab, axe, language, viewport)
    context.close()


def test_the_agreement_is_signed_with_the_keyboard_only(shared_live_server, browser, data):
    from coaching.grants.agreement import signing_name

    award = data["to_sign"]
    name = signing_name(award)
    context, tab = new_tab(browser, shared_live_server, "phone", data["cookies"]["to_sign"])
    tab.goto(f"{shared_live_server.url}/en/grants/awards/{award.pk}/")
    tab.locator("#id_signed_name").focus()
    tab.keyboard.type(name)
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.id") == "id_accept"
    tab.keyboard.press("Space")
    assert tab.locator("#id_accept").is_checked()
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.type") == "submit"
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    award.refresh_from_db()
    assert award.status == Award.Status.ACCEPTED and award.signed_name == name
    assert tab.locator("[role=status]").filter(has_text=name).count() >= 1
    screenshot(tab, "grants_award-signed-en-phone")
    context.close()
