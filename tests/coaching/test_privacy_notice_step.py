"""The consent step links the site's full privacy notice in the reader's language and asks
people to confirm they have read it; what is shared with whom is said precisely."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone, translation
from wagtail.models import Site

from coaching.models import ConsentRecord, Participant, PrivacyNotice
from coaching.selectors import current_privacy_notice
from portal_site.core.models import StandardPage
from tests.coaching.factories import make_participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(site, home_page, english_home, english_locale):
    page = StandardPage(slug="privacy", title="Informativa privacy", introduction="Come.")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    english = page.copy_for_translation(english_locale)
    english.title = "Privacy notice"
    english.save_revision().publish()
    return PrivacyNotice.objects.create(
        site=site,
        version="2026-01",
        page=page,
        published_at=timezone.now() - datetime.timedelta(minutes=1),
    )


def test_the_italian_consent_step_links_the_italian_notice_and_asks_if_it_was_read(client, notice):
    person = make_participant(answers=False)
    client.force_login(person.user)
    html = client.get("/it/path/join/consent/").content.decode()
    assert '<a href="/it/privacy/">Leggi l\'informativa completa</a>' in html
    assert "Versione 2026-01" in html
    assert "Ho letto l&#x27;informativa sulla privacy" in html
    assert "e la accetto" not in html
    assert "Leggila prima di andare avanti" in html


def test_the_english_consent_step_links_the_english_translation(client, notice):
    person = make_participant(answers=False)
    client.force_login(person.user)
    html = client.get("/en/path/join/consent/").content.decode()
    assert '<a href="/en/privacy/">Read the full privacy notice</a>' in html
    assert "I have read the privacy notice" in html
    assert "and I accept it" not in html
    assert "Ho letto" not in html


def test_not_confirming_the_reading_is_explained_and_nothing_is_recorded(client, notice):
    person = make_participant(answers=False)
    client.force_login(person.user)
    response = client.post(
        "/it/path/join/consent/", {"share_with_mentor": "on", "action": "continue"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Per continuare, conferma di aver letto l&#x27;informativa sulla privacy." in html
    assert not ConsentRecord.objects.filter(participant=person).exists()
    assert "checked" in html.split('name="share_with_mentor"')[1].split(">")[0]  # kept

    client.post("/it/path/join/consent/", {"privacy_notice": "on", "action": "continue"})
    record = ConsentRecord.objects.get(participant=person, kind="privacy_notice")
    assert record.granted and record.notice == notice


def test_the_undeclared_work_question_says_what_is_shared_with_whom(client):
    person = make_participant(answers=False)
    client.force_login(person.user)
    italian = client.get("/it/path/join/work/").content.decode()
    assert "mai data al fisco" not in italian
    assert "Nei resoconti per il Fondo sociale europeo plus (FSE+) viene solo contata" in italian
    assert "Il programma non invia le tue risposte all&#x27;Agenzia delle Entrate." in italian
    english = client.get("/en/path/join/work/").content.decode()
    assert "The programme does not send your answers to the tax authority" in english


def test_a_notice_page_link_changes_like_the_rest_of_the_accepted_text(notice):
    make_participant()  # accepts the notice in force
    notice.page = None
    with pytest.raises(ValidationError):
        notice.save()


def test_the_demo_notice_is_the_municipality_s_complete_notice_in_both_languages(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    site = Site.objects.get(is_default_site=True)
    notice = current_privacy_notice(site)
    assert notice.site == site and notice.page is not None
    with translation.override("it"):
        assert notice.full_text_url() == "/it/privacy/"
    with translation.override("en"):
        assert notice.full_text_url() == "/en/privacy/"
    italian = client.get("/it/privacy/").content.decode()
    for part in (
        "Comune di Esempio",  # the controller
        "Responsabile della protezione dei dati",
        "rpd@comune.esempio.it",
        "Regolamento (UE) 2021/1057",  # ESF+ reporting obligations
        "articolo 6, paragrafo 1, lettera c",
        "Per quanto tempo li conserviamo",
        "I tuoi diritti",
        "Garante per la protezione dei dati personali",
        "Il programma non invia i tuoi dati all'Agenzia delle Entrate",
    ):
        assert part in italian, part
    english = client.get("/en/privacy/").content.decode()
    for part in (
        "Municipality of Esempio",
        "Data protection officer (DPO)",
        "Regulation (EU) 2021/1057",
        "How long we keep it",
        "Your rights",
        "Complaints to the Garante",
        "does not send your data to the tax authority",
    ):
        assert part in english, part
    assert "Titolare" not in english
    # The demo participants read the municipality's own notice.
    amina = Participant.objects.get(user__email="amina.demo@example.org", site=site)
    record = ConsentRecord.objects.get(participant=amina, kind="privacy_notice")
    assert record.notice == notice
