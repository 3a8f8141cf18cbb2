"""Editors cannot build a page tree the site cannot render."""

import pytest
from wagtail.models import Page

from resources.models import (
    CoursePage,
    GuidePage,
    LessonPage,
    LibraryIndexPage,
    OpportunityPage,
    ResourcePage,
    TopicPage,
)
from tests.resources.factories import (
    GuidePageFactory,
    LessonPageFactory,
    OpportunityPageFactory,
    TopicPageFactory,
)

pytestmark = pytest.mark.django_db

LEAVES = [TopicPage, GuidePage, OpportunityPage, LessonPage]


def test_library_goes_under_the_home_page_only(home_page, root_page, library, course):
    assert LibraryIndexPage.allowed_parent_page_models() == [type(home_page)]
    assert not LibraryIndexPage.can_create_at(root_page)
    assert not LibraryIndexPage.can_create_at(course)
    # One library per home page (each language has its own home page).
    assert not LibraryIndexPage.can_create_at(home_page)


def test_library_holds_topics_courses_lessons_guides_and_opportunities(library):
    assert set(LibraryIndexPage.allowed_subpage_models()) == {
        TopicPage,
        CoursePage,
        LessonPage,
        GuidePage,
        OpportunityPage,
    }
    for model in LibraryIndexPage.allowed_subpage_models():
        assert model.can_create_at(library)


def test_content_pages_cannot_be_created_outside_the_library(home_page):
    for model in [CoursePage, *LEAVES]:
        assert not model.can_create_at(home_page), model


def test_courses_hold_only_lessons(course):
    assert CoursePage.allowed_subpage_models() == [LessonPage]
    assert LessonPage.can_create_at(course)
    for model in [CoursePage, GuidePage, OpportunityPage, TopicPage, LibraryIndexPage]:
        assert not model.can_create_at(course), model


def test_leaf_pages_have_no_children(library, lessons, topic):
    pages = [
        lessons[0],
        GuidePageFactory(parent=library),
        OpportunityPageFactory(parent=library),
        TopicPageFactory(parent=library, topic=topic),
        LessonPageFactory(parent=library),
    ]
    for page in pages:
        assert page.specific_class.allowed_subpage_models() == []
        for model in [CoursePage, *LEAVES, LibraryIndexPage]:
            assert not model.can_create_at(page), (model, page)


def test_the_shared_resource_base_is_never_creatable(library, root_page):
    assert not ResourcePage.is_creatable
    assert ResourcePage not in Page.creatable_subpage_models()
    assert not ResourcePage.can_create_at(library)
