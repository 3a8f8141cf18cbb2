"""The participant's first use of the intake (issue 9, items 4, 5, 6 and 8): the name they use,
next steps that follow the application, the receipt, a review of every answer, one count."""

import re
from html import unescape

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from coaching import selectors, services
from coaching.conf import app_settings
from coaching.intake import STEPS
from coaching.models import (
    ChecklistItem,
    Housing,
    LabourStatus,
    Notification,
    Participant,
    Stage,
)
from coaching.personal_data import personal_data_export
from coaching.services.intake import application_receipt_send
from tests.coaching.factories import COMPLETE_ANSWERS, make_participant, sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CONTACT = {
    "preferred_name": "Amina",
    "legal_name": "",
    "phone": "333 1234567",
    "municipality": "Napoli",
    "languages": "Italiano, Wolof",
}


def _nameless(**extra):
    """Someone who signed up with an e-mail address only, as on the public sign-up form."""
    return UserFactory(first_name="", last_name="", **extra)


def _start(client, user):
    client.force_login(user)
    client.post("/it/path/join/")
    return Participant.objects.get(user=user)


# --- Item 4: the name ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "question", "error"),
    [
        ("it", "Come vuoi che ti chiamiamo?", "Scrivi il nome con cui vuoi che ti chiamiamo"),
        ("en", "What name should we call you?", "Write the name we should call you"),
    ],
)
def test_the_first_step_asks_the_name_people_use_and_requires_it(
    client, site, language, question, error
):
    user = _nameless()
    _start(client, user)
    page = client.get(f"/{language}/path/join/contact/").content.decode()
    assert question in page
    # Asked before the other questions of the step.
    assert page.index('name="preferred_name"') < page.index('name="phone"')
    response = client.post(f"/{language}/path/join/contact/", {**CONTACT, "preferred_name": " "})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_preferred_name_error"' in html and error in html
    assert 'value="333 1234567"' in html  # nothing typed is lost


def test_the_legal_name_is_optional_and_both_names_are_kept(client, site):
    user = _nameless()
    _start(client, user)
    assert client.post("/it/path/join/contact/", CONTACT).status_code == 302
    person = Participant.objects.get(user=user)
    assert (person.preferred_name, person.legal_name) == ("Amina", "")
    client.post("/it/path/join/contact/", {**CONTACT, "legal_name": "Aminata  Diallo"})
    person.refresh_from_db()
    assert person.legal_name == "Aminata  Diallo"
    assert person.full_name == "Amina (Aminata  Diallo)"


def test_a_name_without_letters_is_refused_with_its_message(client, site):
    _start(client, _nameless())
    response = client.post("/it/path/join/contact/", {**CONTACT, "preferred_name": "123"})
    assert response.status_code == 400
    assert "Scrivi il nome con cui vuoi che ti chiamiamo" in response.content.decode()


def _italian_greeting(name: str) -> str:
    with translation.override("it"):
        greeting = gettext("Hello %(name)s,") % {"name": name}
    assert not greeting.startswith("Hello")
    return greeting


def test_the_acceptance_email_greets_the_person_by_the_name_they_gave(
    site, site_coordinator, django_capture_on_commit_callbacks
):
    user = _nameless(preferred_language="it")
    person = make_participant(user=user, status="submitted")
    assert person.preferred_name == COMPLETE_ANSWERS["contact"]["preferred_name"] == "Amina"
    with django_capture_on_commit_callbacks(execute=True):
        services.participant_decide(
            participant=person, eligible=True, reason="", by=site_coordinator
        )
    (message,) = mail.outbox
    assert message.body.startswith(_italian_greeting("Amina"))
    assert " ," not in message.body.splitlines()[0]


def test_the_coordinators_list_names_people_and_never_shows_their_email(
    client, site, site_coordinator
):
    person = make_participant(user=_nameless(), status="submitted")
    sign_in(client, site_coordinator)
    page = client.get("/admin/coaching_participant/").content.decode()
    assert "Amina" in page
    assert person.user.email not in page
    found = client.get("/admin/coaching_participant/?q=Amina").content.decode()
    assert person.reference in found


def test_the_export_lists_both_names_and_erasure_removes_them(site, site_coordinator):
    person = make_participant(user=_nameless(), status="submitted")
    Participant.objects.filter(pk=person.pk).update(legal_name="Aminata Diallo")
    from django.utils import translation

    with translation.override("it"):
        sections = personal_data_export(user=person.user, by=person.user)
    rows = dict(row for section in sections for row in section.rows)
    assert rows["Nome usato"] == "Amina"
    assert rows["Nome sul documento d'identità"] == "Aminata Diallo"
    services.participant_erase(participant=person, by=site_coordinator, reason="Asked by phone")
    person.refresh_from_db()
    assert (person.preferred_name, person.legal_name) == ("", "")
    assert person.full_name == person.reference


def test_assisted_enrolment_greets_by_the_first_name_staff_wrote(client, site_coordinator):
    from tests.coaching.factories import enrol_assisted

    enrol_assisted(client, site_coordinator)
    person = Participant.objects.get(user__first_name="Amina")
    assert person.preferred_name == "Amina"
    assert person.full_name == "Amina Diallo"


# --- Item 5: next steps follow the application; the receipt ------------------------------


def _submit(client, person, language="it"):
    for step, data in COMPLETE_ANSWERS.items():
        if step not in person.completed_steps:
            services.intake_save_step(participant=person, step=step, data=data, by=person.user)
    return client.post(f"/{language}/path/join/review/")


@pytest.mark.parametrize(
    ("language", "subject", "greeting", "when"),
    [
        ("it", "Abbiamo ricevuto la tua domanda", "it", "entro 10 giorni lavorativi"),
        ("en", "We have received your application", "Hello Amina,", "within 10 working days"),
    ],
)
def test_sending_the_application_sends_one_plain_receipt_in_the_persons_language(
    client, site, django_capture_on_commit_callbacks, language, subject, greeting, when
):
    user = _nameless(preferred_language=language)
    person = _start(client, user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _submit(client, person, language)
        again = client.post(f"/{language}/path/join/review/")
    assert response["Location"] == f"/{language}/path/dashboard/"
    assert again["Location"] == f"/{language}/path/dashboard/"
    (message,) = mail.outbox
    assert message.subject == subject
    assert message.body.startswith(_italian_greeting("Amina") if greeting == "it" else greeting)
    assert when in message.body
    assert message.alternatives == []  # plain text only
    assert person.reference in message.body
    assert f"/{language}/path/dashboard/" in message.body
    assert Notification.objects.filter(participant=person).count() == 1


def test_a_receipt_waiting_in_the_queue_is_not_sent_after_a_decision(site, site_coordinator):
    person = make_participant(status="submitted")
    sent_at = person.submitted_at.isoformat()
    services.participant_decide(participant=person, eligible=True, reason="", by=site_coordinator)
    mail.outbox.clear()
    assert application_receipt_send(participant_id=person.pk, submitted_at=sent_at) is False
    assert mail.outbox == []


def test_the_expected_reply_date_counts_working_days_only(site, settings):
    import datetime

    from django.utils import timezone

    person = make_participant(status="submitted")
    friday = timezone.make_aware(datetime.datetime(2026, 3, 6, 10, 0))
    Participant.objects.filter(pk=person.pk).update(submitted_at=friday)
    person.refresh_from_db()
    assert app_settings.DECISION_WORKING_DAYS == 10
    assert selectors.decision_expected_by(person) == datetime.date(2026, 3, 20)
    settings.COACHING_DECISION_WORKING_DAYS = 1
    assert selectors.decision_expected_by(person) == datetime.date(2026, 3, 9)


@pytest.fixture
def checklists(site):
    ChecklistItem.objects.create(stage=Stage.INTAKE, text="Completa tutti i passi della domanda")
    ChecklistItem.objects.create(stage=Stage.ORIENTATION, text="Vieni all'incontro di benvenuto")


def _next_steps(client, user) -> str:
    client.force_login(user)
    html = unescape(client.get("/it/path/dashboard/").content.decode())
    match = re.search(r'<h2 id="next-title".*?</section>', html, re.S)
    return match.group(0) if match else html


def test_the_dashboard_of_a_draft_says_to_continue(client, checklists):
    person = make_participant(answers=False)
    html = _next_steps(client, person.user)
    assert "Continua la mia domanda" in html
    assert "La tua domanda non è ancora finita." in html


def test_after_sending_the_next_steps_say_what_happens_and_roughly_when(client, checklists):
    person = make_participant(status="submitted")
    html = _next_steps(client, person.user)
    assert "Completa tutti i passi della domanda" not in html
    expected = selectors.decision_expected_by(person)
    assert "entro 10 giorni lavorativi" in html
    assert f"entro il {expected.day} " in html
    assert "Vedi e correggi le mie risposte" in html


def test_the_page_after_sending_says_a_receipt_was_sent(client, site):
    person = _start(client, _nameless())
    response = _submit(client, person)
    page = client.get(response["Location"]).content.decode()
    assert "La tua domanda è stata inviata. Ti abbiamo mandato una conferma di ricezione." in page
    assert "Cosa succede ora" in page


def test_on_the_path_the_next_steps_are_the_stages_checklist(client, site_coordinator, checklists):
    person = make_participant(status="eligible", by=site_coordinator)
    html = _next_steps(client, person.user)
    assert "Vieni all'incontro di benvenuto" in html
    assert "Completa tutti i passi della domanda" not in html
    assert "giorni lavorativi" not in html


def test_after_a_decline_the_next_step_is_to_correct_and_send_again(
    client, site_coordinator, checklists
):
    person = make_participant(status="declined", by=site_coordinator)
    html = _next_steps(client, person.user)
    assert "Correggi e invia di nuovo" in html
    assert "Completa tutti i passi della domanda" not in html
    review = client.get("/it/path/join/review/").content.decode()
    assert "Invia di nuovo la mia domanda" in review


def test_after_the_exit_the_dashboard_says_the_path_is_finished(client, site_coordinator):
    import datetime

    from django.utils import timezone

    person = make_participant(status="eligible", by=site_coordinator)
    services.participant_exit(
        participant=person,
        by=site_coordinator,
        exit_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    html = _next_steps(client, person.user)
    assert "Hai concluso il percorso" in html


# --- Item 6: the review --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected", "not_given"),
    [
        ("it", ["Cibo e ristorazione", "Un mentore", "Scuola media"], "Non indicato"),
        ("en", ["Food and catering", "A mentor", "Lower secondary school"], "Not given"),
    ],
)
def test_the_review_shows_every_answer_by_step_in_words_with_an_edit_link(
    client, site, language, expected, not_given
):
    person = make_participant(user=_nameless())
    services.intake_save_step(
        participant=person,
        step="needs",
        data=COMPLETE_ANSWERS["needs"],
        by=person.user,
    )
    client.force_login(person.user)
    html = client.get(f"/{language}/path/join/review/").content.decode()
    for step in STEPS:
        assert f'id="review-{step.key}"' in html, step.key
        assert f'href="/{language}/path/join/{step.key}/"' in html, step.key
    with translation.override(language):
        # The labels as the catalogue of the page's language words them.
        labels = [str(LabourStatus.UNEMPLOYED.label), str(Housing.INSECURE.label)]
    html = unescape(html)
    for text in [*expected, *labels]:
        assert text in html, text
    assert not_given in html
    for code in ("unemployed", "isced_2", "food", "None"):
        assert f"<dd>{code}</dd>" not in html
    assert "None" not in html
    assert "333 1234567" in html and "Amina" in html and "Street food" in html


@pytest.mark.parametrize("status", ["submitted", "eligible"])
def test_a_sent_or_accepted_application_has_no_send_button_and_a_post_does_nothing(
    client, site_coordinator, django_capture_on_commit_callbacks, status
):
    person = make_participant(status=status, by=site_coordinator)
    before = Participant.objects.get(pk=person.pk)
    client.force_login(person.user)
    html = client.get("/it/path/join/review/").content.decode()
    assert "Invia la mia domanda" not in html
    assert "Invia di nuovo la mia domanda" not in html
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/it/path/join/review/")
    assert response["Location"] == "/it/path/dashboard/"
    after = Participant.objects.get(pk=person.pk)
    assert (after.status, after.submitted_at) == (before.status, before.submitted_at)
    assert mail.outbox == []


def test_staff_see_the_special_answers_only_on_their_own_page(client, site_coordinator):
    person = make_participant(status="submitted")
    services.intake_save_step(
        participant=person,
        step="special",
        data={"disability": "yes", "minority": "roma_sinti_camminanti"},
        by=person.user,
    )
    client.force_login(person.user)
    own = client.get("/it/path/join/review/").content.decode()
    assert "Sì: rom, sinti o caminanti" in own
    sign_in(client, site_coordinator)
    html = client.get(f"/it/path/staff/{person.pk}/review/").content.decode()
    assert 'id="review-special"' in html
    assert "Queste risposte si vedono solo nella loro pagina" in html


def test_another_person_can_neither_see_nor_send_someone_elses_application(client, site):
    person = make_participant()
    other = _nameless()
    client.force_login(other)
    assert client.get("/it/path/join/review/").status_code == 404
    assert client.post("/it/path/join/review/").status_code == 404
    services.participant_start(user=other, site=site)
    html = client.get("/it/path/join/review/").content.decode()
    assert "Street food" not in html and "333 1234567" not in html
    client.post("/it/path/join/review/")
    assert Participant.objects.get(pk=person.pk).status == Participant.Status.DRAFT


# --- Item 8: one step count ----------------------------------------------------------------


def _counter(client, step, language="it") -> str:
    html = client.get(f"/{language}/path/join/{step}/").content.decode()
    return re.search(r"(Passo|Step) \d+ (di|of) \d+", html).group(0)


def test_the_step_count_does_not_change_when_the_optional_step_appears(client, site):
    total = len(STEPS)
    _start(client, _nameless())
    assert _counter(client, "contact") == f"Passo 1 di {total}"
    assert _counter(client, "consent") == f"Passo 7 di {total}"
    client.post("/it/path/join/consent/", {"privacy_notice": "on", "special_category": "on"})
    assert _counter(client, "consent") == f"Passo 7 di {total}"
    assert _counter(client, "special") == f"Passo 8 di {total}"
    assert _counter(client, "special", "en") == f"Step 8 of {total}"


def test_the_list_of_steps_shows_the_optional_step_as_asked_only_with_consent(client, site):
    _start(client, _nameless())
    html = client.get("/it/path/join/contact/").content.decode()
    assert html.count('class="avvio-path__step') == len(STEPS)
    assert "Solo con il consenso" in html
    client.post("/it/path/join/consent/", {"privacy_notice": "on", "special_category": "on"})
    html = client.get("/it/path/join/contact/").content.decode()
    assert html.count('class="avvio-path__step') == len(STEPS)
    assert "Solo con il consenso" not in html


def test_the_start_page_lists_as_many_steps_as_the_count(client, participant, site):
    client.force_login(participant)
    html = client.get("/it/path/join/").content.decode()
    listed = re.search(r"<ol>(.*?)</ol>", html, re.S).group(1)
    assert listed.count("<li>") == len(STEPS)
    assert "facoltativo, solo se sei d'accordo" in listed


def test_skipping_the_optional_questions_leads_to_the_review(client, site):
    person = make_participant(user=_nameless())
    client.force_login(person.user)
    response = client.post("/it/path/join/special/", {"action": "skip"})
    assert response["Location"] == "/it/path/join/review/"
    assert "special" in Participant.objects.get(pk=person.pk).completed_steps
