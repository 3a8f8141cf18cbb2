"""The demo library loads, is complete in both languages, and loading twice changes nothing;
a re-run creates what is missing and keeps what editors changed."""

import io
import tomllib
from pathlib import Path

import pytest
from wagtail.models import Page, Revision

from resources import demo
from resources.models import (
    CourseLesson,
    CoursePage,
    GuidePage,
    LessonPage,
    OpportunityPage,
    Topic,
)

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


def _italian(model, slug):
    return model.objects.get(slug=slug, locale__language_code="it")


def test_a_rerun_keeps_an_editors_changes(site, home_page, english_locale):
    demo.load(site=site, home_page=home_page)
    guide = _italian(GuidePage, "microcredito-e-finanziamenti")
    guide.title = "Microcredito: la guida dello sportello"
    del guide.body[1:]
    guide.topics.set([_italian(Topic, "finanza-e-credito")])
    guide.save_revision().publish()
    english_guide = guide.get_translation(english_locale).specific
    english_guide.summary = "Small loans, explained by the desk."
    english_guide.save_revision().publish()
    _italian(OpportunityPage, "repair-cafe-in-comune").unpublish()
    topic = _italian(Topic, "finanza-e-credito")
    topic.name = "Soldi e credito"
    topic.save()

    demo.load(site=site, home_page=home_page)

    guide = _italian(GuidePage, "microcredito-e-finanziamenti")
    assert guide.title == "Microcredito: la guida dello sportello"
    assert len(guide.body) == 1
    assert [topic.slug for topic in guide.topics.all()] == ["finanza-e-credito"]
    english_guide = guide.get_translation(english_locale).specific
    assert english_guide.summary == "Small loans, explained by the desk."
    assert not _italian(OpportunityPage, "repair-cafe-in-comune").live
    assert _italian(Topic, "finanza-e-credito").name == "Soldi e credito"


def test_a_rerun_creates_a_deleted_demo_page_again(site, home_page, english_locale):
    demo.load(site=site, home_page=home_page)
    course = _italian(CoursePage, "vendere-online")
    order = [row.lesson.slug for row in course.course_lessons.order_by("sort_order")]
    lesson = LessonPage.objects.child_of(course).get(slug="pagamenti-digitali")
    # As the admin's delete does: the page goes with its translation.
    lesson.get_translation(english_locale).delete()
    lesson.delete()
    guide = _italian(GuidePage, "prepararsi-allincontro-con-il-commercialista")
    guide.get_translation(english_locale).delete()
    guide.delete()

    demo.load(site=site, home_page=home_page)

    lesson = LessonPage.objects.child_of(course).get(slug="pagamenti-digitali")
    assert lesson.live and lesson.get_translation(english_locale).live
    assert lesson.body.raw_data[0]["id"] == "pagamenti-digitali-0"
    assert [row.lesson.slug for row in CourseLesson.objects.filter(course=course)] == order
    assert CoursePage.objects.get(pk=course.pk).live
    guide = _italian(GuidePage, "prepararsi-allincontro-con-il-commercialista")
    assert guide.live and guide.get_translation(english_locale).live
    assert {topic.slug for topic in guide.topics.all()} == {
        "basi-legali-e-fiscali",
        "competenze-per-la-vita",
    }


def test_every_data_file_ships_with_the_package():
    """The YAML files are package data: a wheel without them would load an empty demo."""
    root = Path(demo.__file__).resolve().parent
    config = tomllib.loads((root.parents[1] / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["resources.demo"]
    shipped = {path for pattern in patterns for path in root.glob(pattern)}
    data_files = {
        path for path in root.rglob("*") if path.is_file() and path.suffix not in {".py", ".pyc"}
    }
    assert data_files - shipped == set()
    assert {path.name for path in shipped} >= {"library.yaml", "guides.yaml", "01-legal.yaml"}
