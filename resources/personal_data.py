"""The library's personal data: courses, lessons done, quiz results and certificates.

Registered in ``wagtail_hooks.py`` under the hook ``register_personal_data``; the host's
registry (``coaching.personal_data`` in this project) walks it for a person's export and
erasure. This module imports nothing from the registry: the contract is plain data.
"""

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from resources.models import Certificate, LessonCompletion, QuizResult
from resources.selectors.progress import course_progress_for_user
from resources.services import certificates_anonymise


def _when(value) -> str:
    if value is None:
        return "—"
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _lesson_title(completion) -> str:
    return completion.lesson.title if completion.lesson_id else str(completion.lesson_key)


class LearningPersonalData:
    """Courses, lessons done, quiz attempts and certificates of one person."""

    key = "resources"

    def export(self, *, user, by):
        lessons = LessonCompletion.objects.filter(user=user).select_related("lesson")
        quizzes = QuizResult.objects.filter(user=user).select_related("page")
        certificates = Certificate.objects.filter(user=user).order_by("issued_at")
        courses = course_progress_for_user(user)
        course_section = [
            {
                "title": _("Courses"),
                "intro": _("The courses you started in the library, and how far you got."),
                "rows": [
                    (
                        p.course.title,
                        _("%(done)s of %(total)s lessons done")
                        % {"done": p.done_count, "total": p.total},
                    )
                    for p in courses
                ],
                "data": [
                    {
                        "course": p.course.title,
                        "course_key": str(p.course.translation_key),
                        "lessons_done": p.done_count,
                        "lessons": p.total,
                        "complete": p.complete,
                    }
                    for p in courses
                ],
            }
        ]
        # Courses are worked out from the lessons done: a section once one is started.
        return (course_section if courses else []) + [
            {
                "title": _("Lessons done"),
                "rows": [(_lesson_title(c), _when(c.completed_at)) for c in lessons],
                "data": [
                    {
                        "lesson": _lesson_title(c),
                        "lesson_key": str(c.lesson_key),
                        "completed_at": c.completed_at.isoformat(),
                    }
                    for c in lessons
                ],
            },
            {
                "title": _("Self-check quizzes"),
                "rows": [
                    (
                        q.page.title,
                        _("best %(best)s%%, last %(last)s%%, %(attempts)s attempts")
                        % {"best": q.best_score, "last": q.last_score, "attempts": q.attempts},
                    )
                    for q in quizzes
                ],
                "data": [
                    {
                        "page": q.page.title,
                        "page_key": str(q.page_key),
                        "quiz": q.block_id,
                        "best_score": q.best_score,
                        "last_score": q.last_score,
                        "passed": q.passed,
                        "attempts": q.attempts,
                        "last_answers": q.last_answers,
                        "passed_at": q.passed_at.isoformat() if q.passed_at else None,
                    }
                    for q in quizzes
                ],
            },
            {
                "title": _("Certificates"),
                "rows": [(c.course_title, _when(c.completed_on)) for c in certificates],
                "data": [
                    {
                        "id": str(c.pk),
                        "name": c.recipient_name,
                        "course": c.course_title,
                        "completed_on": c.completed_on.isoformat(),
                        "issued_at": c.issued_at.isoformat(),
                    }
                    for c in certificates
                ],
            },
        ]

    def erase(self, *, user, by, reason, now):
        LessonCompletion.objects.filter(user=user).delete()
        QuizResult.objects.filter(user=user).delete()
        certificates_anonymise(user=user)
        return self.erasure_plan(user=user)

    def erasure_plan(self, *, user):
        return [
            {"action": "deleted", "what": _("Lessons done and quiz answers")},
            {"action": "anonymised", "what": _("Certificates: the name is removed")},
            {
                "action": "kept",
                "what": _("Certificates: course and date"),
                "why": _(
                    "A certificate already handed out stays verifiable, without a name, so "
                    "that the address printed on it keeps answering."
                ),
            },
        ]
