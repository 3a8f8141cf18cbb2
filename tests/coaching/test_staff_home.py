"""The admin home: each role lands on what it must act on (issue 9, item 16)."""

import datetime
import html

import pytest
from django.utils import timezone
from wagtail.users.models import UserProfile

from coaching import services
from coaching.models import FollowUp
from tests.coaching.factories import assign, make_participant, sign_in
from tests.factories import StandardPageFactory, UserFactory

pytestmark = pytest.mark.django_db


def _home(client, user, language="it"):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    sign_in(client, user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _due_follow_up(person, by):
    services.participant_exit(participant=person, by=by, exit_date=datetime.date(2026, 1, 31))
    follow_up = FollowUp.objects.filter(participant=person).first()
    FollowUp.objects.filter(pk=follow_up.pk).update(
        due_at=timezone.now() - datetime.timedelta(days=1)
    )
    return follow_up


def test_a_coordinator_lands_on_applications_and_follow_ups_of_their_site(
    client, site, other_site, site_coordinator, user_with_role
):
    waiting = make_participant(user=UserFactory(first_name="Amina", last_name="Diallo"))
    waiting = services.participant_submit(participant=waiting, by=waiting.user)
    elsewhere = make_participant(
        user=UserFactory(first_name="Ottavio", last_name="Lontano"), site=other_site
    )
    services.participant_submit(participant=elsewhere, by=elsewhere.user)
    left = make_participant(
        user=UserFactory(first_name="Bruno", last_name="Seguito"),
        status="eligible",
        by=site_coordinator,
    )
    _due_follow_up(left, site_coordinator)

    page = _home(client, site_coordinator)
    assert "Domande in attesa di decisione" in page
    assert "Amina Diallo" in page
    assert f"/admin/coaching/participant/{waiting.pk}/manage/" in page
    assert "Follow-up da fare" in page
    assert "Bruno Seguito" in page
    # Another site's people are not listed; the page count and page search are gone.
    assert "Ottavio Lontano" not in page
    assert "w-summary" not in page
    assert 'role="search"' not in page

    other = assign(user_with_role("Coordinator", is_staff=True), site=other_site)
    page = _home(client, other)
    assert "Ottavio Lontano" in page
    assert "Amina Diallo" not in page
    assert "Bruno Seguito" not in page


def test_a_coordinator_with_nothing_to_do_is_told_so_in_english(client, site_coordinator):
    page = _home(client, site_coordinator, language="en")
    assert "Applications waiting for a decision" in page
    assert "No application is waiting for a decision." in page
    assert "No follow-up is due." in page
    assert "Domande in attesa" not in page


def test_a_finance_officer_reads_what_will_appear_here(client, finance_officer):
    page = _home(client, finance_officer)
    assert "Microcontributi" in page
    assert "Qui troverai le domande di microcontributo da controllare" in page
    assert "Domande in attesa di decisione" not in page
    assert "w-summary" not in page
    page = _home(client, finance_officer, language="en")
    assert "This is where you will find the microgrant applications" in page


def test_an_editor_lands_on_pages_in_moderation_and_drafts(client, site, home_page, editor):
    draft = StandardPageFactory(parent=home_page, title="Bozza sul forfettario", live=False)
    draft.save_revision(user=editor)
    sent = StandardPageFactory(parent=home_page, title="Orari dello sportello")
    sent.save_revision(user=editor)
    sent.get_workflow().start(sent, editor)

    page = _home(client, editor)
    assert "Il tuo lavoro redazionale" in page
    assert "In attesa di approvazione" in page
    assert "Bozze non ancora inviate per l'approvazione" in page
    moderation, drafts = page.split("Bozze non ancora inviate", 1)
    assert "Orari dello sportello" in moderation.split("Il tuo lavoro redazionale", 1)[1]
    assert "Bozza sul forfettario" in drafts
    assert "Orari dello sportello" not in drafts
    # Editors keep the site summary and the page search.
    assert "w-summary" in page
    assert 'role="search"' in page
    # No coordinator panel for an editor.
    assert "Domande in attesa di decisione" not in page

    page = _home(client, editor, language="en")
    assert "Your editorial work" in page
    assert "Drafts not yet sent for approval" in page
