"""In Chromium, Italian and English: the readable data page, the erasure confirmation (before
and after asking, and taking it back), the consent step and the full privacy notice pass axe;
the confirmation is a real two-step flow on a phone."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from coaching.models import ErasureRequest, PrivacyNotice
from portal_site.core.demo_privacy import (
    PRIVACY_BODY_EN,
    PRIVACY_BODY_IT,
    PRIVACY_INTRODUCTION_EN,
    PRIVACY_INTRODUCTION_IT,
)
from portal_site.core.models import StandardPage
from tests.coaching.factories import make_participant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLES = {
    "it": {"data": "I miei dati", "erasure": "Chiedi di cancellare i miei dati"},
    "en": {"data": "My data", "erasure": "Ask to delete my data"},
}


def _share_session(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.fixture
def notice(site, home_page, english_home, english_locale):
    """The demo's complete notice as the site's page, linked from the site's notice."""
    page = StandardPage(
        slug="privacy",
        title="Informativa privacy",
        introduction=PRIVACY_INTRODUCTION_IT,
        body=PRIVACY_BODY_IT,
    )
    home_page.add_child(instance=page)
    page.save_revision().publish()
    english = page.copy_for_translation(english_locale)
    english.title = "Privacy notice"
    english.introduction = PRIVACY_INTRODUCTION_EN
    english.body = PRIVACY_BODY_EN
    english.save_revision().publish()
    return PrivacyNotice.objects.create(
        site=site,
        version="2026-01",
        page=page,
        published_at=timezone.now() - datetime.timedelta(minutes=1),
    )


@pytest.mark.parametrize("language", ["it", "en"])
def test_the_data_and_erasure_pages_pass_axe_and_confirm_before_filing(
    live_server, page, axe, language, site, site_coordinator, notice
):
    person = make_participant(status="eligible", by=site_coordinator)
    _share_session(page, live_server, person.user)
    titles = TITLES[language]

    page.goto(f"{live_server.url}/{language}/path/my-data/read/")
    assert page.locator("h1").inner_text() == titles["data"]
    axe(page)

    page.goto(f"{live_server.url}/{language}/path/dashboard/")
    page.get_by_role("link", name=titles["erasure"]).click()
    assert page.locator("h1").inner_text() == titles["erasure"]
    assert not ErasureRequest.objects.filter(participant=person).exists()
    axe(page)

    confirm = "Sì, chiedo di cancellare i miei dati" if language == "it" else "Yes, ask to delete"
    page.get_by_role("button", name=confirm).click()
    page.wait_for_load_state()
    assert ErasureRequest.objects.get(participant=person).status == "requested"
    axe(page)  # the open request, with the message and the button to take it back

    withdraw = "Ritira la mia richiesta" if language == "it" else "Take back my request"
    page.get_by_role("button", name=withdraw).click()
    page.wait_for_load_state()
    assert ErasureRequest.objects.get(participant=person).status == "withdrawn"
    axe(page)


@pytest.mark.parametrize("language", ["it", "en"])
def test_the_consent_step_and_the_full_notice_pass_axe(live_server, page, axe, language, notice):
    person = make_participant(answers=False)
    _share_session(page, live_server, person.user)
    page.goto(f"{live_server.url}/{language}/path/join/consent/")
    axe(page)
    link = "Leggi l'informativa completa" if language == "it" else "Read the full privacy notice"
    page.get_by_role("link", name=link).click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/{language}/privacy/"
    heading = "Reclamo al Garante" if language == "it" else "Complaints to the Garante"
    assert page.get_by_role("heading", name=heading).count() == 1
    axe(page)
