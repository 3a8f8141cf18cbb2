"""Writes of the learning library: progress, quiz results and certificates.

Every function is idempotent (unique constraints + get_or_create) so a double submission has
no double effect.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from resources import selectors
from resources.models import (
    Certificate,
    CourseLesson,
    CoursePage,
    LessonCompletion,
    LessonPage,
    QuizResult,
)
from resources.quiz import QuizOutcome, parse_answers, score_quiz


def _recipient_name(user) -> str:
    full_name = user.get_full_name().strip() if hasattr(user, "get_full_name") else ""
    # Without a name, the certificate shows the part of the e-mail before the @ rather than
    # the whole address: verification pages are public.
    return full_name or str(getattr(user, "email", "") or user).split("@")[0]


@transaction.atomic
def certificates_issue_for_page(*, user, page: Page, now: datetime | None = None) -> list:
    """Issue a certificate for every course containing this lesson that is now complete.

    A course exists once per language: the certificate is issued (once) for the course in the
    language the person was reading, so its title is in that language.
    """
    course_keys = CourseLesson.objects.filter(lesson__translation_key=page.translation_key).values(
        "course__translation_key"
    )
    courses = sorted(
        selectors.visible(CoursePage.objects).filter(translation_key__in=course_keys),
        key=lambda course: (course.locale_id != page.locale_id, course.pk),
    )
    issued = []
    seen = set()
    for course in courses:
        if course.translation_key in seen:
            continue
        seen.add(course.translation_key)
        certificate = certificate_issue_if_complete(user=user, course=course, now=now)
        if certificate is not None:
            issued.append(certificate)
    return issued


@transaction.atomic
def certificate_issue_if_complete(
    *, user, course: CoursePage, now: datetime | None = None
) -> Certificate | None:
    """The person's certificate for ``course``, issued now if every lesson and quiz is done."""
    progress = selectors.course_progress(user=user, course=course)
    if progress is None:
        return None
    if progress.certificate is not None:
        return progress.certificate
    if not progress.complete:
        return None
    now = now or timezone.now()
    certificate, _ = Certificate.objects.get_or_create(
        user=user,
        course_key=course.translation_key,
        defaults={
            "course": course,
            "recipient_name": _recipient_name(user),
            "course_title": course.title,
            "completed_on": timezone.localdate(now),
            "issued_at": now,
        },
    )
    return certificate


@transaction.atomic
def lesson_mark_done(*, user, lesson: LessonPage, now: datetime | None = None) -> LessonCompletion:
    """Record that ``user`` finished ``lesson`` (once), then issue any certificate now earned."""
    completion, _ = LessonCompletion.objects.get_or_create(
        user=user,
        lesson_key=lesson.translation_key,
        defaults={"lesson": lesson, "completed_at": now or timezone.now()},
    )
    certificates_issue_for_page(user=user, page=lesson, now=now)
    return completion


@transaction.atomic
def lesson_mark_undone(*, user, lesson: LessonPage) -> None:
    """Take back "done" on a lesson. Certificates already issued stay valid."""
    LessonCompletion.objects.filter(user=user, lesson_key=lesson.translation_key).delete()


@transaction.atomic
def quiz_submit(*, user, page: Page, block_id: str, quiz, data, now=None) -> QuizOutcome:
    """Check and score the choices in ``data`` for a quiz; store the result for signed-in people.

    Raises ``resources.quiz.QuizAnswerError`` (and stores nothing) when an answer is missing or
    an option is unknown. Only the chosen options are read from ``data``: a score or a
    "passed" flag sent by the browser is ignored.
    """
    answers = parse_answers(quiz, data)
    outcome = score_quiz(quiz, answers)
    if user is None or not user.is_authenticated:
        return outcome
    now = now or timezone.now()
    result, created = QuizResult.objects.select_for_update().get_or_create(
        user=user,
        page_key=page.translation_key,
        block_id=block_id,
        defaults={
            "page": page,
            "best_score": outcome.score,
            "last_score": outcome.score,
            "passed": outcome.passed,
            "attempts": 1,
            "last_answers": {str(index): list(chosen) for index, chosen in answers.items()},
            "passed_at": now if outcome.passed else None,
        },
    )
    if not created:
        result.page = page
        result.attempts += 1
        result.last_score = outcome.score
        result.best_score = max(result.best_score, outcome.score)
        result.last_answers = {str(index): list(chosen) for index, chosen in answers.items()}
        if outcome.passed and not result.passed:
            result.passed = True
            result.passed_at = now
        result.save()
    if outcome.passed:
        certificates_issue_for_page(user=user, page=page, now=now)
    return outcome


@transaction.atomic
def certificates_anonymise(*, user) -> int:
    """Take the holder's name off their certificates; each stays verifiable as issued.

    The verification address may be printed on a CV: it keeps answering that a certificate
    for the course was issued on that date, without naming anyone.
    """
    return Certificate.objects.filter(user=user).update(recipient_name="")
