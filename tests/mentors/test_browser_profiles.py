"""Chromium + axe-core (WCAG 2.1 A/AA): the mentor application, profile and availability pages,
with their error states, on a 375 px phone and on a desktop, in Italian and in English."""

import pytest
from django.test import Client
from wagtail.models import Locale

from mentors.models import Skill
from tests.factories import UserFactory
from tests.mentors.factories import make_mentor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADINGS = {
    "it": {"apply": "Diventa mentore", "availability": "Le mie disponibilità"},
    "en": {"apply": "Become a mentor", "availability": "My availability"},
}
VIEWPORTS = {"phone": {"width": 375, "height": 740}, "desktop": {"width": 1280, "height": 900}}


def _share_session(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("language", ["it", "en"])
def test_apply_profile_and_availability_pass_axe(
    live_server, page, axe, site, english_home, language, viewport
):
    page.set_viewport_size(VIEWPORTS[viewport])
    Skill.objects.create(site=site, name="Contabilità e fisco", locale=Locale.get_default())
    base = f"{live_server.url}/{language}/mentoring"

    applicant = UserFactory(preferred_language=language)
    _share_session(page, live_server, applicant)
    page.goto(f"{base}/apply/")
    assert page.locator("h1").inner_text() == HEADINGS[language]["apply"]
    _no_horizontal_scroll(page)
    axe(page)
    # Sent empty: the error summary and the marked fields must be accessible too.
    page.locator("form button[type=submit]").click()
    assert page.locator(".alert-danger").count() == 1
    axe(page)

    mentor = make_mentor(municipality="Roma", bio="Commercialista.")
    page.context.clear_cookies()
    _share_session(page, live_server, mentor.user)
    page.goto(f"{base}/profile/")
    assert page.locator("h1").count() == 1
    _no_horizontal_scroll(page)
    axe(page)

    page.goto(f"{base}/availability/")
    assert page.locator("h1").inner_text() == HEADINGS[language]["availability"]
    page.locator("#id_windows-0-weekday").select_option("1")
    page.locator("#id_windows-0-starts").fill("18:00")
    page.locator("#id_windows-0-ends").fill("15:00")
    page.locator("button[value=add_window]").click()
    assert page.locator("#id_windows-1-starts").count() == 1
    _no_horizontal_scroll(page)
    axe(page)
    page.locator("button[value=save]").click()
    assert page.locator(".alert-danger").count() == 1
    axe(page)
    page.locator("#id_windows-0-starts").fill("15:00")
    page.locator("#id_windows-0-ends").fill("18:00")
    page.locator("button[value=save]").click()
    assert page.locator(".alert-success").count() == 1
    assert mentor.windows.count() == 1
    axe(page)

    page.goto(f"{base}/membership/{mentor.memberships.get().pk}/")
    axe(page)
