"""The intake: every step in both languages, resumable, keeps bad input, one per person/site."""

import pytest
from django.db import IntegrityError, transaction

from coaching import services
from coaching.models import ConsentRecord, Participant, SpecialCategoryData

pytestmark = pytest.mark.django_db

STEPS = {
    "contact": {
        "preferred_name": "Amina",
        "phone": "333 1234567",
        "municipality": "Napoli",
        "languages": "Italiano, Wolof",
    },
    "about": {
        "birth_year": "1990",
        "birth_month": "5",
        "gender": "woman",
        "citizenship": "non_eu",
        "foreign_background": "yes",
    },
    "work": {
        "labour_status": "unemployed",
        "unemployed_months": "14",
        "works_without_contract": "yes",
        "in_education": "no",
    },
    "education": {"education_level": "isced_3", "housing": "stable"},
    "idea": {"idea_sector": "food", "idea_stage": "testing", "idea_description": "Arancini"},
    "needs": {
        "needs": ["mentor", "funding"],
        "preferred_languages": ["it", "wo"],
        "meeting_modes": ["remote"],
        "availability": ["0-morning", "2-evening"],
        "mentor_gender": "woman",
    },
    "consent": {"privacy_notice": "on", "special_category": "on", "share_with_mentor": "on"},
    "special": {"disability": "no", "minority": "roma_sinti_camminanti"},
}

# For each step: input that must be refused, the field that must complain, and one value that
# must come back in the re-rendered form.
BAD = {
    "contact": ({"phone": "call me", "municipality": "Napoli", "languages": ""}, "phone", "Napoli"),
    "about": (
        {"birth_year": "1850", "birth_month": "5", "gender": "woman", "citizenship": "eu"},
        "birth_year",
        "1850",
    ),
    "work": (
        {"labour_status": "unemployed", "works_without_contract": "no", "in_education": "no"},
        "unemployed_months",
        'id="id_labour_status_0" required checked',
    ),
    "education": ({"education_level": "isced_3"}, "housing", 'value="isced_3"'),
    "idea": (
        {"idea_sector": "food", "idea_description": "Pizza al taglio"},
        "idea_stage",
        "Pizza al taglio",
    ),
    "needs": (
        {"preferred_languages": ["wo"], "meeting_modes": ["remote"], "availability": ["2-evening"]},
        "needs",
        'value="2-evening" class="form-check-input" id="id_availability_2_2" checked',
    ),
    "consent": ({"share_with_mentor": "on"}, "privacy_notice", 'name="share_with_mentor"'),
    "special": ({"disability": "maybe"}, "disability", ""),
}


@pytest.mark.parametrize("language", ["it", "en"])
def test_whole_intake_in_each_language(client, participant, site, language):
    client.force_login(participant)
    response = client.get(f"/{language}/path/join/")
    assert response.status_code == 200
    response = client.post(f"/{language}/path/join/")
    assert response["Location"] == f"/{language}/path/join/contact/"
    for step, data in STEPS.items():
        page = client.get(f"/{language}/path/join/{step}/")
        assert page.status_code == 200, step
        assert f'lang="{language}"' in page.content.decode()
        response = client.post(f"/{language}/path/join/{step}/", data)
        assert response.status_code == 302, (step, response.content.decode()[:3000])
    assert response["Location"] == f"/{language}/path/join/review/"
    review = client.get(f"/{language}/path/join/review/")
    assert ("Invia la mia domanda" if language == "it" else "Send my application") in (
        review.content.decode()
    )
    response = client.post(f"/{language}/path/join/review/")
    assert response["Location"] == f"/{language}/path/dashboard/"
    person = Participant.objects.get(user=participant)
    assert person.status == Participant.Status.SUBMITTED
    assert person.site == site
    assert person.isced_group == "3-4"
    assert person.needs == ["mentor", "funding"]
    assert SpecialCategoryData.objects.get(participant=person).minority == "roma_sinti_camminanti"


def test_intake_resumes_where_it_stopped_on_another_device(client, participant):
    client.force_login(participant)
    client.post("/it/path/join/")
    for step in ("contact", "about"):
        client.post(f"/it/path/join/{step}/", STEPS[step])
    other_device = type(client)()
    other_device.force_login(participant)
    response = other_device.get("/it/path/join/")
    assert response["Location"] == "/it/path/join/work/"
    page = other_device.get("/it/path/join/contact/")
    assert 'value="Napoli"' in page.content.decode()
    dashboard = other_device.get("/it/path/dashboard/")
    assert "Continua la mia domanda" in dashboard.content.decode()


@pytest.mark.parametrize("step", list(BAD))
@pytest.mark.parametrize("language", ["it", "en"])
def test_bad_input_keeps_what_was_typed_and_shows_the_error(client, participant, step, language):
    client.force_login(participant)
    client.post("/it/path/join/")
    if step == "special":
        client.post("/it/path/join/consent/", STEPS["consent"])
    data, field, kept = BAD[step]
    response = client.post(f"/{language}/path/join/{step}/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert kept in html
    assert ("Controlla le risposte" if language == "it" else "Please check the answers") in html


def test_back_goes_to_the_previous_step(client, participant):
    client.force_login(participant)
    client.post("/it/path/join/")
    client.post("/it/path/join/contact/", STEPS["contact"])
    response = client.post("/it/path/join/about/", {**STEPS["about"], "action": "back"})
    assert response["Location"] == "/it/path/join/contact/"
    assert "about" in Participant.objects.get(user=participant).completed_steps


def test_special_questions_appear_only_after_consent_and_can_be_skipped(client, participant):
    client.force_login(participant)
    client.post("/it/path/join/")
    assert client.get("/it/path/join/special/").status_code == 404
    client.post("/it/path/join/consent/", {"privacy_notice": "on", "special_category": "on"})
    response = client.post("/it/path/join/special/", {"action": "skip"})
    assert response.status_code == 302
    assert not SpecialCategoryData.objects.exists()


def test_a_second_enrolment_continues_the_first(client, participant, site):
    client.force_login(participant)
    client.post("/it/path/join/")
    client.post("/it/path/join/")
    assert Participant.objects.filter(user=participant).count() == 1
    again = services.participant_start(user=participant, site=site)
    assert again == Participant.objects.get(user=participant)


def test_the_database_refuses_two_enrolments_for_one_person_and_site(participant, site):
    Participant.objects.create(user=participant, site=site)
    with pytest.raises(IntegrityError), transaction.atomic():
        Participant.objects.create(user=participant, site=site)


def test_submit_needs_every_step_and_the_privacy_notice(participant, site):
    from django.core.exceptions import ValidationError

    person = services.participant_start(user=participant, site=site)
    with pytest.raises(ValidationError):
        services.participant_submit(participant=person, by=participant)
    assert not ConsentRecord.objects.exists()
