"""The coordinator's participant page: decide beside the answers, tabs by task, actions only
when they apply, case notes and documents (issue 9, items 17-19)."""

import datetime
import html as html_module
import re
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from wagtail.users.models import UserProfile

from coaching import services
from coaching.models import AccessLog, CaseNote, Participant
from coaching.personal_data import personal_data_export
from coaching.services.notes import case_note_add, case_notes_read
from tests.coaching.factories import assign, enrol_assisted, make_participant, sign_in

pytestmark = pytest.mark.django_db


def _url(person, page="manage"):
    return f"/admin/coaching/participant/{person.pk}/{page}/"


def _page(response) -> str:
    return html_module.unescape(response.content.decode())


def _visible_text(markup: str) -> str:
    """The words a reader sees: no tags, so no class names or attributes."""
    return re.sub(r"<[^>]+>", " ", markup)


def _english(user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()


@pytest.fixture
def other_coordinator(other_site, user_with_role):
    return assign(user_with_role("Coordinator", is_staff=True), site=other_site)


# --- Deciding beside the answers (item 17) -------------------------------------------------


def test_the_decision_form_is_beside_the_answers(client, site_coordinator):
    person = make_participant(status="submitted")
    sign_in(client, site_coordinator)
    html = _page(client.get(_url(person)))
    answers = html.index("Le risposte")
    assert answers < html.index("Street food") < html.index('value="decide"')
    assert "Decisione sull'ammissibilità" in html
    assert "None" not in _visible_text(html)


def test_the_answers_page_shows_rome_times_and_no_none(client, site_coordinator):
    person = make_participant(status="submitted")
    Participant.objects.filter(pk=person.pk).update(
        submitted_at=datetime.datetime(2026, 1, 15, 10, 5, tzinfo=datetime.UTC),
        phone="",
    )
    sign_in(client, site_coordinator)
    html = _page(client.get(f"/admin/coaching_participant/inspect/{person.pk}/"))
    # 10:05 UTC is 11:05 in Rome in winter.
    assert "11:05" in html
    assert "10:05" not in html
    assert "None" not in _visible_text(html)
    assert "Non indicato" in html


def test_the_answers_page_in_english(client, site_coordinator):
    person = make_participant(status="submitted")
    Participant.objects.filter(pk=person.pk).update(
        submitted_at=datetime.datetime(2026, 7, 15, 10, 5, tzinfo=datetime.UTC)
    )
    _english(site_coordinator)
    sign_in(client, site_coordinator)
    html = _page(client.get(f"/admin/coaching_participant/inspect/{person.pk}/"))
    # Summer time: UTC+2.
    assert "12:05" in html
    assert "None" not in _visible_text(html)
    assert "Not given" in html
    assert "Non indicato" not in html


# --- Tabs and actions that apply (item 18) -------------------------------------------------


def test_the_page_is_grouped_in_tabs(client, site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    sign_in(client, site_coordinator)
    html = _page(client.get(_url(person)))
    for tab, title in [
        ("answers", "Risposte e decisione"),
        ("path", "Percorso"),
        ("notes", "Note sul caso"),
        ("documents", "Consensi e documenti"),
        ("account", "Account e dati personali"),
    ]:
        assert f'id="tab-{tab}"' in html
        assert f'href="#tab-{tab}"' in html
        assert title in html


def test_the_exit_form_is_only_for_people_on_the_path(client, site_coordinator):
    waiting = make_participant(status="submitted")
    on_path = make_participant(status="eligible", by=site_coordinator)
    sign_in(client, site_coordinator)
    assert 'value="exit"' not in _page(client.get(_url(waiting)))
    assert 'value="exit"' in _page(client.get(_url(on_path)))


def test_erase_now_only_when_the_person_asked(client, site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    sign_in(client, site_coordinator)
    html = _page(client.get(_url(person)))
    assert "Cancella ora" not in html
    assert "La persona non ha chiesto di cancellare i suoi dati." in html
    services.participant_request_erasure(participant=person)
    html = _page(client.get(_url(person)))
    assert "Cancella ora" in html


def test_moving_to_the_current_stage_says_nothing_changed(client, site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    moves = person.stage_changes.count()
    sign_in(client, site_coordinator)
    response = client.post(
        _url(person), {"action": "stage", "stage-to_stage": person.stage}, follow=True
    )
    html = _page(response)
    assert "è già nella fase" in html
    assert "non è cambiato nulla" in html
    assert "Salvato." not in html
    assert person.stage_changes.count() == moves


def test_moving_to_the_current_stage_in_english(client, site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    _english(site_coordinator)
    sign_in(client, site_coordinator)
    response = client.post(
        _url(person), {"action": "stage", "stage-to_stage": person.stage}, follow=True
    )
    assert "is already at the stage" in _page(response)


# --- Case notes -----------------------------------------------------------------------------


def test_a_coordinator_writes_and_reads_case_notes_and_both_are_logged(client, site_coordinator):
    person = make_participant(status="submitted")
    sign_in(client, site_coordinator)
    key = str(uuid.uuid4())
    data = {
        "action": "note",
        "note-text": "Ha portato il permesso di soggiorno.",
        "note-request_key": key,
    }
    assert client.post(_url(person), data).status_code == 302
    # The same form sent twice adds one note.
    response = client.post(_url(person), data, follow=True)
    assert "Questa nota era già stata salvata con il primo clic." in _page(response)
    assert CaseNote.objects.filter(participant=person).count() == 1
    assert AccessLog.objects.filter(participant=person, action="add_case_note").count() == 1

    reads = AccessLog.objects.filter(participant=person, action="view_case_notes").count()
    html = _page(client.get(_url(person)))
    assert "Ha portato il permesso di soggiorno." in html
    assert (
        AccessLog.objects.filter(participant=person, action="view_case_notes").count() == reads + 1
    )


def test_an_empty_note_is_refused_with_a_message(client, site_coordinator):
    person = make_participant(status="submitted")
    sign_in(client, site_coordinator)
    response = client.post(_url(person), {"action": "note", "note-text": "   "})
    assert response.status_code == 400
    assert "Scrivi la nota prima di salvarla." in _page(response)
    assert not CaseNote.objects.filter(participant=person).exists()


def test_another_sites_coordinator_can_neither_read_nor_write_notes(
    client, site_coordinator, other_coordinator, mentor
):
    person = make_participant(status="eligible", by=site_coordinator)
    case_note_add(participant=person, text="Segreto del caso", by=site_coordinator)
    sign_in(client, other_coordinator)
    assert client.get(_url(person), follow=True).status_code == 404
    response = client.post(_url(person), {"action": "note", "note-text": "Intrusione"}, follow=True)
    assert response.status_code == 404
    assert CaseNote.objects.filter(participant=person).count() == 1
    with pytest.raises(PermissionDenied):
        case_note_add(participant=person, text="Intrusione", by=other_coordinator)
    with pytest.raises(PermissionDenied):
        case_notes_read(participant=person, by=other_coordinator)
    # Nor does a mentor (their mentee page: ``tests/mentors/test_mentee_access.py``).
    with pytest.raises(PermissionDenied):
        case_notes_read(participant=person, by=mentor)


def test_case_notes_are_in_the_persons_export_and_their_text_goes_at_erasure(site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    note = case_note_add(participant=person, text="Telefonata del 3 marzo", by=site_coordinator)
    sections = personal_data_export(user=person.user, by=person.user)
    notes = [s for s in sections if s.title == "Note del coordinamento"]
    assert notes and "Telefonata del 3 marzo" in notes[0].rows[0][1]

    services.participant_request_erasure(participant=person)
    services.participant_erase(participant=person, by=site_coordinator)
    note.refresh_from_db()
    assert note.text == "" and note.erased_at is not None
    assert note.author == site_coordinator  # who wrote a note, and when, stays
    outcome = AccessLog.objects.get(participant=person, action="erase_participant")
    assert any("note sul caso" in item["what"] for item in outcome.details["erasure"])


# --- Documents ------------------------------------------------------------------------------


def test_the_persons_documents_are_listed(client, site_coordinator):
    enrol_assisted(client, site_coordinator)
    person = Participant.objects.get(assisted_by=site_coordinator)
    html = _page(client.get(_url(person)))
    documents = html.split('id="tab-documents"', 1)[1].split("</section>", 1)[0]
    assert "Modulo di consenso firmato" in documents
    assert "/it/path/staff/consent-document/" in documents


# --- Assisted enrolment (item 19) ------------------------------------------------------------


def test_assisted_consents_are_worded_for_the_staff_member(client, site_coordinator):
    sign_in(client, site_coordinator)
    html = _page(client.get("/it/path/staff/enrol/"))
    assert "La persona ha acconsentito a far vedere i suoi progressi al mentore" in html
    assert "La persona ha acconsentito a essere contattata dopo il percorso" in html
    assert "il mio mentore" not in html
    assert "Accetto" not in html


def test_assisted_consents_in_english(client, site_coordinator):
    sign_in(client, site_coordinator)
    html = _page(client.get("/en/path/staff/enrol/"))
    assert "The person agreed that their mentor can see their progress" in html
    assert "I agree" not in html
