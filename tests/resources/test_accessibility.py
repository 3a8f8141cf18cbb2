"""axe-core finds no WCAG 2.1 A/AA violation on the library's pages, in Italian and English."""

import pytest
from django.urls import reverse
from django.utils import translation

from resources import services
from tests.resources.factories import OpportunityPageFactory, TopicPageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _translate(page, locale):
    translation = page.copy_for_translation(locale, copy_parents=True)
    translation.title = f"{page.title} (EN)"
    translation.save_revision().publish()
    return translation


@pytest.fixture
def pages(library, course, lessons, topic, participant, english_home, english_locale):
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
def test_no_axe_violations(live_server, page, axe, pages, language, name):
    url = pages[language][name]
    assert url.startswith(f"/{language}/"), url
    response = page.goto(live_server.url + url)
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == language
    axe(page)
