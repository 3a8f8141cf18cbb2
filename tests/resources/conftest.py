"""Fixtures for the learning library: a library under the home page and a small course."""

import pytest

from tests.resources.factories import (
    CoursePageFactory,
    LessonPageFactory,
    LibraryIndexPageFactory,
    TopicFactory,
    add_lessons,
    paragraph,
    quiz_block,
    stream,
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
    course = CoursePageFactory(parent=library, title="Dal lavoro nero alla partita IVA")
    course.topics.add(topic)
    course.save_revision().publish()
    lessons = [
        LessonPageFactory(parent=course, title="Che cos'è la partita IVA"),
        LessonPageFactory(parent=course, title="Il regime forfettario"),
        LessonPageFactory(
            parent=course,
            title="I contributi INPS",
            body=stream(paragraph("Chi lavora in proprio paga i contributi."), quiz_block()),
        ),
    ]
    add_lessons(course, lessons)
    return course


@pytest.fixture
def lessons(course):
    from resources.selectors import course_lessons

    return course_lessons(course=course)
