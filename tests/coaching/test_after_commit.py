"""E-mails leave and consent files go only after the transaction commits."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from coaching import services
from coaching.models import ConsentRecord, Notification, Participant, private_storage
from tests.coaching.factories import make_participant

pytestmark = pytest.mark.django_db


class Abort(Exception):
    pass


def test_a_rolled_back_decision_sends_no_email(
    site_coordinator, django_capture_on_commit_callbacks
):
    person = make_participant(status="submitted")
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Abort),
        transaction.atomic(),
    ):
        services.participant_decide(
            participant=person, eligible=True, reason="", by=site_coordinator
        )
        raise Abort
    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.filter(participant=person).exists()
    assert Participant.objects.get(pk=person.pk).status == "submitted"


def test_the_decision_email_waits_for_the_commit(
    site_coordinator, django_capture_on_commit_callbacks
):
    person = make_participant(status="submitted")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.participant_decide(
            participant=person, eligible=True, reason="", by=site_coordinator
        )
        assert mail.outbox == []  # nothing is sent while the row lock is held
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [[person.user.email]]


def _with_signed_form(person, by):
    record = services.consent_record(
        participant=person,
        kind=ConsentRecord.Kind.SHARE_WITH_MENTOR,
        granted=False,
        by=by,
        method=ConsentRecord.Method.PAPER_FORM,
        document=SimpleUploadedFile("consenso.pdf", b"%PDF-1.4 signed", "application/pdf"),
    )
    assert private_storage.exists(record.document.name)
    return record.document.name


def test_erasure_deletes_consent_files_only_after_commit(
    site_coordinator, django_capture_on_commit_callbacks
):
    person = make_participant()
    name = _with_signed_form(person, site_coordinator)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.participant_erase(participant=person, by=site_coordinator, reason="Asked by mail")
        assert private_storage.exists(name)
    for callback in callbacks:
        callback()
    assert not private_storage.exists(name)
    assert not ConsentRecord.objects.filter(participant=person).exclude(document="").exists()


def test_a_rolled_back_erasure_keeps_the_consent_files(
    site_coordinator, django_capture_on_commit_callbacks
):
    person = make_participant()
    name = _with_signed_form(person, site_coordinator)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Abort),
        transaction.atomic(),
    ):
        services.participant_erase(participant=person, by=site_coordinator, reason="Mistake")
        raise Abort
    assert private_storage.exists(name)
    assert ConsentRecord.objects.filter(participant=person).exclude(document="").get()
