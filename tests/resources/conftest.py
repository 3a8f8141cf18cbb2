"""Fixtures for the learning library: a library under the home page and a small course."""

import pytest

from tests.resources.factories import (
    LibraryIndexPageFactory,
    TopicFactory,
    build_course,
)


@pytest.fixture
def library(home_page):
    return LibraryIndexPageFactory(parent=home_page)


@pytest.fixture
def topic(db):
    return TopicFactory(name="Finanza e credito", slug="finanza-e-credito")


@pytest.fixture
def course(library, topic):
    """A course of three lessons; the last one ends with a quiz (pass mark 50%)."""
    return build_course(library=library, topic=topic)


@pytest.fixture
def lessons(course):
    from resources.selectors import course_lessons

    return course_lessons(course=course)
