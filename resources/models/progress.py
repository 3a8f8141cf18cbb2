"""What signed-in people have done in the library: lessons done, quizzes passed, certificates.

Progress is keyed on a page's ``translation_key``, not its id, so a lesson done in English
counts for the same lesson in Italian.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LessonCompletion(models.Model):
    """A person marked a lesson as done. One row per person and lesson (any language)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="lesson_completions",
    )
    lesson = models.ForeignKey(
        "resources.LessonPage",
        verbose_name=_("lesson"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    lesson_key = models.UUIDField(_("lesson translation key"), db_index=True, editable=False)
    completed_at = models.DateTimeField(_("completed at"), default=timezone.now)

    class Meta:
        verbose_name = _("lesson done")
        verbose_name_plural = _("lessons done")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson_key"], name="resources_lessoncompletion_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.lesson_id}"


class QuizResult(models.Model):
    """A person's best result in one self-check quiz (a quiz block on a page).

    The score is always computed on the server from the submitted choices.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="quiz_results",
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    page_key = models.UUIDField(_("page translation key"), db_index=True, editable=False)
    block_id = models.CharField(_("quiz block"), max_length=64)
    best_score = models.PositiveSmallIntegerField(_("best score (%)"))
    last_score = models.PositiveSmallIntegerField(_("last score (%)"))
    passed = models.BooleanField(_("passed"), default=False)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_answers = models.JSONField(_("last answers"), default=dict)
    passed_at = models.DateTimeField(_("passed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("quiz result")
        verbose_name_plural = _("quiz results")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "page_key", "block_id"], name="resources_quizresult_once"
            ),
            models.CheckConstraint(
                condition=models.Q(best_score__lte=100) & models.Q(last_score__lte=100),
                name="resources_quizresult_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.page_id}/{self.block_id}: {self.best_score}%"


class Certificate(models.Model):
    """Proof that a person completed a course, verifiable by anyone who has its address.

    The id is a random UUID (uuid4): the verification address cannot be guessed. Name, course
    title and date are copied at issue time so the certificate does not change later.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="course_certificates",
    )
    course = models.ForeignKey(
        "resources.CoursePage",
        verbose_name=_("course"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    course_key = models.UUIDField(_("course translation key"), editable=False)
    recipient_name = models.CharField(_("name"), max_length=200)
    course_title = models.CharField(_("course"), max_length=255)
    completed_on = models.DateField(_("completed on"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course_key"], name="resources_certificate_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient_name} · {self.course_title}"
