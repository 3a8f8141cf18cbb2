"""Self-check quizzes are scored on the server; bad input stores nothing."""

import pytest
from django.urls import reverse

from resources.models import QuizResult

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz_lesson(lessons):
    return lessons[2]


def quiz_url(lesson, block_id="quiz-1"):
    return reverse("resources:quiz", kwargs={"page_id": lesson.pk, "block_id": block_id})


def test_right_answers_pass_and_are_stored(client, participant, quiz_lesson):
    client.force_login(participant)
    response = client.post(quiz_url(quiz_lesson), {"q0": "0", "q1": "0"})
    assert response.status_code == 200
    assert "Superato" in response.content.decode() or "Passed" in response.content.decode()
    result = QuizResult.objects.get(user=participant)
    assert (result.best_score, result.passed, result.attempts) == (100, True, 1)
    assert result.page_key == quiz_lesson.translation_key


def test_score_posted_by_the_client_is_ignored(client, participant, quiz_lesson):
    client.force_login(participant)
    client.post(
        quiz_url(quiz_lesson),
        {"q0": "1", "q1": "1", "score": "100", "passed": "true", "best_score": "100"},
    )
    result = QuizResult.objects.get(user=participant)
    assert (result.best_score, result.last_score, result.passed) == (0, 0, False)


def test_pass_mark_decides(client, participant, quiz_lesson):
    # Pass mark 50%: one of two right passes.
    client.force_login(participant)
    client.post(quiz_url(quiz_lesson), {"q0": "0", "q1": "1"})
    result = QuizResult.objects.get(user=participant)
    assert (result.last_score, result.passed) == (50, True)


def test_best_score_and_pass_are_kept(client, participant, quiz_lesson):
    client.force_login(participant)
    client.post(quiz_url(quiz_lesson), {"q0": "0", "q1": "0"})
    client.post(quiz_url(quiz_lesson), {"q0": "1", "q1": "1"})
    result = QuizResult.objects.get(user=participant)
    assert (result.best_score, result.last_score, result.passed, result.attempts) == (
        100,
        0,
        True,
        2,
    )


@pytest.mark.parametrize(
    "data",
    [
        {"q0": "7", "q1": "0"},
        {"q0": "abc", "q1": "0"},
        {"q0": "-1", "q1": "0"},
        {"q0": ["0", "1"], "q1": "0"},  # two answers to a one-answer question
        {"q1": "0"},  # missing answer
        {},
    ],
)
def test_unknown_or_missing_options_give_an_error_and_store_nothing(
    client, participant, quiz_lesson, data
):
    client.force_login(participant)
    response = client.post(quiz_url(quiz_lesson), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'aria-describedby="quiz-quiz-1-q0-error"' in html
    assert not QuizResult.objects.exists()


def test_error_keeps_what_was_chosen(client, participant, quiz_lesson):
    client.force_login(participant)
    response = client.post(quiz_url(quiz_lesson), {"q1": "1"})
    assert response.status_code == 400
    assert 'id="quiz-quiz-1-q1-o1" value="1" checked' in response.content.decode()


def test_anonymous_visitors_can_check_but_nothing_is_stored(client, quiz_lesson):
    response = client.post(quiz_url(quiz_lesson), {"q0": "0", "q1": "0"})
    assert response.status_code == 200
    assert "100%" in response.content.decode()
    assert not QuizResult.objects.exists()


def test_feedback_per_chosen_option_is_shown(client, quiz_lesson):
    response = client.post(quiz_url(quiz_lesson), {"q0": "1", "q1": "0"})
    assert "No, il Comune no." in response.content.decode()


def test_unknown_quiz_or_unpublished_page_is_404(client, participant, quiz_lesson):
    client.force_login(participant)
    assert client.post(quiz_url(quiz_lesson, "nope"), {"q0": "0"}).status_code == 404
    quiz_lesson.unpublish()
    assert client.post(quiz_url(quiz_lesson), {"q0": "0", "q1": "0"}).status_code == 404
    assert not QuizResult.objects.exists()
