"""Consent withdrawal, the participant's own data as JSON, erasure."""

import datetime
import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from wagtail.models import Page, Site

from coaching import services
from coaching.models import AccessLog, ConsentRecord, Participant, SpecialCategoryData
from tests.coaching.factories import make_participant, sign_in

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
    # The statistical answers ESF+ counts stay; identifiers and free text go.
    assert person.entry_record.snapshot == {
        "gender": "woman",
        "citizenship": "non_eu",
        "foreign_background": "yes",
        "labour_status": "unemployed",
        "unemployed_months": 18,
        "works_without_contract": "yes",
        "in_education": False,
        "education_level": "isced_2",
        "housing": "insecure",
    }


# --- Erasure ------------------------------------------------------------------------------


def _erase_log(person):
    return AccessLog.objects.filter(participant=person, action="erase_participant")


def test_erasure_needs_a_request_or_a_staff_reason(client, site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    with pytest.raises(ValidationError):
        services.participant_erase(participant=person, by=site_coordinator)
    with pytest.raises(ValidationError):
        services.participant_erase(participant=person, by=site_coordinator, reason="   ")
    person.refresh_from_db()
    assert person.erased_at is None and person.phone
    assert not _erase_log(person).exists()

    # From the admin: without a request, the reason is asked and required.
    sign_in(client, site_coordinator)
    url = f"/admin/coaching/participant/{person.pk}/manage/"
    assert 'name="erase-reason"' in client.get(url).content.decode()
    assert client.post(url, {"action": "erase"}).status_code == 400
    assert Participant.objects.get(pk=person.pk).erased_at is None
    reason = "Court order of 3 March"
    assert client.post(url, {"action": "erase", "erase-reason": reason}).status_code == 302
    person.refresh_from_db()
    assert person.erased_at is not None and person.erasure_reason == reason
    assert person.phone == ""


def test_erasure_twice_erases_and_logs_once(client, site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    services.participant_request_erasure(participant=person)
    sign_in(client, site_coordinator)
    url = f"/admin/coaching/participant/{person.pk}/manage/"
    assert client.post(url, {"action": "erase"}).status_code == 302
    first = Participant.objects.get(pk=person.pk).erased_at
    assert client.post(url, {"action": "erase"}).status_code == 302
    services.participant_erase(participant=person, by=site_coordinator)
    assert _erase_log(person).count() == 1
    assert Participant.objects.get(pk=person.pk).erased_at == first


def test_erasure_anonymises_the_account(client, site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    user = person.user
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert EmailAddress.objects.filter(user=user).exists()
    old_email = user.email
    services.participant_exit(
        participant=person,
        by=site_coordinator,
        exit_date=datetime.date(2026, 1, 31),
        business_registered=True,
        registration_date=datetime.date(2026, 1, 20),
        legal_form="flat_rate",
        vat_number="01114601006",
    )
    client.force_login(user)
    client.post("/it/path/erasure/")
    services.participant_erase(participant=person, by=site_coordinator)

    user.refresh_from_db()
    assert user.email != old_email and user.email.endswith(".invalid")
    assert (user.first_name, user.last_name) == ("", "")
    assert not user.has_usable_password() and not user.is_active
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Authenticator.objects.filter(user=user).exists()
    # The open session no longer signs anyone in.
    assert client.get("/it/path/dashboard/").status_code == 302
    # The ESF+ results stay, without the VAT number that names a sole trader.
    exit_record = person.exit_records.get()
    assert exit_record.business_registered and exit_record.vat_number == ""
    assert exit_record.legal_form == "flat_rate"
    assert _erase_log(person).count() == 1


def test_the_account_stays_while_another_municipality_still_holds_a_record(site_coordinator):
    other_site = Site.objects.create(
        hostname="altro.example.org", port=80, root_page=Page.objects.get(depth=2)
    )
    here = make_participant(status="submitted")
    user = here.user
    there = services.participant_start(user=user, site=other_site)
    email = user.email
    services.participant_erase(participant=here, by=site_coordinator, reason="Asked by phone")
    user.refresh_from_db()
    assert user.email == email and user.is_active and user.first_name
    services.participant_erase(participant=there, by=site_coordinator, reason="Asked by phone")
    user.refresh_from_db()
    assert user.email.endswith(".invalid") and not user.is_active
