"""The library's page types and the rules of where each one may live in the page tree.

Tree::

    (host home page)
      LibraryIndexPage            one per language
        TopicPage                 a landing page for one Topic
        CoursePage                ordered lessons (CourseLesson), may hold its own lessons
          LessonPage
        LessonPage                a lesson not tied to one course
        GuidePage
        OpportunityPage

Course lessons are an ordered list of choosers (``CourseLesson``), not "the course's children":
editors can reuse one lesson in several courses. Lessons usually live under the course they
were written for, but a course lists exactly the lessons in its list, in that order.
"""

from __future__ import annotations

import re

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from resources.admin_forms import ResourcePageForm
from resources.blocks import SharedStreamBlock
from resources.conf import app_settings
from resources.models.choices import ContentLanguage, Level, OpportunityKind
from resources.page_context import ProvidedContextMixin


def stream_text(stream) -> str:
    """The visible words of a StreamField, for reading time."""
    parts: list[str] = []

    def walk(value):
        if value is None:
            return
        if hasattr(value, "source"):  # RichText
            parts.append(strip_tags(value.source))
        elif isinstance(value, str):
            parts.append(value)
        elif isinstance(value, dict) or hasattr(value, "items"):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple) or hasattr(value, "__iter__"):
            for item in value:
                walk(getattr(item, "value", item))

    for child in stream or []:
        walk(child.value)
    return " ".join(parts)


def _stream_media_minutes(stream) -> int:
    """The length editors gave the videos of a StreamField: watching them takes time too."""
    return sum(
        child.value.get("duration_minutes") or 0
        for child in stream or []
        if child.block_type == "video"
    )


class ResourcePage(ProvidedContextMixin, Page):
    """What every piece of library content has in common, so the library can list, filter and
    search all formats in one query. Not creatable itself: editors create a course, a lesson,
    a guide or an opportunity.
    """

    summary = models.TextField(
        _("summary"),
        max_length=400,
        help_text=_("One or two plain sentences: what people will learn or find. Shown in lists."),
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional. Shown at the top of the page; choose a light, simple picture."),
    )
    cover_image_alt = models.CharField(
        _("cover image text"),
        max_length=250,
        blank=True,
        help_text=_("Describe the picture for people who cannot see it. Empty = decorative."),
    )
    topics = ParentalManyToManyField(
        "resources.Topic",
        verbose_name=_("topics"),
        blank=True,
        related_name="resources",
        help_text=_("Choose every topic this content is about: people filter by topic."),
    )
    level = models.CharField(
        _("level"),
        max_length=16,
        choices=Level.choices,
        default=Level.BEGINNER,
        help_text=_("How much people need to know already."),
    )
    content_language = models.CharField(
        _("language of the material"),
        max_length=8,
        choices=ContentLanguage.choices,
        default=ContentLanguage.ITALIAN,
        help_text=_("The language the content itself is in (e.g. a video in English)."),
    )
    duration_minutes = models.PositiveIntegerField(
        _("duration in minutes"),
        null=True,
        blank=True,
        help_text=_(
            "How long it takes to read, watch or do. Leave empty to use the reading time, "
            "worked out again at every publish (for a course: its lessons added up)."
        ),
    )
    minutes = models.PositiveIntegerField(
        _("minutes shown"),
        default=0,
        editable=False,
        help_text=_("The duration lists show and filter by, worked out at every publish."),
    )
    body = StreamField(SharedStreamBlock(), verbose_name=_("body"), blank=True)

    base_form_class = ResourcePageForm

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
                FieldRowPanel([FieldPanel("level"), FieldPanel("content_language")]),
                FieldPanel("duration_minutes"),
            ],
            heading=_("How people find it"),
        ),
        MultiFieldPanel(
            [FieldPanel("cover_image"), FieldPanel("cover_image_alt")],
            heading=_("Cover image"),
        ),
        FieldPanel("body"),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("level"),
        index.FilterField("content_language"),
        index.FilterField("duration_minutes"),
        index.FilterField("minutes"),
        index.FilterField("locale"),
    ]

    is_creatable = False
    parent_page_types: list[str] = []
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("library resource")
        verbose_name_plural = _("library resources")

    @property
    def format_label(self) -> str:
        return self.specific_class._meta.verbose_name if self.specific_class else ""

    @property
    def format_code(self) -> str:
        return self.content_type.model if self.content_type_id else ""

    @property
    def reading_minutes(self) -> int:
        """Reading the body's words at a slow pace, plus watching its videos."""
        words = len(re.findall(r"\w+", stream_text(self.body)))
        reading = max(1, round(words / app_settings.READING_WORDS_PER_MINUTE)) if words else 0
        return reading + _stream_media_minutes(self.body)

    @property
    def display_minutes(self) -> int | None:
        return self.minutes or self.duration_minutes or None

    def compute_minutes(self) -> int:
        """What lists show: the editor's duration if given, else the reading time."""
        return self.duration_minutes or self.reading_minutes

    def save(self, *args, **kwargs):
        # Publishing saves the whole page, so the duration follows every published change;
        # a draft's save_revision() writes only a few columns and leaves the live value alone.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "minutes" in update_fields:
            self.minutes = self.compute_minutes()
        return super().save(*args, **kwargs)


class LibraryIndexPage(ProvidedContextMixin, Page):
    """The front door of the learning library: filters, search, what's new."""

    introduction = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("A few words under the title: what people find in the library."),
    )

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    search_fields = [*Page.search_fields, index.SearchField("introduction")]

    parent_page_types = app_settings.LIBRARY_PARENT_PAGE_TYPES
    subpage_types = [
        "resources.TopicPage",
        "resources.CoursePage",
        "resources.LessonPage",
        "resources.GuidePage",
        "resources.OpportunityPage",
    ]
    max_count_per_parent = 1
    template = "resources/library_index_page.html"

    class Meta:
        verbose_name = _("learning library")
        verbose_name_plural = _("learning libraries")


class TopicPage(ProvidedContextMixin, Page):
    """A landing page for one topic: an introduction, then everything on that topic."""

    topic = models.ForeignKey(
        "resources.Topic",
        verbose_name=_("topic"),
        on_delete=models.PROTECT,
        related_name="pages",
        help_text=_("The topic this page presents. The page lists all content on it."),
    )
    introduction = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("Why this topic matters to someone starting a business, in plain words."),
    )
    body = StreamField(SharedStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("topic"),
        FieldPanel("introduction"),
        FieldPanel("body"),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    parent_page_types = ["resources.LibraryIndexPage"]
    subpage_types: list[str] = []
    template = "resources/topic_page.html"

    class Meta:
        verbose_name = _("topic page")
        verbose_name_plural = _("topic pages")


class CoursePage(ResourcePage):
    """A course: lessons in order, with what people will be able to do at the end."""

    learning_outcomes = models.TextField(
        _("what you will learn"),
        blank=True,
        help_text=_("One outcome per line, starting with a verb, e.g. 'Open a VAT number'."),
    )

    content_panels = [
        *ResourcePage.content_panels,
        FieldPanel("learning_outcomes"),
        InlinePanel(
            "course_lessons",
            label=_("Lesson"),
            heading=_("Lessons, in order"),
            help_text=_(
                "Choose the lessons in the order people should follow them. A lesson can be "
                "in more than one course."
            ),
        ),
    ]

    search_fields = [*ResourcePage.search_fields, index.SearchField("learning_outcomes")]

    parent_page_types = ["resources.LibraryIndexPage"]
    subpage_types = ["resources.LessonPage"]
    template = "resources/course_page.html"

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    @property
    def outcomes(self) -> list[str]:
        return [line.strip() for line in self.learning_outcomes.splitlines() if line.strip()]

    def compute_minutes(self) -> int:
        """The editor's duration if given, else its live lessons added up (in the course's
        language where a lesson is translated)."""
        if self.duration_minutes:
            return self.duration_minutes
        lesson_ids = [item.lesson_id for item in self.course_lessons.all()]
        key_of = dict(
            LessonPage.objects.filter(pk__in=lesson_ids).values_list("pk", "translation_key")
        )
        keys = [key_of[pk] for pk in lesson_ids if pk in key_of]
        minutes: dict = {}
        for key, locale_id, value in LessonPage.objects.filter(
            translation_key__in=keys, live=True
        ).values_list("translation_key", "locale_id", "minutes"):
            if key not in minutes or locale_id == self.locale_id:
                minutes[key] = value
        return sum(minutes.get(key, 0) for key in dict.fromkeys(keys))

    @classmethod
    def refresh_minutes_for_lesson(cls, lesson) -> None:
        """Courses listing ``lesson`` add up their lessons again (the lesson was published)."""
        courses = (
            cls.objects.filter(course_lessons__lesson__translation_key=lesson.translation_key)
            .exclude(duration_minutes__gt=0)
            .distinct()
        )
        for course in courses:
            cls.objects.filter(pk=course.pk).update(minutes=course.compute_minutes())


class LessonPage(ResourcePage):
    """One lesson: short, readable on a phone, may end with a self-check quiz."""

    content_panels = ResourcePage.content_panels

    search_fields = ResourcePage.search_fields

    parent_page_types = ["resources.CoursePage", "resources.LibraryIndexPage"]
    subpage_types: list[str] = []
    template = "resources/lesson_page.html"

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    @property
    def quiz_block_ids(self) -> list[str]:
        return [child.id for child in self.body if child.block_type == "quiz"]

    def save(self, *args, **kwargs):
        result = super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if self.live and (update_fields is None or "minutes" in update_fields):
            CoursePage.refresh_minutes_for_lesson(self)
        return result


class GuidePage(ResourcePage):
    """A guide or article: practical reading that is not part of a course."""

    content_panels = ResourcePage.content_panels

    search_fields = ResourcePage.search_fields

    parent_page_types = ["resources.LibraryIndexPage"]
    subpage_types: list[str] = []
    template = "resources/guide_page.html"

    class Meta:
        verbose_name = _("guide")
        verbose_name_plural = _("guides")


class OpportunityPage(ResourcePage):
    """A green or digital market or job opportunity, a funding call elsewhere, a local event."""

    kind = models.CharField(
        _("kind"),
        max_length=16,
        choices=OpportunityKind.choices,
        default=OpportunityKind.MARKET,
    )
    deadline = models.DateField(
        _("deadline"),
        help_text=_("The last day to apply or take part (for an event: the day it happens)."),
    )
    link = models.URLField(
        _("link"),
        help_text=_("Where people find the full details or apply, e.g. the call's page."),
    )
    organiser = models.CharField(
        _("organiser"),
        max_length=120,
        blank=True,
        help_text=_("Who runs it, e.g. 'Regione Campania' or 'Camera di Commercio'."),
    )
    location = models.CharField(
        _("place"),
        max_length=120,
        blank=True,
        help_text=_("For events: where. Leave empty for online or national opportunities."),
    )

    content_panels = [
        *ResourcePage.content_panels[:3],
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("deadline"),
                FieldPanel("link"),
                FieldPanel("organiser"),
                FieldPanel("location"),
            ],
            heading=_("The opportunity"),
        ),
        *ResourcePage.content_panels[3:],
    ]

    search_fields = [
        *ResourcePage.search_fields,
        index.SearchField("organiser"),
        index.FilterField("deadline"),
    ]

    parent_page_types = ["resources.LibraryIndexPage"]
    subpage_types: list[str] = []
    template = "resources/opportunity_page.html"

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")

    @property
    def is_open(self) -> bool:
        return self.deadline >= timezone.localdate()


class CourseLesson(Orderable):
    """A lesson's place in a course. Lessons are chosen, so one lesson can serve many courses."""

    course = ParentalKey(CoursePage, related_name="course_lessons", on_delete=models.CASCADE)
    lesson = models.ForeignKey(
        LessonPage,
        verbose_name=_("lesson"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [PageChooserPanel("lesson", page_type="resources.LessonPage")]

    class Meta(Orderable.Meta):
        verbose_name = _("course lesson")
        verbose_name_plural = _("course lessons")
