"""The participant's preferences about meeting a mentor: asked in the intake's "needs" step as
choices from lists (languages, in person or online, day parts grouped by day, the mentor's
gender), shown in words, theirs alone to change later, blanked at erasure, in the export."""

import re
from html import unescape

import pytest
from django.core.exceptions import ValidationError

from coaching import services
from coaching.models import Participant
from coaching.services.intake import participant_preferences_change
from tests.coaching.factories import COMPLETE_ANSWERS, make_participant, sign_in

pytestmark = pytest.mark.django_db

NEEDS = {
    "needs": ["mentor"],
    "preferred_languages": ["ar", "it"],
    "meeting_modes": ["remote"],
    "availability": ["0-morning", "4-evening"],
    "mentor_gender": "woman",
}
PREFERENCES = "/{language}/path/preferences/"

MESSAGES = {
    "it": {
        "preferred_languages": "Scegli le lingue dall'elenco.",
        "meeting_modes": "Scegli di persona, online o entrambi.",
        "availability": "Scegli i giorni e gli orari dall'elenco.",
        "required": "Scegli almeno una lingua.",
        "saved": "Le tue preferenze sono state salvate.",
    },
    "en": {
        "preferred_languages": "Choose the languages from the list.",
        "meeting_modes": "Choose in person, online or both.",
        "availability": "Choose the days and times from the list.",
        "required": "Choose at least one language.",
        "saved": "Your preferences have been saved.",
    },
}
#: How the answers of ``NEEDS`` read, in each language.
IN_WORDS = {
    "it": {
        "preferred_languages": "Italiano, Arabo",
        "meeting_modes": "Online",
        "availability": "Lunedì, mattina (9–13); Venerdì, sera (18–21)",
    },
    "en": {
        "preferred_languages": "Italian, Arabic",
        "meeting_modes": "Online",
        "availability": "Monday, morning (9–13); Friday, evening (18–21)",
    },
}


def _draft_at_the_needs_step(client, user):
    client.force_login(user)
    client.post("/it/path/join/")
    return Participant.objects.get(user=user)


def _checked(html: str, name: str, value: str) -> bool:
    """Whether the box of this value is ticked in the page."""
    start = html.find(f'name="{name}" value="{value}"')
    return start != -1 and re.search(r"\schecked\b", html[start : html.index(">", start)])


# --- The "needs" step ----------------------------------------------------------------------


@pytest.mark.parametrize("language", ["it", "en"])
def test_the_needs_step_asks_each_day_in_a_fieldset_of_its_own(client, participant, language):
    _draft_at_the_needs_step(client, participant)
    html = unescape(client.get(f"/{language}/path/join/needs/").content.decode())
    days = (
        ["Lunedì", "Martedì", "Mercoledì", "Giovedì", "Venerdì", "Sabato", "Domenica"]
        if language == "it"
        else ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    )
    for day in days:
        assert f'<legend class="fs-6 fw-normal border-bottom mb-1">{day}</legend>' in html, day
    part = "Mattina (9–13)" if language == "it" else "Morning (9–13)"
    assert f'<label for="id_availability_0_0">{part}</label>' in html
    assert html.count('name="availability"') == 21
    assert html.count('name="preferred_languages"') == 20
    assert ('value="in_person"' in html) and ('value="remote"' in html)
    assert 'name="mentor_availability"' not in html and 'name="mentor_language"' not in html


def test_the_needs_step_saves_codes_in_the_lists_order(client, participant):
    _draft_at_the_needs_step(client, participant)
    response = client.post("/it/path/join/needs/", NEEDS)
    assert response.status_code == 302
    person = Participant.objects.get(user=participant)
    # The order of the vocabulary, whatever the order sent.
    assert person.preferred_languages == ["it", "ar"]
    assert person.meeting_modes == ["remote"]
    assert person.availability == ["0-morning", "4-evening"]
    assert person.mentor_gender == "woman"
    assert "needs" in person.completed_steps


@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("preferred_languages", "klingon"),
        ("meeting_modes", "by_pigeon"),
        ("availability", "7-morning"),
        ("availability", "0-night"),
    ],
)
def test_a_code_outside_the_lists_is_refused_and_nothing_is_lost(
    client, participant, language, field, bad
):
    person = _draft_at_the_needs_step(client, participant)
    data = {**NEEDS, field: [*NEEDS[field], bad]}
    response = client.post(f"/{language}/path/join/needs/", data)
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert f'id="id_{field}_error"' in html
    assert MESSAGES[language][field] in html
    # Every answer comes back as it was ticked.
    for name in ("needs", "preferred_languages", "meeting_modes", "availability"):
        for value in NEEDS[name]:
            assert _checked(html, name, value), (name, value)
    assert _checked(html, "mentor_gender", "woman")
    person.refresh_from_db()
    assert person.preferred_languages == [] and "needs" not in person.completed_steps


@pytest.mark.parametrize("language", ["it", "en"])
def test_a_preference_left_empty_says_what_to_do(client, participant, language):
    _draft_at_the_needs_step(client, participant)
    response = client.post(f"/{language}/path/join/needs/", {**NEEDS, "preferred_languages": []})
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert MESSAGES[language]["required"] in html
    # The error summary leads to the question's first box; the other answers stay ticked.
    assert 'href="#id_preferred_languages_0"' in html
    assert _checked(html, "availability", "4-evening")


def test_the_saving_service_refuses_bad_codes_whoever_sends_them(participant, site):
    person = services.participant_start(user=participant, site=site)
    with pytest.raises(ValidationError) as refused:
        services.intake_save_step(
            participant=person,
            step="needs",
            data={**NEEDS, "availability": ["0-morning", "monday"]},
            by=participant,
        )
    assert set(refused.value.message_dict) == {"availability"}
    with pytest.raises(ValidationError):
        services.intake_save_step(
            participant=person, step="needs", data={**NEEDS, "meeting_modes": "remote"}, by=None
        )
    person.refresh_from_db()
    assert person.availability == [] and person.meeting_modes == []


@pytest.mark.parametrize("language", ["it", "en"])
def test_the_review_shows_the_preferences_in_words(client, participant, site, language):
    person = services.participant_start(user=participant, site=site)
    services.intake_save_step(participant=person, step="needs", data=NEEDS, by=participant)
    client.force_login(participant)
    html = unescape(client.get(f"/{language}/path/join/review/").content.decode())
    for field, words in IN_WORDS[language].items():
        assert f"<dd>{words}</dd>" in html, field
    assert "0-morning" not in html and "remote</dd>" not in html


def test_staff_filling_in_the_intake_get_the_same_step(client, site_coordinator):
    person = make_participant(status="submitted")
    sign_in(client, site_coordinator)
    url = f"/it/path/staff/{person.pk}/needs/"
    html = unescape(client.get(url).content.decode())
    assert '<legend class="fs-6 fw-normal border-bottom mb-1">Lunedì</legend>' in html
    assert _checked(html, "availability", "0-morning")
    response = client.post(url, {**NEEDS, "availability": ["6-evening"]})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.availability == ["6-evening"]
    response = client.post(url, {**NEEDS, "availability": ["8-evening"]})
    assert response.status_code == 400
    assert "Scegli i giorni e gli orari dall'elenco." in unescape(response.content.decode())


# --- The preferences page ------------------------------------------------------------------


@pytest.mark.parametrize("language", ["it", "en"])
def test_the_person_changes_the_preferences_once_accepted(client, site_coordinator, language):
    person = make_participant(status="eligible", by=site_coordinator)
    client.force_login(person.user)
    dashboard = client.get(f"/{language}/path/dashboard/").content.decode()
    assert f'href="/{language}/path/preferences/"' in dashboard
    page = unescape(client.get(PREFERENCES.format(language=language)).content.decode())
    assert _checked(page, "preferred_languages", "fr")  # the demo's answers
    # Only the preferences, not the needs nor the entry answers.
    assert 'name="needs"' not in page and 'name="labour_status"' not in page
    data = {
        "preferred_languages": ["en", "wo"],
        "meeting_modes": ["in_person"],
        "availability": ["5-morning", "6-morning"],
        "mentor_gender": "any",
    }
    response = client.post(PREFERENCES.format(language=language), data, follow=True)
    assert response.redirect_chain[-1][0] == PREFERENCES.format(language=language)
    assert MESSAGES[language]["saved"] in unescape(response.content.decode())
    person.refresh_from_db()
    assert person.preferred_languages == ["en", "wo"]
    assert person.meeting_modes == ["in_person"]
    assert person.availability == ["5-morning", "6-morning"]
    assert person.mentor_gender == "any"
    assert person.needs == COMPLETE_ANSWERS["needs"]["needs"]
    assert person.status == Participant.Status.ELIGIBLE


@pytest.mark.parametrize("language", ["it", "en"])
def test_bad_codes_on_the_page_are_refused_and_nothing_is_lost(client, language):
    person = make_participant(status="submitted")
    client.force_login(person.user)
    data = {
        "preferred_languages": ["wo", "xx"],
        "meeting_modes": ["in_person"],
        "availability": ["2-afternoon"],
        "mentor_gender": "man",
    }
    response = client.post(PREFERENCES.format(language=language), data)
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert MESSAGES[language]["preferred_languages"] in html
    assert _checked(html, "preferred_languages", "wo")
    assert _checked(html, "availability", "2-afternoon")
    assert _checked(html, "mentor_gender", "man")
    person.refresh_from_db()
    assert person.preferred_languages == ["it", "fr"] and person.mentor_gender == "any"


def test_the_same_answers_sent_twice_change_nothing_more(client):
    person = make_participant(status="submitted")
    client.force_login(person.user)
    data = {
        "preferred_languages": ["ar"],
        "meeting_modes": ["remote"],
        "availability": ["1-evening"],
        "mentor_gender": "woman",
    }
    client.post(PREFERENCES.format(language="it"), data)
    person.refresh_from_db()
    first = person.updated_at
    assert client.post(PREFERENCES.format(language="it"), data).status_code == 302
    person.refresh_from_db()
    assert person.updated_at == first and person.preferred_languages == ["ar"]


def test_the_page_acts_only_on_the_signed_in_persons_own_preferences(client):
    owner = make_participant(status="eligible")
    participant_preferences_change(participant=owner, data=NEEDS)
    other = make_participant(status="submitted")
    client.force_login(other.user)
    page = unescape(client.get(PREFERENCES.format(language="it")).content.decode())
    # Their own answers, never someone else's: the page takes no one's id.
    assert _checked(page, "preferred_languages", "fr")
    assert not _checked(page, "preferred_languages", "ar")
    assert not _checked(page, "mentor_gender", "woman")
    client.post(
        PREFERENCES.format(language="it"),
        {
            "preferred_languages": ["zh"],
            "meeting_modes": ["remote"],
            "availability": ["3-morning"],
            "mentor_gender": "man",
        },
    )
    owner.refresh_from_db()
    other.refresh_from_db()
    assert owner.preferred_languages == ["it", "ar"] and owner.mentor_gender == "woman"
    assert other.preferred_languages == ["zh"] and other.mentor_gender == "man"


def test_nobody_without_a_participation_here_reaches_the_page(client, user, other_site):
    elsewhere = make_participant(status="eligible", site=other_site)
    client.force_login(user)
    assert client.get(PREFERENCES.format(language="it")).status_code == 404
    client.force_login(elsewhere.user)
    # Signed up in another municipality: nothing to change on this site.
    assert client.get(PREFERENCES.format(language="it")).status_code == 404
    client.logout()
    response = client.get(PREFERENCES.format(language="it"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_before_sending_the_application_the_page_leads_to_the_intake_step(client, participant):
    _draft_at_the_needs_step(client, participant)
    response = client.get(PREFERENCES.format(language="it"))
    assert response["Location"] == "/it/path/join/needs/"


def test_erased_preferences_cannot_be_changed(site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    services.participant_erase(participant=person, by=site_coordinator, reason="Richiesta")
    with pytest.raises(ValidationError):
        participant_preferences_change(participant=person, data={"preferred_languages": ["it"]})


# --- Erasure and export ---------------------------------------------------------------------


def test_erasure_blanks_the_preferences(site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    assert person.preferred_languages and person.availability and person.meeting_modes
    services.participant_erase(participant=person, by=site_coordinator, reason="Richiesta")
    person.refresh_from_db()
    assert person.preferred_languages == []
    assert person.meeting_modes == []
    assert person.availability == []
    assert person.mentor_gender == ""


@pytest.mark.parametrize("language", ["it", "en"])
def test_the_readable_export_shows_the_preferences_in_words(client, site_coordinator, language):
    person = make_participant(status="eligible", by=site_coordinator)
    participant_preferences_change(participant=person, data=NEEDS)
    client.force_login(person.user)
    html = unescape(client.get(f"/{language}/path/my-data/read/").content.decode())
    labels = (
        ("Lingue per gli incontri", "Come incontrarsi", "Quando sei disponibile")
        if language == "it"
        else ("Languages for the sessions", "How to meet", "When you are free")
    )
    for label, field in zip(labels, IN_WORDS[language], strict=True):
        assert f"<dt>{label}</dt><dd>{IN_WORDS[language][field]}</dd>" in html, field
    # The JSON download keeps the codes, for machines.
    data = client.get(f"/{language}/path/my-data/").json()
    assert data["profile"]["availability"] == ["0-morning", "4-evening"]


def test_staff_see_the_preferences_in_words_on_the_inspect_page(client, site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    participant_preferences_change(participant=person, data=NEEDS)
    sign_in(client, site_coordinator)
    html = unescape(
        client.get(f"/admin/coaching_participant/inspect/{person.pk}/").content.decode()
    )
    for words in IN_WORDS["it"].values():
        assert words in html
