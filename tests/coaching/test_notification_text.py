"""Notifications are plain text: what people typed reaches them as they typed it."""

import pytest
from django.core import mail

from coaching.services.notify import participant_notify
from tests.coaching.factories import make_participant

pytestmark = pytest.mark.django_db


def test_a_name_with_an_apostrophe_is_written_as_typed(site, django_capture_on_commit_callbacks):
    participant = make_participant(site=site, status="submitted")
    participant.preferred_name = "D'Arco & Co"
    participant.save(update_fields=["preferred_name"])
    participant.user.preferred_language = "it"
    participant.user.save(update_fields=["preferred_language"])

    with django_capture_on_commit_callbacks(execute=True):
        notification = participant_notify(participant=participant, template="accepted")

    assert notification.body.startswith("Buongiorno D'Arco & Co,")
    assert "&#x27;" not in notification.body and "&amp;" not in notification.body
    assert mail.outbox[-1].body.startswith("Buongiorno D'Arco & Co,")


def test_the_dashboard_escapes_the_message_once(client, site):
    participant = make_participant(site=site, status="submitted")
    participant.preferred_name = "D'Arco"
    participant.save(update_fields=["preferred_name"])
    participant_notify(participant=participant, template="accepted")
    client.force_login(participant.user)

    page = client.get("/it/path/dashboard/").content.decode()

    assert "Buongiorno D&#x27;Arco," in page
    assert "&amp;#x27;" not in page
