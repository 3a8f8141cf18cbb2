"""Consent withdrawal, the participant's own data as JSON, erasure."""

import json

import pytest

from coaching import services
from coaching.models import AccessLog, ConsentRecord, SpecialCategoryData
from tests.coaching.factories import make_participant

pytestmark = pytest.mark.django_db


def _with_special(person):
    services.intake_save_step(
        participant=person,
        step="special",
        data={"disability": "yes", "minority": "roma_sinti_camminanti"},
        by=person.user,
    )


def test_withdrawing_special_category_consent_erases_the_answers_at_once(client):
    person = make_participant()
    _with_special(person)
    assert SpecialCategoryData.objects.filter(participant=person).exists()
    client.force_login(person.user)
    response = client.post("/it/path/consents/", {"share_with_mentor": "on"})
    assert response.status_code == 302
    assert not SpecialCategoryData.objects.filter(participant=person).exists()
    kinds = ConsentRecord.objects.filter(participant=person, kind="special_category")
    assert list(kinds.order_by("created_at", "pk").values_list("granted", flat=True)) == [
        True,
        False,
    ]
    assert AccessLog.objects.filter(participant=person, action="erase_sensitive").exists()
    page = client.get("/it/path/consents/").content.decode()
    assert "Ritirato" in page


def test_participant_downloads_own_data_as_json(client):
    person = make_participant()
    _with_special(person)
    client.force_login(person.user)
    response = client.get("/it/path/my-data/")
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["reference"] == person.reference
    assert data["profile"]["municipality"] == "Napoli"
    assert data["special_category"]["minority"] == "roma_sinti_camminanti"
    assert {c["kind"] for c in data["consents"]} >= {"privacy_notice", "special_category"}


def test_erasure_request_then_erasure_keeps_only_what_esf_requires(client, site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    _with_special(person)
    client.force_login(person.user)
    client.post("/it/path/erasure/")
    person.refresh_from_db()
    assert person.erasure_requested_at
    services.participant_erase(participant=person, by=site_coordinator)
    person.refresh_from_db()
    assert person.phone == "" and person.idea_description == ""
    assert not SpecialCategoryData.objects.filter(participant=person).exists()
    assert person.entry_record.labour_status == "unemployed"
    assert person.entry_record.snapshot == {}


def test_mentor_sees_only_what_was_shared(client, mentor, site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    services.participant_assign_mentor(participant=person, mentor=mentor, by=site_coordinator)
    _with_special(person)
    client.force_login(mentor)
    html = client.get(f"/it/path/mentees/{person.pk}/").content.decode()
    assert "Street food" in html
    assert "rom" not in html.lower().replace("romano", "")
    services.consent_record(
        participant=person, kind="share_with_mentor", granted=False, by=person.user
    )
    html = client.get(f"/it/path/mentees/{person.pk}/").content.decode()
    assert "Street food" not in html
