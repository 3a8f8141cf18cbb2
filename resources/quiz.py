"""Self-check quizzes: reading the submitted choices and scoring them. Pure functions, no I/O.

Form fields are named ``q<question index>`` with option indexes as values. Anything else the
client sends (a score, a "passed" flag) is never read.
"""

from __future__ import annotations

import random
import re
import secrets
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ATTEMPT_PATTERN = re.compile(r"[0-9a-f]{16}")


class Reveal(models.TextChoices):
    """When a quiz explains its answers: the feedback per answer and which answers are right."""

    NEVER = "never", gettext_lazy("Never: only say which questions were answered right")
    AFTER_ANSWERING = "answered", gettext_lazy("After every check")
    AFTER_PASSING = "passed", gettext_lazy("Only once the quiz is passed")


def new_attempt() -> str:
    """A random id for one attempt at a quiz: it fixes the order of the options."""
    return secrets.token_hex(8)


def clean_attempt(value) -> str:
    """The attempt id sent back by the form, or a new one if it is missing or malformed."""
    value = value if isinstance(value, str) else ""
    return value if ATTEMPT_PATTERN.fullmatch(value) else new_attempt()


def option_order(option_count: int, *, attempt: str, question_index: int) -> list[int]:
    """The options' indexes in the order one attempt shows them.

    The same attempt always gets the same order (the page after checking matches the one the
    person answered); the next attempt gets another one. Options keep their own index as the
    form value, so the order never changes what is scored.
    """
    order = list(range(option_count))
    random.Random(f"{attempt}:{question_index}").shuffle(order)
    return order


def shows_explanations(reveal: str, outcome: QuizOutcome) -> bool:
    """Whether the feedback written for the chosen answers is shown after this check."""
    if reveal == Reveal.NEVER:
        return False
    if reveal == Reveal.AFTER_PASSING:
        return outcome.passed
    return True


def shows_right_answers(reveal: str, outcome: QuizOutcome) -> bool:
    """Whether right answers the person did not choose are pointed out: only once passed, so
    a wrong attempt never hands out the answers."""
    return reveal != Reveal.NEVER and outcome.passed


class QuizAnswerError(ValueError):
    """The submitted answers cannot be scored: a question is missing or an option is unknown.

    ``errors`` maps a question index to a message for the person.
    """

    def __init__(self, errors: dict[int, str]):
        super().__init__("; ".join(f"q{index}: {message}" for index, message in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class OptionResult:
    index: int
    text: str
    correct: bool
    chosen: bool
    feedback: str


@dataclass(frozen=True)
class QuestionResult:
    index: int
    question: str
    correct: bool
    options: list[OptionResult] = field(default_factory=list)


@dataclass(frozen=True)
class QuizOutcome:
    score: int  # percentage, 0-100
    pass_mark: int
    passed: bool
    questions: list[QuestionResult]

    @property
    def correct_count(self) -> int:
        return sum(1 for question in self.questions if question.correct)


def correct_options(question) -> set[int]:
    return {index for index, option in enumerate(question["options"]) if option["correct"]}


def is_multiple_choice(question) -> bool:
    """Questions with more than one right answer take checkboxes; the others radio buttons."""
    return len(correct_options(question)) > 1


def parse_answers(quiz, data) -> dict[int, tuple[int, ...]]:
    """Read the chosen option indexes per question from a QueryDict-like ``data``.

    Raises QuizAnswerError for a missing answer, a non-numeric or out-of-range option, or
    several answers to a one-answer question.
    """
    answers: dict[int, tuple[int, ...]] = {}
    errors: dict[int, str] = {}
    for q_index, question in enumerate(quiz["questions"]):
        raw = data.getlist(f"q{q_index}") if hasattr(data, "getlist") else data.get(f"q{q_index}")
        if isinstance(raw, str):
            raw = [raw]
        raw = [value for value in (raw or []) if value != ""]
        if not raw:
            errors[q_index] = _("Choose an answer to this question.")
            continue
        chosen: set[int] = set()
        for value in raw:
            try:
                option_index = int(value)
            except (TypeError, ValueError):
                option_index = -1
            if not 0 <= option_index < len(question["options"]):
                errors[q_index] = _(
                    "This answer is not one of the options. Reload the page and try again."
                )
                break
            chosen.add(option_index)
        else:
            if len(chosen) > 1 and not is_multiple_choice(question):
                errors[q_index] = _("Choose only one answer to this question.")
            else:
                answers[q_index] = tuple(sorted(chosen))
    if errors:
        raise QuizAnswerError(errors)
    return answers


def score_quiz(quiz, answers: dict[int, tuple[int, ...]]) -> QuizOutcome:
    """Score parsed answers: a question is right when exactly its correct options are chosen."""
    questions = []
    for q_index, question in enumerate(quiz["questions"]):
        chosen = set(answers.get(q_index, ()))
        options = [
            OptionResult(
                index=o_index,
                text=option["text"],
                correct=bool(option["correct"]),
                chosen=o_index in chosen,
                feedback=option["feedback"] or "",
            )
            for o_index, option in enumerate(question["options"])
        ]
        questions.append(
            QuestionResult(
                index=q_index,
                question=question["question"],
                correct=chosen == correct_options(question),
                options=options,
            )
        )
    total = len(questions)
    right = sum(1 for question in questions if question.correct)
    score = round(100 * right / total) if total else 0
    pass_mark = int(quiz["pass_mark"] or 100)
    return QuizOutcome(
        score=score, pass_mark=pass_mark, passed=score >= pass_mark, questions=questions
    )
