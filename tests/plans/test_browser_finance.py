"""The money pages in Chromium, on a 375 px phone and on a desktop, in Italian and English:
the owner adds a start-up cost with the keyboard only; axe-core (WCAG 2.1 A/AA) finds nothing
on the figures page, on a lines page showing an error and on the forecast; the figures page
does not scroll sideways on a phone; the charts load. Screenshots go to /tmp/shots/."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client

from coaching.plans.models import StartupCost

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
SHOTS = Path("/tmp/shots")
#: How each language writes the amount typed in the keyboard test.
TYPED = {"it": "1250,50", "en": "1250.50"}


@pytest.fixture(scope="module")
def data(shared_db, django_db_blocker):
    """An owner's plan with start-up costs, too little funding (a warning), running costs and
    a forecast, aimed at a call whose cap it breaks; the owner's signed-in cookie."""
    with django_db_blocker.unblock():
        from coaching.plans.models import BusinessPlan, CallRules, CategoryRule
        from coaching.plans.services.finance import finance_lines_save, forecast_save
        from tests.coaching.factories import make_participant
        from tests.plans.factories import make_plan, make_template

        owner = make_participant(status="eligible")
        template = make_template(site=owner.site, keys=("summary", "market"), name="Piano soldi")
        plan = make_plan(participant=owner, template=template)
        call = CallRules.objects.create(site=owner.site, name="Microcredito 2027")
        CategoryRule.objects.create(rules=call, category="marketing", max_percent=Decimal("10"))
        BusinessPlan.objects.filter(pk=plan.pk).update(call_rules=call)
        plan = BusinessPlan.objects.get(pk=plan.pk)
        saves = [
            (
                "startup_costs",
                [
                    {
                        "description": "Forno a legna",
                        "category": "equipment",
                        "amount": Decimal("6000"),
                        "vat_rate": "22",
                        "vat_recoverable": False,
                    },
                    {
                        "description": "Volantini",
                        "category": "marketing",
                        "amount": Decimal("2000"),
                        "vat_rate": "22",
                        "vat_recoverable": False,
                    },
                ],
            ),
            ("funding", [{"kind": "microgrant", "amount": Decimal("5000"), "note": "Bando"}]),
            (
                "running_costs",
                [{"description": "Affitto", "monthly_amount": Decimal("700"), "starts_month": 1}],
            ),
        ]
        for revision, (kind, lines) in enumerate(saves):
            finance_lines_save(plan=plan, by=owner.user, kind=kind, lines=lines, revision=revision)
        forecast_save(
            plan=plan,
            by=owner.user,
            data={
                "monthly_revenue": [Decimal(n * 300) for n in range(12)],
                "variable_cost_percent": Decimal("30"),
                "growth_year2": Decimal("-10"),
                "growth_year3": Decimal("20"),
                "coefficient": "40",
                "startup_rate": True,
                "inps_scheme": "commercianti",
                "inps_reduction": False,
            },
            revision=len(saves),
        )
        client = Client()
        client.force_login(owner.user)
        return {"plan": plan, "cookie": client.cookies["sessionid"].value}


def _tab(browser, server, data, viewport):
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="it-IT")
    context.add_cookies([{"name": "sessionid", "value": data["cookie"], "url": server.url}])
    return context, context.new_page()


def _shot(tab, name: str, *, full_page=True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SHOTS / f"finance-{name}.png"), full_page=full_page)


def _checked(tab, language):
    assert tab.locator("html").get_attribute("lang") == language
    assert tab.locator("h1").count() == 1


CASES = [(language, viewport) for language in ("it", "en") for viewport in VIEWPORTS]


@pytest.mark.parametrize(("language", "viewport"), CASES)
def test_the_owner_adds_a_start_up_cost_with_the_keyboard_only(
    shared_live_server, browser, data, language, viewport
):
    plan = data["plan"]
    context, tab = _tab(browser, shared_live_server, data, viewport)
    tab.goto(f"{shared_live_server.url}/{language}/plans/{plan.pk}/money/start-up-costs/")
    _checked(tab, language)
    new = StartupCost.objects.filter(plan=plan).count()  # the first empty line
    description = f"Impastatrice {language} {viewport}"
    tab.locator(f"#id_startup_costs-{new}-description").focus()
    tab.keyboard.type(description)
    tab.keyboard.press("Tab")  # the category: one down from the first is "equipment"
    assert tab.evaluate("document.activeElement.id") == f"id_startup_costs-{new}-category"
    tab.keyboard.press("ArrowDown")
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.id") == f"id_startup_costs-{new}-amount"
    tab.keyboard.type(TYPED[language])
    with tab.expect_navigation():
        tab.keyboard.press("Enter")  # a text field's Enter sends the form
    assert tab.url.endswith(f"/{language}/plans/{plan.pk}/money/")
    saved = StartupCost.objects.get(plan=plan, description=description)
    assert (saved.category, saved.amount, saved.vat_rate) == ("equipment", Decimal("1250.50"), "22")
    _shot(tab, f"saved-{language}-{viewport}")
    context.close()


@pytest.mark.parametrize(("language", "viewport"), CASES)
def test_the_money_pages_have_no_axe_violations(
    shared_live_server, browser, axe, data, language, viewport
):
    pk = data["plan"].pk
    base = f"{shared_live_server.url}/{language}/plans/{pk}/money/"
    context, tab = _tab(browser, shared_live_server, data, viewport)

    tab.goto(base)
    _checked(tab, language)
    # The warnings and the broken rule are on the page, as text.
    assert tab.locator(".alert-warning li").count() >= 1
    assert tab.locator(".alert-danger li").count() >= 1
    if viewport == "phone":
        width = tab.evaluate("document.scrollingElement.scrollWidth")
        assert width <= PHONE["width"] + 1, f"the page scrolls sideways: {width} px"
    charts = tab.locator("main figure img")
    assert charts.count() == 2
    for index in range(charts.count()):
        chart = charts.nth(index)
        assert (chart.get_attribute("alt") or "").strip()
        chart.scroll_into_view_if_needed()  # they load lazily
        tab.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=chart.element_handle()
        )
    tab.evaluate("window.scrollTo(0, 0)")
    axe(tab)
    _shot(tab, f"figures-{language}-{viewport}")

    # A lines page showing an error: a word where the amount goes.
    tab.goto(base + "running-costs/")
    _checked(tab, language)
    tab.locator("#id_running_costs-0-monthly_amount").fill("settecento")
    with tab.expect_navigation():
        tab.locator("main form button[type=submit]").click()
    assert tab.locator("#form-errors").is_visible()
    assert tab.locator("#id_running_costs-0-monthly_amount").input_value() == "settecento"
    assert tab.locator("#id_running_costs-0-monthly_amount").get_attribute("aria-invalid") == (
        "true"
    )
    axe(tab)
    if viewport == "phone":
        assert tab.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"] + 1
    _shot(tab, f"lines-error-{language}-{viewport}")

    tab.goto(base + "forecast/")
    _checked(tab, language)
    # Saved amounts come back written the page's way.
    assert tab.locator("#id_month_2").input_value() == {"it": "300,00", "en": "300.00"}[language]
    axe(tab)
    if viewport == "phone":
        assert tab.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"] + 1
    _shot(tab, f"forecast-{language}-{viewport}")
    context.close()


def test_a_chart_opened_on_its_own_is_an_svg_picture(shared_live_server, browser, data):
    context, tab = _tab(browser, shared_live_server, data, "desktop")
    response = tab.goto(f"{shared_live_server.url}/it/plans/{data['plan'].pk}/money/chart-cash.svg")
    assert response.status == 200
    assert response.header_value("content-type").startswith("image/svg+xml")
    assert "default-src 'none'" in response.header_value("content-security-policy")
    assert tab.locator("svg").count() >= 1
    assert tab.locator("script").count() == 0
    _shot(tab, "chart-cash", full_page=False)  # a bare SVG has no page height to measure
    context.close()
