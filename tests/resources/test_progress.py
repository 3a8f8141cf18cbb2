"""Progress, certificates and who may see or change them."""

import uuid

import pytest
from django.urls import reverse

from resources import selectors
from resources.models import Certificate, LessonCompletion

pytestmark = pytest.mark.django_db


def done(client, lesson):
    return client.post(reverse("resources:lesson_done", kwargs={"page_id": lesson.pk}))


def pass_quiz(client, lesson):
    url = reverse("resources:quiz", kwargs={"page_id": lesson.pk, "block_id": "quiz-1"})
    return client.post(url, {"q0": "0", "q1": "0"})


def complete_course(client, lessons):
    for lesson in lessons:
        assert done(client, lesson).status_code == 302
    assert pass_quiz(client, lessons[2]).status_code == 200


def test_marking_done_needs_sign_in(client, lessons):
    response = done(client, lessons[0])
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]
    assert not LessonCompletion.objects.exists()


def test_marking_done_is_post_only_and_idempotent(client, participant, lessons):
    client.force_login(participant)
    url = reverse("resources:lesson_done", kwargs={"page_id": lessons[0].pk})
    assert client.get(url).status_code == 405
    done(client, lessons[0])
    done(client, lessons[0])
    assert LessonCompletion.objects.filter(user=participant).count() == 1


def test_unpublished_lesson_cannot_be_marked_done(client, participant, lessons):
    client.force_login(participant)
    lessons[0].unpublish()
    assert done(client, lessons[0]).status_code == 404
    assert not LessonCompletion.objects.exists()


def test_progress_and_resume(client, participant, course, lessons):
    client.force_login(participant)
    done(client, lessons[0])
    progress = selectors.course_progress(user=participant, course=course)
    assert (progress.done_count, progress.total, progress.percent) == (1, 3, 33)
    assert progress.next_lesson == lessons[1]
    html = client.get(course.url).content.decode()
    assert "1 di 3" in html or "1 of 3" in html
    assert lessons[1].url in html


def test_people_see_and_change_only_their_own_progress(client, participant, user, lessons, course):
    client.force_login(participant)
    done(client, lessons[0])
    client.force_login(user)
    assert selectors.course_progress(user=user, course=course).done_count == 0
    assert "Segna questa lezione come completata" in client.get(
        lessons[0].url
    ).content.decode() or (
        "Mark this lesson as done" in client.get(lessons[0].url).content.decode()
    )
    client.post(reverse("resources:lesson_undone", kwargs={"page_id": lessons[0].pk}))
    assert LessonCompletion.objects.filter(user=participant).count() == 1
    assert course.title not in client.get(reverse("resources:my_progress")).content.decode()


def test_no_certificate_until_every_lesson_and_quiz_is_done(client, participant, lessons, course):
    client.force_login(participant)
    for lesson in lessons:
        done(client, lesson)
    # All lessons done, but the quiz is not passed yet.
    assert not Certificate.objects.exists()
    assert not selectors.course_progress(user=participant, course=course).complete
    url = reverse("resources:quiz", kwargs={"page_id": lessons[2].pk, "block_id": "quiz-1"})
    client.post(url, {"q0": "1", "q1": "1"})  # fails
    assert not Certificate.objects.exists()
    pass_quiz(client, lessons[2])
    certificate = Certificate.objects.get(user=participant)
    assert certificate.course_title == course.title
    assert selectors.courses_completed(participant) == [certificate]


def test_passing_the_quiz_alone_gives_no_certificate(client, participant, lessons):
    client.force_login(participant)
    pass_quiz(client, lessons[2])
    done(client, lessons[0])
    assert not Certificate.objects.exists()


def test_verification_page_shows_only_name_course_and_date(client, participant, lessons, course):
    participant.first_name, participant.last_name = "Amina", "Diallo"
    participant.save()
    client.force_login(participant)
    complete_course(client, lessons)
    certificate = Certificate.objects.get()
    client.logout()
    response = client.get(
        reverse("resources:certificate_verify", kwargs={"certificate_id": certificate.pk})
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Amina Diallo" in html and course.title in html
    assert participant.email not in html
    assert (
        reverse("resources:certificate_pdf", kwargs={"certificate_id": certificate.pk}) not in html
    )


def test_forged_or_unknown_certificate_ids_are_404(client):
    assert (
        client.get(
            reverse("resources:certificate_verify", kwargs={"certificate_id": uuid.uuid4()})
        ).status_code
        == 404
    )
    assert client.get("/it/library/certificates/12345/").status_code == 404
    assert client.get("/it/library/certificates/not-a-uuid-at-all/").status_code == 404


def test_certificate_pdf_for_its_owner_only(client, participant, user, lessons):
    client.force_login(participant)
    complete_course(client, lessons)
    certificate = Certificate.objects.get()
    url = reverse("resources:certificate_pdf", kwargs={"certificate_id": certificate.pk})
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    client.force_login(user)
    assert client.get(url).status_code == 404


def test_certificate_pdf_has_the_verification_address(participant):
    from resources.pdf import certificate_pdf, qr_svg

    certificate = Certificate(
        user=participant,
        course_key=uuid.uuid4(),
        recipient_name="Amina",
        course_title="Vendere online",
        completed_on="2026-01-15",
    )
    svg = qr_svg("https://example.org/it/library/certificates/x/")
    assert svg.startswith("<svg") and "<path" in svg
    pdf = certificate_pdf(
        certificate=certificate, verification_url="https://example.org/it/library/certificates/x/"
    )
    assert pdf.startswith(b"%PDF")


def test_progress_selectors_for_other_apps(client, participant, lessons, course):
    client.force_login(participant)
    assert selectors.course_progress_for_user(participant) == []
    done(client, lessons[0])
    in_progress = selectors.courses_in_progress(participant)
    assert [progress.course for progress in in_progress] == [course]
    assert in_progress[0].next_lesson == lessons[1]
    complete_course(client, lessons)
    assert selectors.courses_in_progress(participant) == []
    assert len(selectors.course_progress_for_user(participant)) == 1


def test_progress_selector_query_count_does_not_grow(client, participant, library):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.resources.factories import CoursePageFactory, LessonPageFactory, add_lessons

    client.force_login(participant)
    counts = []
    for _ in range(2):
        for _ in range(3):
            course = CoursePageFactory(parent=library)
            lessons = [LessonPageFactory(parent=course) for _ in range(3)]
            add_lessons(course, lessons)
            done(client, lessons[0])
        with CaptureQueriesContext(connection) as queries:
            selectors.course_progress_for_user(participant)
        counts.append(len(queries))
    assert len(selectors.course_progress_for_user(participant)) == 6
    assert counts[0] == counts[1]


def test_lesson_done_in_english_counts_for_the_italian_course(
    client, participant, lessons, course, english_locale
):
    english = lessons[0].copy_for_translation(english_locale, copy_parents=True)
    english.save_revision().publish()
    client.force_login(participant)
    done(client, english)
    assert selectors.course_progress(user=participant, course=course).done_count == 1


def test_dashboard_panel_lists_courses_in_progress(rf, participant, lessons, client):
    from wagtail import hooks

    client.force_login(participant)
    done(client, lessons[0])
    request = rf.get("/")
    request.user = participant
    panels = [fn(request) for fn in hooks.get_hooks("avvio_participant_dashboard_panels")]
    panel = next(p for p in panels if p is not None and type(p).__module__.startswith("resources"))
    assert isinstance(panel.order, int)
    html = panel.render_html({"request": request})
    assert lessons[1].url in html
