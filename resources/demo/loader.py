"""Build the learning library's demo from the YAML files next to this module.

``library.yaml`` holds the index page and the topics, ``courses/*.yaml`` one course each (loaded
in name order), ``guides.yaml`` and ``opportunities.yaml`` the rest; every entry carries its
Italian (``it``) and English (``en``) text side by side. Re-running creates what is missing (a
deleted page, translation or topic) and never changes what exists, so it cannot undo an
editor's work. Amounts and rules are for orientation only: every legal lesson says to check
with an adviser.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import yaml
from django.utils import timezone
from wagtail.blocks import StreamValue
from wagtail.models import Locale, Page

from resources.blocks import SharedStreamBlock
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

DATA_DIR = Path(__file__).resolve().parent


def read(name: str) -> dict:
    """One data file; ``shared`` only holds the texts its entries reuse through YAML aliases."""
    with (DATA_DIR / name).open(encoding="utf-8") as file:
        data = yaml.safe_load(file)
    data.pop("shared", None)
    return data


# --- From YAML entries to StreamField block values ---------------------------------------


def _paragraph(text: str) -> str:
    return f"<p>{text}</p>"


def _heading(value: str | dict) -> dict:
    return {"level": "h2", **({"text": value} if isinstance(value, str) else value)}


def _steps(items: list) -> dict:
    return {"steps": items}


def _callout(value: dict) -> dict:
    return {"tone": "info", **value, "text": _paragraph(value["text"])}


def _as_written(value: dict) -> dict:
    return value


BLOCKS = {
    "paragraph": _paragraph,
    "heading": _heading,
    "steps": _steps,
    "checklist": _as_written,
    "callout": _callout,
    "glossary_term": _as_written,
    "testimonial": _as_written,
    "quiz": _as_written,
}


def _kinds(entries: list, where: str) -> list[str]:
    kinds = []
    for entry in entries:
        if not (isinstance(entry, dict) and len(entry) == 1 and next(iter(entry)) in BLOCKS):
            raise ValueError(f"{where}: a block is one of {', '.join(BLOCKS)}, not {entry!r}")
        kinds.append(next(iter(entry)))
    return kinds


def body(key: str, entries: list, where: str) -> StreamValue:
    """A stream whose blocks have stable ids (``<key>-<n>``), shared by both languages."""
    stream_block = SharedStreamBlock()
    return StreamValue(
        stream_block,
        [
            (
                kind,
                stream_block.child_blocks[kind].to_python(BLOCKS[kind](entry[kind])),
                f"{key}-{n}",
            )
            for n, (kind, entry) in enumerate(zip(_kinds(entries, where), entries, strict=True))
        ],
    )


def _resource_fields(data: dict, where: str) -> tuple[dict, dict]:
    """A lesson's or guide's Italian and English title, summary and body."""
    key = data["slug"]
    where = f"{where}, {key}"
    if _kinds(data["it"]["body"], where) != _kinds(data["en"]["body"], where):
        raise ValueError(f"{where}: the it and en bodies need the same blocks in the same order")
    return tuple(
        {
            "title": data[language]["title"],
            "summary": data[language]["summary"],
            "body": body(key, data[language]["body"], f"{where} ({language})"),
        }
        for language in ("it", "en")
    )


# --- Creating what is missing ------------------------------------------------------------


def _publish(page: Page) -> Page:
    page.save_revision().publish()
    return page


def _create_child(parent: Page, model, slug: str, fields: dict, topics=()) -> tuple[Page, bool]:
    """The page under ``parent`` with ``slug``, created (with its topics) only if missing."""
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is not None:
        return page, False
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    _publish(page)
    if topics:
        page.topics.set(topics)
        _publish(page)
    return page, True


def _create_translation(page: Page, locale: Locale, fields: dict) -> Page:
    translation = page.get_translation_or_none(locale)
    if translation is not None:
        return translation.specific
    translation = page.copy_for_translation(locale, copy_parents=True).specific
    for name, value in fields.items():
        setattr(translation, name, value)
    return _publish(translation)


def _load_page(parent, model, slug, fields_it, fields_en, *, english, topics=()) -> Page:
    """The Italian page by slug, its topics, then its English translation."""
    page, _created = _create_child(parent, model, slug, fields_it, topics)
    _create_translation(page, english, fields_en)
    return page


def _load_topics(entries: list, italian: Locale, english: Locale) -> dict[str, Topic]:
    topics = {}
    for entry in entries:
        topic, _created = Topic.objects.get_or_create(
            locale=italian,
            slug=entry["slug"],
            defaults={
                "name": entry["it"]["name"],
                "description": entry["it"]["description"],
                "business_plan_section": entry["business_plan_section"],
            },
        )
        if topic.get_translation_or_none(english) is None:
            translation = topic.copy_for_translation(english)
            translation.name = entry["en"]["name"]
            translation.description = entry["en"]["description"]
            translation.business_plan_section = entry["business_plan_section"]
            translation.save()
        topics[entry["slug"]] = topic
    return topics


def _course_fields(data: dict, language: str) -> dict:
    return {
        "title": data[language]["title"],
        "summary": data[language]["summary"],
        "learning_outcomes": "\n".join(data[language]["learning_outcomes"]),
    }


def _load_course(library, english, topics, name) -> tuple[CoursePage, list[LessonPage]]:
    data = read(name)
    course_topics = [topics[slug] for slug in data["topics"]]
    course, _created = _create_child(
        library,
        CoursePage,
        data["slug"],
        {
            **_course_fields(data, "it"),
            "level": data["level"],
            "duration_minutes": data.get("duration_minutes"),
        },
        course_topics,
    )
    lessons, english_fields, created = [], [], []
    for order, lesson_data in enumerate(data["lessons"]):
        fields_it, fields_en = _resource_fields(lesson_data, name)
        lesson, lesson_created = _create_child(
            course, LessonPage, lesson_data["slug"], fields_it, course_topics
        )
        lessons.append(lesson)
        english_fields.append(fields_en)
        if lesson_created:
            created.append((order, lesson))
    # A lesson made now (the course is new, or its lesson was deleted, which removed it from
    # the course too) takes its place in the course; lessons an editor took out stay out.
    if created:
        for order, lesson in created:
            CourseLesson.objects.create(course=course, lesson=lesson, sort_order=order)
        course = _publish(CoursePage.objects.get(pk=course.pk))
    _create_translation(course, english, _course_fields(data, "en"))
    for lesson, fields_en in zip(lessons, english_fields, strict=True):
        _create_translation(lesson, english, fields_en)
    return course, lessons


def load(*, site, home_page, users=None, stdout=None) -> dict:
    """Create what is missing of the library, its topics, courses, guides and opportunities."""
    italian = home_page.locale
    english = Locale.objects.get_or_create(language_code="en")[0]
    library_data = read("library.yaml")
    topics = _load_topics(library_data["topics"], italian, english)

    page = library_data["library"]
    library = _load_page(
        home_page, LibraryIndexPage, page["slug"], page["it"], page["en"], english=english
    )
    for entry in library_data["topics"]:
        _load_page(
            library,
            TopicPage,
            entry["slug"],
            {
                "title": entry["it"]["name"],
                "topic": topics[entry["slug"]],
                "introduction": entry["it"]["description"],
            },
            {"title": entry["en"]["name"], "introduction": entry["en"]["description"]},
            english=english,
        )

    courses = [
        _load_course(library, english, topics, path.relative_to(DATA_DIR).as_posix())
        for path in sorted((DATA_DIR / "courses").glob("*.yaml"))
    ]

    guides = read("guides.yaml")["guides"]
    for guide in guides:
        fields_it, fields_en = _resource_fields(guide, "guides.yaml")
        _load_page(
            library,
            GuidePage,
            guide["slug"],
            fields_it,
            fields_en,
            english=english,
            topics=[topics[slug] for slug in guide["topics"]],
        )

    opportunities = read("opportunities.yaml")["opportunities"]
    today = timezone.localdate()
    for entry in opportunities:
        _load_page(
            library,
            OpportunityPage,
            entry["slug"],
            {
                **entry["it"],
                "kind": entry["kind"],
                "deadline": today + datetime.timedelta(days=entry["deadline_in_days"]),
                "link": entry["link"],
                "organiser": entry["organiser"],
                "location": entry.get("location", ""),
            },
            entry["en"],
            english=english,
            topics=[topics[slug] for slug in entry["topics"]],
        )

    if stdout is not None:
        lesson_count = sum(len(lessons) for _, lessons in courses)
        stdout.write(
            f"Learning library: {len(topics)} topics, {len(courses)} courses, "
            f"{lesson_count} lessons, {len(guides)} guides, {len(opportunities)} opportunities "
            "(Italian and English)."
        )
    return {"library": library, "courses": [course for course, _ in courses]}
