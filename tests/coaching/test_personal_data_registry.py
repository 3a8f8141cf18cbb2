"""A person's export and erasure walk every app registered under ``register_personal_data``."""

import datetime
import json
import uuid

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.models import Page

from coaching import services
from coaching.models import AccessLog, ConsentRecord, PrivacyNotice
from coaching.personal_data import HOOK_NAME, personal_data_erase
from coaching.selectors import current_privacy_notice
from resources.models import Certificate, QuizResult
from tests.coaching.factories import make_participant, sign_in

pytestmark = pytest.mark.django_db


class FakeApp:
    """An app the registry has never heard of: it only registers through the hook."""

    key = "fake_app"

    def __init__(self):
        self.held = {}
        self.erased = []

    def export(self, *, user, by):
        return [
            {
                "title": "Appointments",
                "rows": [("Next meeting", self.held.get(user.pk, ""))],
                "data": {"next_meeting": self.held.get(user.pk)},
            }
        ]

    def erase(self, *, user, by, reason, now):
        self.held.pop(user.pk, None)
        self.erased.append(user.pk)
        return [
            {"action": "deleted", "what": "Appointments"},
            {"action": "kept", "what": "Invoices", "why": "Tax law: ten years"},
        ]


def _certificate(user, **fields):
    return Certificate.objects.create(
        user=user,
        course_key=uuid.uuid4(),
        recipient_name="Amina Diallo",
        course_title="Vendere online",
        completed_on=datetime.date(2026, 1, 15),
        **fields,
    )


def test_a_registered_app_is_exported_and_erased(client, site_coordinator):
    fake = FakeApp()
    person = make_participant(status="eligible", by=site_coordinator)
    fake.held[person.user.pk] = "Tuesday 10:00"
    with hooks.register_temporarily(HOOK_NAME, lambda: fake):
        client.force_login(person.user)
        data = json.loads(client.get("/it/path/my-data/").content)
        section = next(s for s in data["sections"] if s["provider"] == "fake_app")
        assert section["title"] == "Appointments"
        assert section["rows"] == [["Next meeting", "Tuesday 10:00"]]
        assert section["data"] == {"next_meeting": "Tuesday 10:00"}

        services.participant_erase(participant=person, by=site_coordinator, reason="Richiesta")

    assert fake.erased == [person.user.pk] and person.user.pk not in fake.held
    log = AccessLog.objects.get(participant=person, action="erase_participant")
    fake_outcomes = [o for o in log.details["erasure"] if o["provider"] == "fake_app"]
    assert fake_outcomes == [
        {"provider": "fake_app", "action": "deleted", "what": "Appointments", "why": ""},
        {"provider": "fake_app", "action": "kept", "what": "Invoices", "why": "Tax law: ten years"},
    ]
    assert {o["provider"] for o in log.details["erasure"]} >= {"coaching", "resources"}


def test_a_record_kept_without_a_reason_is_refused(participant):
    class Careless(FakeApp):
        def erase(self, *, user, by, reason, now):
            return [{"action": "kept", "what": "Everything"}]

    with hooks.register_temporarily(HOOK_NAME, Careless), pytest.raises(ImproperlyConfigured):
        personal_data_erase(user=participant, by=None, reason="x", now=timezone.now())


def test_the_export_has_the_library_courses_certificates_and_quizzes(client, site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    _certificate(person.user)
    QuizResult.objects.create(
        user=person.user,
        page=Page.objects.get(depth=2),
        page_key=uuid.uuid4(),
        block_id="quiz-1",
        best_score=80,
        last_score=60,
        passed=True,
        attempts=2,
    )
    client.force_login(person.user)
    data = json.loads(client.get("/it/path/my-data/").content)
    library = {s["title"]: s for s in data["sections"] if s["provider"] == "resources"}
    assert set(library) == {"Lezioni completate", "Quiz di autoverifica", "Attestati"}
    assert library["Attestati"]["rows"] == [["Vendere online", "15/01/2026"]]
    assert library["Attestati"]["data"][0]["name"] == "Amina Diallo"
    assert library["Quiz di autoverifica"]["data"][0]["best_score"] == 80
    # Coaching's own sections, in the person's language, and the earlier top-level keys.
    coaching_titles = [s["title"] for s in data["sections"] if s["provider"] == "coaching"]
    assert coaching_titles[0].startswith("La tua partecipazione")
    assert "Consensi" in coaching_titles
    assert data["reference"] == person.reference


def test_after_erasure_the_certificate_page_shows_the_date_but_no_name(client, site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    certificate = _certificate(person.user)
    url = reverse("resources:certificate_verify", kwargs={"certificate_id": certificate.pk})
    assert "Amina Diallo" in client.get(url).content.decode()

    services.participant_erase(participant=person, by=site_coordinator, reason="Richiesta")

    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Amina Diallo" not in html
    assert "Amina" not in html and "Diallo" not in html
    assert 'datetime="2026-01-15"' in html and "Vendere online" in html
    assert "non mostra più un nome" in html
    assert Certificate.objects.get(pk=certificate.pk).recipient_name == ""


def test_erasing_one_municipality_keeps_the_library_while_another_holds_data(
    site_coordinator, other_site
):
    person = make_participant(status="eligible", by=site_coordinator)
    make_participant(user=person.user, site=other_site)
    certificate = _certificate(person.user)
    services.participant_erase(participant=person, by=site_coordinator, reason="Richiesta")
    assert Certificate.objects.get(pk=certificate.pk).recipient_name == "Amina Diallo"


def test_a_site_s_own_privacy_notice_is_the_one_its_participants_accept(other_site):
    shared = current_privacy_notice()
    assert shared is not None and shared.site is None
    own = PrivacyNotice.objects.create(
        site=other_site,
        version=shared.version,  # each controller numbers its own versions
        summary="Comune di Altrove, titolare del trattamento",
        published_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    PrivacyNotice.objects.create(
        site=other_site, version="future", published_at=timezone.now() + datetime.timedelta(days=1)
    )
    assert current_privacy_notice(other_site) == own
    assert current_privacy_notice() == shared

    here = make_participant(site=other_site)
    elsewhere = make_participant()
    accepted = {
        person.pk: ConsentRecord.objects.get(participant=person, kind="privacy_notice").notice
        for person in (here, elsewhere)
    }
    assert accepted == {here.pk: own, elsewhere.pk: shared}


def test_coordinators_see_their_site_s_notices_and_the_shared_one(
    client, site_coordinator, other_site
):
    shared = current_privacy_notice()
    PrivacyNotice.objects.create(site=other_site, version="altrove-1", published_at=timezone.now())
    sign_in(client, site_coordinator)
    html = client.get(reverse("coaching_privacy_notice:index")).content.decode()
    assert shared.version in html
    assert "altrove-1" not in html
    assert not site_coordinator.has_perm("coaching.change_privacynotice")
