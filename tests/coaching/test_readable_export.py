"""A person's data to read (HTML and PDF) beside the JSON download: labels in their language,
choices by their label, times in Europe/Rome, every registered app, only their own."""

import datetime
import re
import uuid

import pytest
from django.utils import formats, translation
from wagtail import hooks

from coaching.models import Participant
from coaching.personal_data import HOOK_NAME
from resources.models import Certificate, LessonCompletion
from resources.selectors import course_lessons
from tests.coaching.factories import make_participant
from tests.resources.factories import LibraryIndexPageFactory, TopicFactory, build_course

pytestmark = pytest.mark.django_db

PAGE = "/{language}/path/my-data/read/"
PDF = "/{language}/path/my-data/pdf/"


@pytest.fixture
def person(site_coordinator, home_page):
    person = make_participant(status="eligible", by=site_coordinator)
    Participant.objects.filter(pk=person.pk).update(
        submitted_at=datetime.datetime(2026, 1, 15, 23, 30, tzinfo=datetime.UTC)
    )
    Certificate.objects.create(
        user=person.user,
        course_key=uuid.uuid4(),
        recipient_name="Amina Diallo",
        course_title="Vendere online",
        completed_on=datetime.date(2026, 1, 15),
    )
    library = LibraryIndexPageFactory(parent=home_page)
    course = build_course(library=library, topic=TopicFactory(name="Fisco", slug="fisco"))
    first = course_lessons(course=course)[0]
    LessonCompletion.objects.create(
        user=person.user, lesson=first, lesson_key=first.translation_key
    )
    return person


def test_the_readable_page_is_italian_with_labels_not_codes(client, person):
    client.force_login(person.user)
    response = client.get(PAGE.format(language="it"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>I miei dati</h1>" in html
    assert "La tua partecipazione" in html
    # Choices by their label in Italian, never their code.
    assert "isced_2" not in html and "non_eu" not in html and "unemployed" not in html
    assert "<dt>Condizione lavorativa</dt><dd>Non ho un lavoro e lo cerco</dd>" in html
    assert "<dt>Titolo di studio più alto</dt><dd>Scuola media</dd>" in html
    assert "<dt>Bisogni</dt><dd>Un mentore, Mettere in regola" in html
    assert re.search(r"<dt>Mese di nascita</dt><dd>maggio</dd>", html, re.IGNORECASE)
    assert "Informativa sulla privacy letta" in html and "informativa versione " in html
    # Times in Europe/Rome: 23:30 UTC in January is 00:30 of the next day in Rome.
    assert "16/01/2026 00:30" in html
    # The library's data, through the registry: courses, lessons done, certificates.
    assert "<h2" in html and ">Corsi</h2>" in html
    assert "Dal lavoro nero alla partita IVA" in html
    assert "Lezioni completate: 1 su 3" in html
    assert ">Lezioni completate</h2>" in html and "Che cos&#x27;è la partita IVA" in html
    assert ">Attestati</h2>" in html and "Vendere online" in html and "15/01/2026" in html
    # Beside the readable page: the PDF and the machine-readable file.
    assert 'href="/it/path/my-data/pdf/"' in html and 'href="/it/path/my-data/"' in html
    assert "Certificates" not in html and "My data" not in html


def test_the_readable_page_is_english_on_the_english_site(client, person):
    client.force_login(person.user)
    html = client.get(PAGE.format(language="en")).content.decode()
    assert "<h1>My data</h1>" in html
    assert "Your participation in" in html
    assert ">Certificates</h2>" in html and "Vendere online" in html
    assert "<dt>Highest education</dt><dd>Lower secondary school (middle school)</dd>" in html
    assert re.search(r"<dt>Birth month</dt><dd>may</dd>", html, re.IGNORECASE)
    with translation.override("en"):
        rome = formats.date_format(datetime.datetime(2026, 1, 16, 0, 30), "SHORT_DATETIME_FORMAT")
    assert f"<dt>Submitted at</dt><dd>{rome}</dd>" in html
    assert "isced_2" not in html
    assert "I miei dati" not in html and "Attestati" not in html and "Consensi" not in html


def test_the_pdf_is_a_pdf_download_of_the_same_data(client, person):
    client.force_login(person.user)
    response = client.get(PDF.format(language="it"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="avvio-{person.reference}.pdf"'
    assert response.content.startswith(b"%PDF-")
    assert "no-store" in response["Cache-Control"]


def test_the_json_download_carries_the_section_intro(client, person):
    client.force_login(person.user)
    data = client.get("/it/path/my-data/").json()
    courses = next(s for s in data["sections"] if s["title"] == "Corsi")
    assert courses["intro"] == "I corsi che hai iniziato nella biblioteca, e a che punto sei."
    assert courses["data"][0]["lessons_done"] == 1 and courses["data"][0]["lessons"] == 3


def test_a_registered_app_s_labelled_section_is_on_the_page(client, person):
    class Bookings:
        key = "bookings"

        def export(self, *, user, by):
            return [
                {
                    "title": "Appuntamenti",
                    "intro": "Gli incontri che hai prenotato.",
                    "rows": [("Prossimo incontro", "martedì alle 10")],
                    "data": {"next": "tuesday-10"},
                }
            ]

        def erase(self, *, user, by, reason, now):
            return []

    client.force_login(person.user)
    with hooks.register_temporarily(HOOK_NAME, Bookings):
        html = client.get(PAGE.format(language="it")).content.decode()
    assert ">Appuntamenti</h2>" in html and "<p>Gli incontri che hai prenotato.</p>" in html
    assert "<dt>Prossimo incontro</dt><dd>martedì alle 10</dd>" in html
    assert "tuesday-10" not in html


def test_another_participant_sees_only_their_own_data(client, person, site_coordinator):
    other = make_participant(status="eligible", by=site_coordinator)
    client.force_login(other.user)
    for url in (PAGE.format(language="it"), PDF.format(language="it")):
        assert client.get(url).status_code == 200
    html = client.get(PAGE.format(language="it")).content.decode()
    assert other.reference in html
    assert person.reference not in html
    assert "Vendere online" not in html and "Dal lavoro nero" not in html


def test_signed_out_or_without_a_participation_there_is_no_page(client, user):
    for url in (PAGE.format(language="it"), PDF.format(language="it")):
        assert client.get(url).status_code == 302
    client.force_login(user)
    for url in (PAGE.format(language="it"), PDF.format(language="it")):
        assert client.get(url).status_code == 404


def test_the_page_names_the_municipality_never_the_host(client, person):
    site = person.site
    client.force_login(person.user)

    site.site_name = "Comune di Prova"
    site.save(update_fields=["site_name"])
    named = client.get(PAGE.format(language="it")).content.decode()
    site.site_name = ""
    site.save(update_fields=["site_name"])
    unnamed = client.get(PAGE.format(language="it")).content.decode()

    assert "La tua partecipazione a Comune di Prova" in named
    assert "La tua partecipazione al programma" in unnamed
    assert site.hostname not in unnamed.split("<main", 1)[1].split("</main>", 1)[0]
