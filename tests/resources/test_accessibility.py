"""axe-core finds no WCAG 2.1 A/AA violation on the library's pages, in Italian and English."""

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale

from resources import services
from resources.selectors import course_lessons
from tests import factories
from tests.resources.factories import (
    LibraryIndexPageFactory,
    OpportunityPageFactory,
    TopicFactory,
    TopicPageFactory,
    build_course,
)

pytestmark = pytest.mark.browser


def _translate(page, locale):
    translation = page.copy_for_translation(locale, copy_parents=True)
    translation.title = f"{page.title} (EN)"
    translation.save_revision().publish()
    return translation


@pytest.fixture(scope="module")
def pages(shared_db):
    """The library's pages in both languages, built once: the tests only read them."""
    home_page = factories.italian_home()
    factories.english_home(home_page)
    english_locale = Locale.objects.get(language_code="en")
    library = LibraryIndexPageFactory(parent=home_page)
    topic = TopicFactory(name="Finanza e credito", slug="finanza-e-credito")
    course = build_course(library=library, topic=topic)
    lessons = course_lessons(course=course)
    participant = factories.user_with_role("Participant")
    topic_page = TopicPageFactory(parent=library, topic=topic, title="Finanza e credito")
    opportunity = OpportunityPageFactory(parent=library, title="Bando per nuove imprese")
    opportunity.topics.add(topic)
    opportunity.save_revision().publish()
    for lesson in lessons:
        services.lesson_mark_done(user=participant, lesson=lesson)
    services.quiz_submit(
        user=participant,
        page=lessons[2],
        block_id="quiz-1",
        quiz=lessons[2].body[1].value,
        data={"q0": "0", "q1": "0"},
    )
    certificate = participant.course_certificates.get()
    topic.copy_for_translation(english_locale).save()
    italian = {
        "library": f"{library.url}?topic={topic.slug}&level=beginner",
        "topic": topic_page.url,
        "course": course.url,
        "lesson": lessons[2].url,
        "opportunity": opportunity.url,
    }
    english_library = _translate(library, english_locale)
    english_course = _translate(course, english_locale)
    english = {
        "library": f"{english_library.url}?topic={topic.slug}&format=coursepage",
        "topic": _translate(topic_page, english_locale).url,
        "course": english_course.url,
        "lesson": _translate(lessons[2], english_locale).url,
        "opportunity": _translate(opportunity, english_locale).url,
    }
    for language, urls in (("it", italian), ("en", english)):
        with translation.override(language):
            urls["certificate"] = reverse(
                "resources:certificate_verify", kwargs={"certificate_id": certificate.pk}
            )
    return {"it": italian, "en": english}


@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize(
    "name", ["library", "topic", "course", "lesson", "opportunity", "certificate"]
)
def test_no_axe_violations(shared_live_server, page, axe, pages, language, name):
    url = pages[language][name]
    assert url.startswith(f"/{language}/"), url
    response = page.goto(shared_live_server.url + url)
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == language
    axe(page)
