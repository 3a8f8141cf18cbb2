"""Deleting an account must not take the records the law says to keep with it."""

import datetime

import pytest
from django.db.models import ProtectedError

from coaching import services
from coaching.models import (
    AccessLog,
    ConsentRecord,
    EntryRecord,
    ExitRecord,
    Participant,
    StageChange,
)
from tests.coaching.factories import make_participant

pytestmark = pytest.mark.django_db


def test_deleting_a_participants_account_is_refused_and_the_records_stay(site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    services.participant_exit(
        participant=person, by=site_coordinator, exit_date=datetime.date(2026, 1, 31)
    )
    services.participant_export(participant=person, by=person.user)  # an access-log entry
    kept = {
        model: model.objects.filter(participant=person).count()
        for model in (ConsentRecord, StageChange, AccessLog, EntryRecord, ExitRecord)
    }
    assert all(kept.values()), kept

    with pytest.raises(ProtectedError):
        person.user.delete()

    assert Participant.objects.filter(pk=person.pk).exists()
    for model, count in kept.items():
        assert model.objects.filter(participant=person).count() == count, model
