"""Browsing the library: filters combine, search, pagination, feeds, what's new, print view."""

import datetime

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.resources.factories import (
    CoursePageFactory,
    GuidePageFactory,
    LessonPageFactory,
    OpportunityPageFactory,
    TopicFactory,
    TopicPageFactory,
    paragraph,
    stream,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(library):
    green = TopicFactory(name="Transizione verde", slug="transizione-verde")
    digital = TopicFactory(name="Transizione digitale", slug="transizione-digitale")
    pages = {
        "green_guide_short": GuidePageFactory(
            parent=library,
            title="Riparare invece di buttare",
            level="beginner",
            duration_minutes=10,
        ),
        "green_guide_long": GuidePageFactory(
            parent=library,
            title="Audit energetico per artigiani",
            level="advanced",
            duration_minutes=90,
        ),
        "digital_lesson": LessonPageFactory(
            parent=library,
            title="La fattura elettronica",
            level="beginner",
            duration_minutes=12,
            content_language="en",
        ),
        "digital_course": CoursePageFactory(
            parent=library,
            title="Vendere online",
            level="beginner",
            duration_minutes=120,
        ),
    }
    for key, page in pages.items():
        page.topics.add(green if key.startswith("green") else digital)
        page.save_revision().publish()
    return pages, green, digital


def titles(response) -> set[str]:
    return {card.page.title for card in response.context["cards"]}


def test_filters_combine(client, library, catalogue):
    _pages, green, digital = catalogue
    url = library.url
    assert titles(client.get(url, {"topic": green.slug})) == {
        "Riparare invece di buttare",
        "Audit energetico per artigiani",
    }
    assert titles(client.get(url, {"topic": green.slug, "level": "beginner"})) == {
        "Riparare invece di buttare"
    }
    assert titles(client.get(url, {"topic": digital.slug, "format": "lessonpage"})) == {
        "La fattura elettronica"
    }
    assert titles(client.get(url, {"topic": digital.slug, "duration": "short"})) == {
        "La fattura elettronica"
    }
    assert titles(client.get(url, {"level": "beginner", "language": "en"})) == {
        "La fattura elettronica"
    }
    assert titles(client.get(url, {"duration": "long", "format": "coursepage"})) == {
        "Vendere online"
    }
    assert titles(client.get(url, {"topic": green.slug, "format": "coursepage"})) == set()


def test_search_combines_with_filters(client, library, catalogue):
    pages, green, _ = catalogue
    lesson = pages["digital_lesson"]
    lesson.body = stream(paragraph("Come emettere la fattura elettronica con lo SdI."))
    lesson.save_revision().publish()
    response = client.get(library.url, {"q": "fattura"})
    assert "La fattura elettronica" in titles(response)
    assert titles(client.get(library.url, {"q": "fattura", "topic": green.slug})) == set()


def test_bad_filter_values_are_reported_not_fatal(client, library, catalogue):
    response = client.get(library.url, {"level": "expert", "topic": "transizione-verde"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-describedby="id_level-error"' in html
    assert len(titles(response)) == 2  # the valid filter still applies


def test_pagination(client, library, settings):
    settings.RESOURCES_PAGE_SIZE = 2
    for number in range(5):
        GuidePageFactory(parent=library, title=f"Guida {number}")
    first = client.get(library.url)
    assert len(first.context["cards"]) == 2
    assert first.context["page_obj"].paginator.num_pages == 3
    last = client.get(library.url, {"page": 3})
    assert len(last.context["cards"]) == 1
    assert client.get(library.url, {"page": "zzz"}).status_code == 200


def test_whats_new_shows_newest_first(client, library, catalogue):
    response = client.get(library.url)
    assert response.context["whats_new"][0].page.title == "Vendere online"
    assert "whats_new" not in client.get(library.url, {"level": "beginner"}).context


def test_library_query_count_does_not_grow_with_content(client, library, catalogue):
    topic = catalogue[1]
    counts = []
    for round_ in range(2):
        for number in range(6):
            page = GuidePageFactory(parent=library, title=f"Guida extra {round_}-{number}")
            page.topics.add(topic)
            page.save_revision().publish()
        client.get(library.url)  # warm caches (content types, site root paths)
        with CaptureQueriesContext(connection) as queries:
            client.get(library.url, {"topic": topic.slug})
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_topic_page_lists_its_content(client, library, catalogue):
    _, green, _ = catalogue
    topic_page = TopicPageFactory(parent=library, topic=green, title="Transizione verde")
    response = client.get(topic_page.url)
    assert response.status_code == 200
    assert titles(response) == {"Riparare invece di buttare", "Audit energetico per artigiani"}


def test_related_content_and_reading_time(client, library, catalogue):
    pages, _, _ = catalogue
    guide = pages["green_guide_short"]
    guide.body = stream(paragraph(" ".join(["parola"] * 450)))
    guide.duration_minutes = None
    guide.save_revision().publish()
    guide.refresh_from_db()
    assert guide.reading_minutes == 3
    response = client.get(guide.url)
    assert [card.page.title for card in response.context["related"]] == [
        "Audit energetico per artigiani"
    ]


def test_print_view_has_no_javascript(client, lessons):
    response = client.get(reverse("resources:lesson_print", kwargs={"page_id": lessons[0].pk}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script" not in html and "print.css" in html and "partita IVA</h1>" in html


def test_opportunity_feeds(client, library):
    OpportunityPageFactory(parent=library, title="Bando Resto al Sud")
    rss = client.get(reverse("resources:opportunities_rss"))
    atom = client.get(reverse("resources:opportunities_atom"))
    assert rss.status_code == atom.status_code == 200
    assert "Bando Resto al Sud" in rss.content.decode()
    assert "http://www.w3.org/2005/Atom" in atom.content.decode()


def test_upcoming_opportunities_tag(library, home_page):
    today = datetime.date.today()
    OpportunityPageFactory(parent=library, title="Chiuso", deadline=today - datetime.timedelta(1))
    OpportunityPageFactory(
        parent=library, title="Tra un mese", deadline=today + datetime.timedelta(30)
    )
    OpportunityPageFactory(parent=library, title="Domani", deadline=today + datetime.timedelta(1))
    html = Template("{% load resources_tags %}{% upcoming_opportunities %}").render(
        Context({"request": RequestFactory().get("/")})
    )
    assert "Chiuso" not in html
    assert html.index("Domani") < html.index("Tra un mese")


def test_every_page_type_renders(client, library, catalogue, lessons, topic):
    opportunity = OpportunityPageFactory(parent=library)
    topic_page = TopicPageFactory(parent=library, topic=topic)
    for page in [
        library,
        topic_page,
        lessons[0].get_parent(),
        lessons[0],
        opportunity,
        catalogue[0]["green_guide_short"],
    ]:
        assert client.get(page.url).status_code == 200, page
