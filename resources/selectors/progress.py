"""Reads of people's learning: course lessons, progress, certificates. Fixed query counts.

Other apps (coaching, mentors) read people's learning progress ONLY through the functions
marked "public API" below. Those functions know nothing about consent: the caller must check
that the person has agreed to share their progress with the viewer before showing it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wagtail.models import Locale, Page

from resources.models import (
    Certificate,
    CourseLesson,
    CoursePage,
    LessonCompletion,
    LessonPage,
    QuizResult,
)
from resources.selectors.library import visible

# --- Courses and lessons ------------------------------------------------------------------


def lessons_for_courses(courses: list[CoursePage]) -> dict[int, list[LessonPage]]:
    """Each course's live lessons in order, in the course's language when translated.

    Two queries whatever the number of courses and lessons.
    """
    if not courses:
        return {}
    rows = list(
        CourseLesson.objects.filter(course__in=courses)
        .order_by("course_id", "sort_order", "pk")
        .values_list("course_id", "lesson__translation_key")
    )
    keys = {key for _, key in rows}
    lessons = visible(LessonPage.objects).filter(translation_key__in=keys)
    by_key_locale = {}
    fallback = {}
    for lesson in lessons:
        by_key_locale[(lesson.translation_key, lesson.locale_id)] = lesson
        fallback.setdefault(lesson.translation_key, lesson)
    result: dict[int, list[LessonPage]] = {course.pk: [] for course in courses}
    locale_of = {course.pk: course.locale_id for course in courses}
    for course_id, key in rows:
        lesson = by_key_locale.get((key, locale_of[course_id])) or fallback.get(key)
        if lesson is not None and lesson not in result[course_id]:
            result[course_id].append(lesson)
    return result


def course_lessons(*, course: CoursePage) -> list[LessonPage]:
    return lessons_for_courses([course])[course.pk]


@dataclass
class LessonStatus:
    lesson: LessonPage
    done: bool
    quizzes_total: int
    quizzes_passed: int

    @property
    def complete(self) -> bool:
        return self.done and self.quizzes_passed >= self.quizzes_total


@dataclass
class CourseProgress:
    """A person's progress in one course: what is done, what is next, the certificate."""

    course: CoursePage
    lessons: list[LessonStatus] = field(default_factory=list)
    certificate: Certificate | None = None

    @property
    def total(self) -> int:
        return len(self.lessons)

    @property
    def done_count(self) -> int:
        return sum(1 for status in self.lessons if status.complete)

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / self.total) if self.total else 0

    @property
    def complete(self) -> bool:
        return bool(self.lessons) and all(status.complete for status in self.lessons)

    @property
    def started(self) -> bool:
        return any(status.done or status.quizzes_passed for status in self.lessons)

    @property
    def next_lesson(self) -> LessonPage | None:
        """Where to resume: the first lesson, in course order, that is not complete."""
        return next((status.lesson for status in self.lessons if not status.complete), None)


def _progress_for_courses(user, courses: list[CoursePage]) -> list[CourseProgress]:
    lessons_by_course = lessons_for_courses(courses)
    all_lessons = [lesson for lessons in lessons_by_course.values() for lesson in lessons]
    lesson_keys = {lesson.translation_key for lesson in all_lessons}
    done_keys = set(
        LessonCompletion.objects.filter(user=user, lesson_key__in=lesson_keys).values_list(
            "lesson_key", flat=True
        )
    )
    passed = set(
        QuizResult.objects.filter(user=user, page_key__in=lesson_keys, passed=True).values_list(
            "page_key", "block_id"
        )
    )
    certificates = {
        certificate.course_key: certificate
        for certificate in Certificate.objects.filter(
            user=user, course_key__in=[course.translation_key for course in courses]
        )
    }
    progress = []
    for course in courses:
        statuses = []
        for lesson in lessons_by_course[course.pk]:
            quiz_ids = lesson.quiz_block_ids
            statuses.append(
                LessonStatus(
                    lesson=lesson,
                    done=lesson.translation_key in done_keys,
                    quizzes_total=len(quiz_ids),
                    quizzes_passed=sum(
                        1 for block_id in quiz_ids if (lesson.translation_key, block_id) in passed
                    ),
                )
            )
        progress.append(
            CourseProgress(
                course=course,
                lessons=statuses,
                certificate=certificates.get(course.translation_key),
            )
        )
    return progress


def course_progress(*, user, course: CoursePage) -> CourseProgress | None:
    """One person's progress in one course, or None for anonymous visitors."""
    if user is None or not user.is_authenticated:
        return None
    return _progress_for_courses(user, [course])[0]


def courses_containing(*, lesson: LessonPage) -> list[CoursePage]:
    """Live courses (in the lesson's language) that list this lesson."""
    course_keys = CourseLesson.objects.filter(
        lesson__translation_key=lesson.translation_key
    ).values("course__translation_key")
    return list(
        visible(CoursePage.objects)
        .filter(translation_key__in=course_keys, locale_id=lesson.locale_id)
        .order_by("title")
    )


def lesson_context(*, user, lesson: LessonPage) -> dict:
    """What a lesson page shows: its courses with previous/next, and the person's progress."""
    courses = courses_containing(lesson=lesson)
    lessons_by_course = lessons_for_courses(courses)
    navigation = []
    for course in courses:
        ordered = lessons_by_course[course.pk]
        keys = [item.translation_key for item in ordered]
        position = keys.index(lesson.translation_key) if lesson.translation_key in keys else None
        if position is None:
            continue
        navigation.append(
            {
                "course": course,
                "position": position + 1,
                "total": len(ordered),
                "previous": ordered[position - 1] if position > 0 else None,
                "next": ordered[position + 1] if position + 1 < len(ordered) else None,
            }
        )
    context = {"course_navigation": navigation, "lesson_done": False, "quiz_results": {}}
    if user is not None and user.is_authenticated:
        context["lesson_done"] = LessonCompletion.objects.filter(
            user=user, lesson_key=lesson.translation_key
        ).exists()
        context["quiz_results"] = {
            result.block_id: result
            for result in QuizResult.objects.filter(user=user, page_key=lesson.translation_key)
        }
    return context


def quiz_next_step(*, user, page: Page) -> dict | None:
    """Where to go after passing a quiz on ``page``: the certificate when the course is now
    complete, else the next lesson of the course, else back to the course. None when the page
    is not a lesson of any course."""
    if not isinstance(page, LessonPage):
        return None
    navigation = lesson_context(user=None, lesson=page)["course_navigation"]
    if not navigation:
        return None
    course = navigation[0]["course"]
    certificate = None
    if user is not None and user.is_authenticated:
        certificate = Certificate.objects.filter(
            user=user, course_key=course.translation_key
        ).first()
    return {"course": course, "next_lesson": navigation[0]["next"], "certificate": certificate}


def find_block(page: Page, block_id: str, block_type: str):
    """The ``block_type`` block with id ``block_id`` in a page's body, or None."""
    body = getattr(page, "body", None)
    for child in body or []:
        if child.id == block_id and child.block_type == block_type:
            return child
    return None


# --- Public API for other apps (callers check consent) -------------------------------------


def course_progress_for_user(user, *, locale: Locale | None = None) -> list[CourseProgress]:
    """Public API. Courses a person has started, with their progress, in ``locale``.

    A course counts as started once any of its lessons is done or any of its quizzes passed.
    The result includes completed courses (``progress.complete``). Fixed number of queries.

    This function does NOT check consent: a caller showing the result to anyone but the person
    themself (their mentor, a coordinator) must first check that the person agreed to share
    their learning progress with that viewer.
    """
    if user is None or not user.is_authenticated:
        return []
    locale = locale or Locale.get_active()
    keys = list(
        LessonCompletion.objects.filter(user=user).values_list("lesson_key", flat=True)
    ) + list(QuizResult.objects.filter(user=user).values_list("page_key", flat=True))
    if not keys:
        return []
    course_keys = CourseLesson.objects.filter(lesson__translation_key__in=keys).values(
        "course__translation_key"
    )
    courses = list(
        visible(CoursePage.objects)
        .filter(translation_key__in=course_keys, locale=locale)
        .order_by("title")
    )
    return [progress for progress in _progress_for_courses(user, courses) if progress.started]


def courses_in_progress(user, *, locale: Locale | None = None) -> list[CourseProgress]:
    """Public API. Started but not completed courses. Callers check consent (see above)."""
    return [p for p in course_progress_for_user(user, locale=locale) if not p.complete]


def courses_completed(user) -> list[Certificate]:
    """Public API. The person's course certificates, newest first (title and date as issued).

    Callers other than the person themself must check consent first.
    """
    if user is None or not user.is_authenticated:
        return []
    return list(Certificate.objects.filter(user=user).order_by("-completed_on", "-issued_at"))


def courses_completed_counts(user_ids) -> dict[int, int]:
    """Public API. How many courses each person completed (their certificates), in one query
    for any number of people, for lists such as a mentor's mentees. Callers check consent."""
    counts = dict.fromkeys(user_ids, 0)
    for user_id in Certificate.objects.filter(user_id__in=list(counts)).values_list(
        "user_id", flat=True
    ):
        counts[user_id] += 1
    return counts


def certificate_for_owner(*, user, certificate_id) -> Certificate | None:
    return Certificate.objects.filter(user=user, pk=certificate_id).first()


def certificate_for_verification(*, certificate_id) -> Certificate | None:
    return (
        Certificate.objects.filter(pk=certificate_id)
        .only("id", "recipient_name", "course_title", "completed_on")
        .first()
    )
