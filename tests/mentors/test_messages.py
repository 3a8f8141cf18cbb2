"""The thread of a match: only its two people, a double click sends once, one e-mail per
unread burst with no message content, blank or too long refused with the text kept."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from mentors.models import MESSAGE_MAX_LENGTH, Match, Message
from mentors.services.messages import message_notice_send, message_send
from tests.coaching.factories import sign_in
from tests.mentors.factories import make_match, make_mentor

pytestmark = pytest.mark.django_db

SECRET = "Ho un debito con mio cognato"


def _url(match, language="en"):
    with translation.override(language):
        return reverse("mentors:messages", args=[match.pk])


@pytest.fixture
def match(site):
    match = make_match(site=site)
    for user, language in ((match.mentor.user, "en"), (match.participant.user, "en")):
        user.preferred_language = language
        user.save()
    return match


def _post(client, match, body, key=None):
    return client.post(_url(match), {"body": body, "form_key": str(key or uuid.uuid4())})


def test_the_two_people_write_and_read_newest_at_the_bottom(
    client, match, django_capture_on_commit_callbacks
):
    client.force_login(match.participant.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, match, "Buongiorno, quando ci vediamo?")
    assert response.status_code == 302
    assert response["Location"].endswith("#latest")
    client.force_login(match.mentor.user)
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, match, "Martedì alle 10?")
    page = client.get(_url(match)).content.decode()
    assert page.index("Buongiorno, quando ci vediamo?") < page.index("Martedì alle 10?")
    assert [m.body for m in Message.objects.all()] == [
        "Buongiorno, quando ci vediamo?",
        "Martedì alle 10?",
    ]


def test_reading_the_thread_marks_the_other_sides_messages_read(client, match):
    mine, _ = message_send(match=match, by=match.mentor.user, body="Ciao")
    theirs, _ = message_send(match=match, by=match.participant.user, body="Salve")
    client.force_login(match.mentor.user)
    client.get(_url(match))
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert theirs.read_at is not None
    assert mine.read_at is None


@pytest.mark.parametrize("who", ["user", "mentor", "coordinator"])
def test_nobody_else_reads_or_writes_in_the_thread(client, site, user, coordinator, match, who):
    message_send(match=match, by=match.participant.user, body=SECRET)
    person = {"user": user, "mentor": make_mentor(site=site).user, "coordinator": coordinator}[who]
    sign_in(client, person)
    response = client.get(_url(match))
    assert response.status_code == 404
    assert SECRET not in response.content.decode()
    assert _post(client, match, "Intruso").status_code == 404
    with pytest.raises(PermissionDenied):
        message_send(match=match, by=person, body="Intruso")
    assert not Message.objects.filter(body="Intruso").exists()
    assert Message.objects.get().read_at is None


def test_an_ended_match_has_no_thread_any_more(client, match):
    Match.objects.filter(pk=match.pk).update(status=Match.Status.ENDED)
    client.force_login(match.mentor.user)
    assert client.get(_url(match)).status_code == 404
    with pytest.raises(ValidationError):
        message_send(match=match, by=match.mentor.user, body="Ancora?")


def test_a_double_click_sends_one_message_and_one_email(
    client, match, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(match.participant.user)
    key = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        first = _post(client, match, "Una volta sola", key)
        second = _post(client, match, "Una volta sola", key)
    assert first.status_code == second.status_code == 302
    assert Message.objects.count() == 1
    assert Message.objects.get().form_key == key
    assert len(mailoutbox) == 1


def test_the_email_says_there_is_a_message_and_where_never_what(
    client, match, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(match.participant.user)
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, match, SECRET)
    [mail] = mailoutbox
    assert mail.to == [match.mentor.user.email]
    assert mail.subject == f"A new message from {match.participant.greeting_name}"
    assert f"/en/mentoring/matches/{match.pk}/messages/" in mail.body
    assert SECRET not in mail.body and SECRET not in mail.subject
    assert "messages are not copied into e-mails" in mail.body


def test_one_email_per_unread_burst(client, match, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(match.participant.user)
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, match, "Primo")
        _post(client, match, "Secondo")
        _post(client, match, "Terzo")
    assert len(mailoutbox) == 1
    # The mentor reads; the next message starts a new burst, and a new e-mail.
    client.force_login(match.mentor.user)
    client.get(_url(match))
    client.force_login(match.participant.user)
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, match, "Quarto")
    assert len(mailoutbox) == 2
    # The mentor's answer tells the participant, in their own burst.
    client.force_login(match.mentor.user)
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, match, "Risposta")
    assert len(mailoutbox) == 3
    assert mailoutbox[2].to == [match.participant.user.email]
    assert mailoutbox[2].subject == f"A new message from {match.mentor}"


def test_a_message_read_before_its_email_left_sends_nothing(match, mailoutbox):
    message, _ = message_send(match=match, by=match.mentor.user, body="Ciao")
    Message.objects.filter(pk=message.pk).update(read_at=message.created_at)
    assert message_notice_send(message_id=message.pk) == 0
    assert mailoutbox == []


def test_the_email_is_in_the_readers_language(match, mailoutbox):
    match.mentor.user.preferred_language = "it"
    match.mentor.user.save()
    message, _ = message_send(match=match, by=match.participant.user, body="Ciao")
    assert message_notice_send(message_id=message.pk) == 1
    assert f"/it/mentoring/matches/{match.pk}/messages/" in mailoutbox[0].body


@pytest.mark.parametrize("body", ["", "   \n  "])
def test_a_blank_message_is_refused(client, match, body):
    client.force_login(match.participant.user)
    response = _post(client, match, body)
    assert response.status_code == 400
    assert "Write your message before sending it." in response.content.decode()
    assert not Message.objects.exists()


def test_a_too_long_message_is_refused_and_the_text_kept(client, match):
    client.force_login(match.participant.user)
    body = "a" * (MESSAGE_MAX_LENGTH + 1)
    key = uuid.uuid4()
    response = _post(client, match, body, key)
    html = response.content.decode()
    assert response.status_code == 400
    assert f"A message can be at most {MESSAGE_MAX_LENGTH} characters long" in html
    assert body in html
    assert str(key) in html  # the same form, the same key: sent once when shortened
    assert not Message.objects.exists()
    assert _post(client, match, "a" * MESSAGE_MAX_LENGTH, key).status_code == 302
    assert Message.objects.count() == 1


def test_a_form_without_a_key_keeps_the_text_and_gets_a_new_key(client, match):
    client.force_login(match.participant.user)
    response = client.post(_url(match), {"body": "Testo prezioso", "form_key": "nonsense"})
    assert response.status_code == 400
    assert "Testo prezioso" in response.content.decode()
    new_key = response.context["form"]["form_key"].value()
    assert uuid.UUID(str(new_key))
    assert not Message.objects.exists()


def test_a_key_of_someone_elses_message_is_not_reused(site, match):
    message, _ = message_send(match=match, by=match.mentor.user, body="Mio", form_key=uuid.uuid4())
    with pytest.raises(PermissionDenied):
        message_send(match=match, by=match.participant.user, body="Tuo", form_key=message.form_key)
    assert Message.objects.count() == 1
