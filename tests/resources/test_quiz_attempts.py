"""Quiz attempts: options in a new order at each try (the same within one try), explanations
only as the author chose, and after passing a link to what comes next."""

import copy
import re

import pytest
from django.urls import reverse
from django.utils import translation

from resources import services
from resources.quiz import option_order
from tests.resources.factories import (
    QUIZ,
    CoursePageFactory,
    LessonPageFactory,
    add_lessons,
    paragraph,
    quiz_block,
    stream,
)

pytestmark = pytest.mark.django_db

ATTEMPT = "00000000000000aa"


@pytest.fixture
def quiz_lesson(lessons):
    return lessons[2]


def quiz_url(lesson, block_id="quiz-1"):
    with translation.override("it"):
        return reverse("resources:quiz", kwargs={"page_id": lesson.pk, "block_id": block_id})


def shown_order(html: str, question: int) -> list[int]:
    return [int(index) for index in re.findall(rf'id="quiz-quiz-1-q{question}-o(\d+)"', html)]


def attempt_in(html: str) -> str:
    return re.search(r'name="attempt" value="([0-9a-f]{16})"', html).group(1)


def with_reveal(reveal: str) -> dict:
    quiz = copy.deepcopy(QUIZ)
    quiz["reveal"] = reveal
    return quiz


def lesson_with_quiz(parent, quiz: dict, title="Lezione con verifica"):
    return LessonPageFactory(
        parent=parent, title=title, body=stream(paragraph("Testo."), quiz_block(quiz=quiz))
    )


def test_attempts_show_the_options_in_different_orders():
    orders = {tuple(option_order(3, attempt=f"{n:016x}", question_index=0)) for n in range(30)}
    assert len(orders) > 1
    # The right answer (option 0 in the authoring order) is not always shown first.
    assert any(order[0] != 0 for order in orders)
    assert all(sorted(order) == [0, 1, 2] for order in orders)


def test_one_attempt_keeps_its_order_through_an_error_and_the_check(client, quiz_lesson):
    first = client.get(quiz_lesson.url).content.decode()
    attempt = attempt_in(first)
    order = shown_order(first, 0)
    assert order == option_order(3, attempt=attempt, question_index=0)

    error = client.post(quiz_url(quiz_lesson), {"attempt": attempt, "q1": "0"})
    assert error.status_code == 400
    assert shown_order(error.content.decode(), 0) == order
    assert attempt_in(error.content.decode()) == attempt

    checked = client.post(quiz_url(quiz_lesson), {"attempt": attempt, "q0": "0", "q1": "0"})
    assert checked.status_code == 200
    assert shown_order(checked.content.decode(), 0) == order


def test_the_value_of_an_option_is_its_own_whatever_the_order(client, participant, quiz_lesson):
    client.force_login(participant)
    for n in range(5):
        response = client.post(
            quiz_url(quiz_lesson), {"attempt": f"{n:016x}", "q0": "0", "q1": "0"}
        )
        assert "Hai risposto bene a 2 domande su 2 (100%)." in response.content.decode()


@pytest.mark.parametrize("attempt", ["", "zz", "<script>", "0" * 400, "ABCDEF0123456789"])
def test_a_malformed_attempt_starts_a_new_one(client, quiz_lesson, attempt):
    response = client.post(quiz_url(quiz_lesson), {"attempt": attempt, "q0": "0", "q1": "0"})
    assert response.status_code == 200
    new = attempt_in(response.content.decode())
    assert new != attempt


def test_a_wrong_try_does_not_give_the_right_answers_away(client, quiz_lesson):
    response = client.post(quiz_url(quiz_lesson), {"attempt": ATTEMPT, "q0": "1", "q1": "1"})
    html = response.content.decode()
    assert "Non ancora superato." in html
    # The feedback on the chosen (wrong) answers is there...
    assert "La tua risposta non è giusta. No, il Comune no." in html
    # ...but nothing points at the right ones.
    assert "Questa è una risposta giusta" not in html
    assert "Anche questa" not in html
    assert "Giusto." not in html
    assert "Riprova: le risposte giuste si vedono quando superi la verifica." in html


def test_passing_shows_the_right_answers_missed(client, quiz_lesson):
    # Pass mark 50%: the first answer right, the second wrong.
    response = client.post(quiz_url(quiz_lesson), {"attempt": ATTEMPT, "q0": "0", "q1": "1"})
    html = response.content.decode()
    assert "Superato." in html
    assert "La tua risposta è giusta. Giusto." in html
    assert "Questa è una risposta giusta. Sì." in html
    assert html.count("Questa è una risposta giusta") == 1
    assert "Anche questa" not in html


def test_never_shows_no_feedback_even_when_passed(client, course):
    lesson = lesson_with_quiz(course, with_reveal("never"))
    for answers in ({"q0": "1", "q1": "1"}, {"q0": "0", "q1": "0"}):
        html = client.post(quiz_url(lesson), {"attempt": ATTEMPT, **answers}).content.decode()
        assert "La tua risposta" not in html
        assert "Questa è una risposta giusta" not in html
        assert "No, il Comune no." not in html and "Sì." not in html
        assert "Riprova: le risposte giuste" not in html
    # Whether each question was right is still said.
    assert html.count("<strong>Giusto.</strong>") == 2


def test_after_passing_shows_feedback_only_once_passed(client, course):
    lesson = lesson_with_quiz(course, with_reveal("passed"))
    wrong = client.post(quiz_url(lesson), {"attempt": ATTEMPT, "q0": "1", "q1": "1"})
    html = wrong.content.decode()
    assert "Non ancora superato." in html
    assert "No, il Comune no." not in html
    assert "La tua risposta" not in html
    passed = client.post(quiz_url(lesson), {"attempt": ATTEMPT, "q0": "0", "q1": "1"})
    html = passed.content.decode()
    assert "La tua risposta è giusta. Giusto." in html
    assert "La tua risposta non è giusta. No: i contributi si pagano." in html


def test_after_passing_a_link_leads_to_the_next_lesson(client, library):
    course = CoursePageFactory(parent=library, title="Corso con verifiche")
    first = lesson_with_quiz(course, QUIZ, title="Prima lezione")
    second = LessonPageFactory(parent=course, title="Seconda lezione")
    add_lessons(course, [first, second])
    response = client.post(quiz_url(first), {"attempt": ATTEMPT, "q0": "0", "q1": "0"})
    html = response.content.decode()
    assert f'href="{second.url}"' in html
    assert "Lezione successiva: Seconda lezione" in html
    # No link before passing.
    failed = client.post(quiz_url(first), {"attempt": ATTEMPT, "q0": "1", "q1": "1"})
    assert "Lezione successiva: Seconda lezione" not in failed.content.decode()


def test_passing_the_last_quiz_of_a_finished_course_links_to_the_certificate(
    client, participant, lessons, quiz_lesson
):
    client.force_login(participant)
    for lesson in lessons:
        services.lesson_mark_done(user=participant, lesson=lesson)
    response = client.post(quiz_url(quiz_lesson), {"attempt": ATTEMPT, "q0": "0", "q1": "0"})
    html = response.content.decode()
    assert participant.course_certificates.count() == 1
    with translation.override("it"):
        progress_url = reverse("resources:my_progress")
    assert f'href="{progress_url}"' in html
    assert "Hai finito “Dal lavoro nero alla partita IVA”: ottieni il tuo certificato" in html


def test_passing_the_last_quiz_with_lessons_left_leads_back_to_the_course(
    client, participant, course, quiz_lesson
):
    client.force_login(participant)
    response = client.post(quiz_url(quiz_lesson), {"attempt": ATTEMPT, "q0": "0", "q1": "0"})
    html = response.content.decode()
    assert not participant.course_certificates.exists()
    assert f'href="{course.url}"' in html
    assert "Torna a “Dal lavoro nero alla partita IVA”: vedi cosa resta da fare" in html


def test_demo_quizzes_do_not_always_put_the_right_answer_first():
    from resources.demo.loader import DATA_DIR, read

    firsts = []
    for path in sorted((DATA_DIR / "courses").glob("*.yaml")):
        for lesson in read(path.relative_to(DATA_DIR).as_posix())["lessons"]:
            for language in ("it", "en"):
                for block in lesson[language]["body"]:
                    for question in block.get("quiz", {}).get("questions", []):
                        firsts.append(question["options"][0]["correct"])
    assert firsts, "the demo has quizzes"
    assert not all(firsts)
