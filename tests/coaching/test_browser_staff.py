"""The staff side in Chromium: the admin home of each role and the participant page, by tab,
in Italian and English, with axe-core (WCAG 2.1 A/AA). Wagtail's own markup is checked too:
a violation is reported by rule, never hidden."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.users.models import UserProfile

from coaching import services
from coaching.models import FollowUp, Participant
from tests.browser import axe_violations, format_violations
from tests.coaching.factories import enrol_assisted, make_participant, sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABS = ["answers", "path", "entry", "notes", "documents", "account"]


def _staff_session(page, live_server, user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client = Client()
    sign_in(client, user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _no_violations(page):
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n" + format_violations(violations)


@pytest.mark.parametrize("language", ["it", "en"])
def test_the_coordinators_home_and_participant_page_pass_axe(
    live_server, page, site, site_coordinator, language
):
    waiting = make_participant(user=UserFactory(first_name="Amina", last_name="Diallo"))
    waiting = services.participant_submit(participant=waiting, by=waiting.user)
    left = make_participant(status="eligible", by=site_coordinator)
    services.participant_exit(
        participant=left, by=site_coordinator, exit_date=datetime.date(2026, 1, 31)
    )
    FollowUp.objects.filter(participant=left).update(
        due_at=timezone.now() - datetime.timedelta(days=1)
    )
    _staff_session(page, live_server, site_coordinator, language)

    page.goto(f"{live_server.url}/admin/")
    heading = (
        "Domande in attesa di decisione"
        if language == "it"
        else ("Applications waiting for a decision")
    )
    assert page.get_by_role("heading", name=heading).count() == 1
    _no_violations(page)

    page.get_by_role("link", name="Amina Diallo").first.click()
    page.wait_for_url(f"**/participant/{waiting.pk}/manage/#tab-answers")
    answers = page.locator("#tab-answers")
    assert answers.is_visible()
    # The decision form and the answers are on the same tab.
    assert answers.locator("input[name=decide-decision]").count() == 2
    assert "Street food" in answers.inner_text()
    _no_violations(page)
    for tab in TABS[1:]:
        page.locator(f"#tab-label-{tab}").click()
        assert page.locator(f"#tab-{tab}").is_visible(), tab
        _no_violations(page)


@pytest.mark.parametrize("language", ["it", "en"])
def test_a_note_saved_opens_the_page_again_on_the_notes_tab(
    live_server, page, site, site_coordinator, language
):
    person = make_participant(status="submitted")
    _staff_session(page, live_server, site_coordinator, language)
    page.goto(f"{live_server.url}/admin/coaching/participant/{person.pk}/manage/#tab-notes")
    notes = page.locator("#tab-notes")
    assert notes.is_visible()
    notes.locator("textarea[name=note-text]").fill("Ha chiamato per l'appuntamento.")
    notes.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#tab-notes").is_visible()
    assert "Ha chiamato per l'appuntamento." in page.locator("#tab-notes").inner_text()
    _no_violations(page)
    # An empty note: the error is shown on the same tab, and accessible.
    page.locator("#tab-notes button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#tab-notes").is_visible()
    assert page.locator("#tab-notes .error-message").count() >= 1
    _no_violations(page)


@pytest.mark.parametrize("language", ["it", "en"])
def test_documents_of_an_assisted_enrolment_pass_axe(
    live_server, page, site, site_coordinator, language
):
    enrol_assisted(Client(), site_coordinator)
    person = Participant.objects.get(assisted_by=site_coordinator)
    _staff_session(page, live_server, site_coordinator, language)
    page.goto(f"{live_server.url}/admin/coaching/participant/{person.pk}/manage/#tab-documents")
    assert page.locator("#tab-documents a[href*='consent-document']").count() >= 1
    _no_violations(page)


@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize("role", ["editor", "finance_officer"])
def test_the_editors_and_finance_officers_home_pass_axe(
    live_server, page, site, request, role, language
):
    user = request.getfixturevalue(role)
    _staff_session(page, live_server, user, language)
    page.goto(f"{live_server.url}/admin/")
    headings = {
        ("editor", "it"): "Il tuo lavoro redazionale",
        ("editor", "en"): "Your editorial work",
        ("finance_officer", "it"): "Microcontributi",
        ("finance_officer", "en"): "Microgrants",
    }
    assert page.get_by_role("heading", name=headings[role, language]).count() == 1
    _no_violations(page)
