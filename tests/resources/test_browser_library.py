"""The library on a 375 px phone in Chromium: the filters fold behind "Filter" (without
JavaScript too), quizzes and search results, and axe-core finds nothing, in Italian and English."""

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale

from resources.models import SearchSynonym
from tests import factories
from tests.resources.factories import (
    GuidePageFactory,
    LibraryIndexPageFactory,
    TopicFactory,
    TopicPageFactory,
    build_course,
)

pytestmark = pytest.mark.browser


def _translate(page, locale, title):
    translated = page.copy_for_translation(locale, copy_parents=True)
    translated.title = title
    translated.save_revision().publish()
    return translated


@pytest.fixture
def urls(db):
    home_page = factories.italian_home()
    factories.english_home(home_page)
    english = Locale.objects.get(language_code="en")
    library = LibraryIndexPageFactory(parent=home_page)
    topic = TopicFactory(name="Tasse e contributi", slug="tasse")
    english_topic = topic.copy_for_translation(english)
    english_topic.name = "Taxes and contributions"
    english_topic.save()
    course = build_course(library=library, topic=topic)
    lesson = course.course_lessons.order_by("sort_order").last().lesson
    guide = GuidePageFactory(
        parent=library, title="Guida al regime forfettario", summary="Le tasse."
    )
    guide.topics.add(topic)
    guide.save_revision().publish()
    SearchSynonym.objects.create(terms="forfetario, forfettario")
    topic_page = TopicPageFactory(parent=library, topic=topic, title="Tasse e contributi")
    english_library = _translate(library, english, "Library")
    english_course = _translate(course, english, "From undeclared work to a VAT number")
    english_lesson = _translate(lesson, english, "INPS contributions")
    _translate(guide, english, "Guide to the flat-rate regime")
    english_topic_page = _translate(topic_page, english, "Taxes and contributions")
    result = {}
    for language, library_page, course_page, lesson_page, topic_url in (
        ("it", library, course, lesson, topic_page.url),
        ("en", english_library, english_course, english_lesson, english_topic_page.url),
    ):
        with translation.override(language):
            search = reverse("search")
        result[language] = {
            "library": library_page.url,
            "filtered": f"{library_page.url}?level=beginner",
            "course": course_page.url,
            "topic": topic_url,
            "lesson": lesson_page.url,
            # Italian: a synonym finds the guide ("forfettario" in its title).
            "search": f"{search}?q={'forfetario' if language == 'it' else 'regime'}",
        }
    return result


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(viewport={"width": 375, "height": 740}, java_script_enabled=False)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.mark.parametrize("language", ["it", "en"])
def test_on_a_phone_the_filters_fold_behind_one_control(live_server, page, axe, urls, language):
    page.goto(live_server.url + urls[language]["library"])
    summary = page.locator("details.avvio-filter-options > summary")
    assert summary.inner_text().strip() == {"it": "Filtra", "en": "Filter"}[language]
    assert page.locator("input[name=q]").is_visible()
    assert not page.locator("select[name=level]").is_visible()
    # The first result is on the first screen, not below five dropdowns.
    first_card = page.locator(".avvio-resource-card").first
    assert first_card.bounding_box()["y"] < 740 * 1.5
    axe(page)
    summary.click()
    assert page.locator("select[name=level]").is_visible()
    axe(page)


@pytest.mark.parametrize("language", ["it", "en"])
def test_the_filters_open_without_javascript(live_server, no_js_page, urls, language):
    no_js_page.goto(live_server.url + urls[language]["library"])
    assert not no_js_page.locator("select[name=level]").is_visible()
    no_js_page.locator("details.avvio-filter-options > summary").click()
    no_js_page.select_option("select[name=level]", "beginner")
    no_js_page.get_by_role(
        "button", name={"it": "Mostra i risultati", "en": "Show results"}[language]
    ).click()
    assert "level=beginner" in no_js_page.url
    # With a filter in use the filters stay open.
    assert no_js_page.locator("select[name=level]").is_visible()
    summary = no_js_page.locator("details.avvio-filter-options > summary").inner_text()
    assert summary.strip() == {"it": "Filtra (1 attivo)", "en": "Filter (1 in use)"}[language]


@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize("name", ["filtered", "topic", "course", "lesson", "search"])
def test_no_axe_violations(live_server, page, axe, urls, language, name):
    response = page.goto(live_server.url + urls[language][name])
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == language
    axe(page)


@pytest.mark.parametrize("language", ["it", "en"])
def test_search_results_say_what_each_one_is(live_server, page, urls, language):
    page.goto(live_server.url + urls[language]["search"])
    title = {"it": "Guida al regime forfettario", "en": "Guide to the flat-rate regime"}[language]
    text = page.locator("main li", has_text=title).first.inner_text()
    assert {"it": "Guida", "en": "Guide"}[language] in text
    assert {"it": "Tasse e contributi", "en": "Taxes and contributions"}[language] in text
    assert "Le tasse." in text


@pytest.mark.parametrize("language", ["it", "en"])
def test_a_checked_quiz_is_accessible_and_keeps_its_order(live_server, page, axe, urls, language):
    page.goto(live_server.url + urls[language]["lesson"])
    labels = page.locator(".avvio-quiz fieldset").first.locator("label").all_inner_texts()
    # Bootstrap Italia draws the radio buttons on their labels: people tap the label.
    page.locator(".avvio-quiz fieldset").first.locator("label").first.click()
    page.locator(".avvio-quiz fieldset").nth(1).locator("label").first.click()
    page.get_by_role(
        "button", name={"it": "Controlla le mie risposte", "en": "Check my answers"}[language]
    ).click()
    assert page.locator(".avvio-quiz [role=status]").is_visible()
    after = page.locator(".avvio-quiz fieldset").first.locator("label").all_inner_texts()
    assert after == labels
    axe(page)
