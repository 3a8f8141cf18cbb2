"""Factories for the learning library's pages and records."""

import datetime
import json

import factory
import wagtail_factories
from wagtail.models import Locale

from resources.models import (
    CourseLesson,
    CoursePage,
    GuidePage,
    LessonPage,
    LibraryIndexPage,
    OpportunityPage,
    Topic,
    TopicPage,
)

QUIZ = {
    "title": "Verifica",
    "pass_mark": 50,
    "questions": [
        {
            "question": "Chi rilascia la partita IVA?",
            "options": [
                {"text": "L'Agenzia delle Entrate", "correct": True, "feedback": "Giusto."},
                {"text": "Il Comune", "correct": False, "feedback": "No, il Comune no."},
                {"text": "La banca", "correct": False, "feedback": "No."},
            ],
        },
        {
            "question": "Quali contributi paga un artigiano?",
            "options": [
                {"text": "INPS artigiani", "correct": True, "feedback": "Sì."},
                {"text": "Nessuno", "correct": False, "feedback": "No: i contributi si pagano."},
            ],
        },
    ],
}


def paragraph(text: str) -> dict:
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


def quiz_block(block_id: str = "quiz-1", quiz: dict | None = None) -> dict:
    return {"type": "quiz", "value": quiz or QUIZ, "id": block_id}


def stream(*blocks) -> str:
    return json.dumps(list(blocks))


class TopicFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Argomento {n}")
    slug = factory.Sequence(lambda n: f"argomento-{n}")
    locale = factory.LazyFunction(Locale.get_default)

    class Meta:
        model = Topic


class LibraryIndexPageFactory(wagtail_factories.PageFactory):
    title = "Biblioteca"
    slug = "biblioteca"

    class Meta:
        model = LibraryIndexPage


class TopicPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Tema {n}")
    topic = factory.SubFactory(TopicFactory)

    class Meta:
        model = TopicPage


class LessonPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Lezione {n}")
    summary = "Una lezione breve."
    body = factory.LazyFunction(lambda: stream(paragraph("Testo della lezione.")))

    class Meta:
        model = LessonPage


class CoursePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Corso {n}")
    summary = "Un corso di prova."
    learning_outcomes = "Aprire la partita IVA\nScegliere il regime"

    class Meta:
        model = CoursePage


class GuidePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Guida {n}")
    summary = "Una guida."

    class Meta:
        model = GuidePage


class OpportunityPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Opportunità {n}")
    summary = "Un bando."
    deadline = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=30))
    link = "https://example.org/bando"

    class Meta:
        model = OpportunityPage


def add_lessons(course: CoursePage, lessons) -> None:
    for order, lesson in enumerate(lessons):
        CourseLesson.objects.create(course=course, lesson=lesson, sort_order=order)


def build_course(*, library, topic) -> CoursePage:
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
