"""axe-core (WCAG 2.1 A/AA) on every intake step, the dashboard and the coordinator's list."""

import pytest
from django.test import Client

from coaching.services.intake import INTAKE_STEPS
from tests.browser import axe_violations, format_violations
from tests.coaching.factories import make_participant, sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _share_session(page, live_server, user, staff=False):
    client = Client()
    if staff:
        sign_in(client, user)
    else:
        client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.mark.parametrize("language", ["it", "en"])
def test_every_intake_step_and_its_error_state_pass_axe(live_server, page, axe, language, site):
    person = make_participant(answers=False)
    from coaching import services

    services.intake_save_step(
        participant=person,
        step="consent",
        data={"privacy_notice": True, "special_category": True},
        by=person.user,
    )
    _share_session(page, live_server, person.user)
    for step in INTAKE_STEPS:
        page.goto(f"{live_server.url}/{language}/path/join/{step}/")
        assert page.locator("h1").count() == 1
        axe(page)
        if step not in ("special", "consent"):  # these two are valid as shown
            # Submit the step empty: the error state must be accessible too.
            page.locator("button[value=continue]").click()
            assert page.locator(".alert-danger").count() == 1, step
            axe(page)
    page.goto(f"{live_server.url}/{language}/path/join/review/")
    axe(page)


def test_dashboard_passes_axe(live_server, page, axe, site, site_coordinator):
    person = make_participant(user=UserFactory(preferred_language="it"), status="eligible")
    _share_session(page, live_server, person.user)
    page.goto(f"{live_server.url}/it/path/dashboard/")
    assert page.locator("h1").inner_text() == "Il mio percorso"
    axe(page)
    page.goto(f"{live_server.url}/it/path/consents/")
    axe(page)


def test_coordinator_list_in_the_wagtail_admin(live_server, page, site, site_coordinator):
    """The Wagtail admin's own markup: any violation is reported by rule, not hidden."""
    for status in ("submitted", "eligible", "draft"):
        make_participant(status=status, by=site_coordinator)
    _share_session(page, live_server, site_coordinator, staff=True)
    page.goto(f"{live_server.url}/admin/coaching_participant/")
    assert page.locator("table.listing").count() == 1
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
