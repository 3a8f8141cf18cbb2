"""The demo library loads, is complete in both languages, and loading twice changes nothing."""

import io

import pytest
from wagtail.models import Page, Revision

from resources import demo
from resources.models import CoursePage, LessonPage, OpportunityPage, Topic

pytestmark = pytest.mark.django_db


def counts():
    return (
        Page.objects.count(),
        Topic.objects.count(),
        CoursePage.objects.count(),
        LessonPage.objects.count(),
        Revision.objects.count(),
    )


def test_demo_is_complete_bilingual_and_idempotent(client, site, home_page, english_home):
    out = io.StringIO()
    result = demo.load(site=site, home_page=home_page, users={}, stdout=out)
    first = counts()
    demo.load(site=site, home_page=home_page, users={}, stdout=io.StringIO())
    assert counts() == first
    assert "3 courses" in out.getvalue()

    assert Topic.objects.filter(locale__language_code="it").count() >= 7
    italian_courses = CoursePage.objects.live().filter(locale__language_code="it")
    assert italian_courses.count() >= 3
    for course in result["courses"]:
        assert course.course_lessons.count() >= 4
        english = course.get_translation(Page.objects.get(pk=english_home.pk).locale)
        assert english.live and english.title != course.title
        assert client.get(course.url).status_code == 200
        assert client.get(english.url).status_code == 200
    assert OpportunityPage.objects.live().count() >= 4
    library = result["library"]
    assert client.get(library.url, {"topic": "basi-legali-e-fiscali"}).status_code == 200
