"""The audit and access logs cannot be lost: nothing deletes or rewrites them.

Deleting a participant, through the ORM or the Wagtail admin, is refused while any log refers
to them (the foreign keys are PROTECT; erasure anonymises instead), and the log rows refuse
deletion and updates one by one and in bulk. The participant's state changes are written to
Wagtail's log entries and shown in their admin history.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from coaching import services
from coaching.models import (
    AccessLog,
    ConsentRecord,
    EntryAnswerChange,
    ExitRecord,
    Participant,
    StageChange,
)
from tests.coaching.factories import make_participant, sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGS = (AccessLog, ConsentRecord, EntryAnswerChange, ExitRecord, StageChange)
APPEND_ONLY = (AccessLog, ConsentRecord, EntryAnswerChange, StageChange)


@pytest.fixture
def person(site_coordinator):
    """A participant with a row in every log: consents, stages, a correction, access, exit."""
    person = make_participant(status="eligible", by=site_coordinator)
    services.entry_answers_correct(
        participant=person,
        answers={"gender": "man"},
        reason="Typed wrong at the desk",
        by=site_coordinator,
    )
    services.participant_exit(
        participant=person, by=site_coordinator, exit_date=datetime.date(2026, 1, 31)
    )
    services.participant_export(participant=person, by=person.user)
    return person


def _log_rows(person) -> dict:
    rows = {
        model: set(model.objects.filter(participant=person).values_list("pk", flat=True))
        for model in LOGS
    }
    assert all(rows.values()), rows
    rows[ModelLogEntry] = set(
        ModelLogEntry.objects.for_instance(person).values_list("pk", flat=True)
    )
    return rows


def _assert_kept(person, rows):
    """Every row is still there (a page shown afterwards may add an access-log entry)."""
    assert Participant.objects.filter(pk=person.pk).exists()
    for model in LOGS:
        kept = set(model.objects.filter(participant_id=person.pk).values_list("pk", flat=True))
        assert rows[model] <= kept, model
    kept = set(ModelLogEntry.objects.for_instance(person).values_list("pk", flat=True))
    assert rows[ModelLogEntry] <= kept


def test_deleting_a_participant_through_the_orm_is_refused_and_every_log_row_stays(person):
    rows = _log_rows(person)

    with pytest.raises(ProtectedError):
        person.delete()
    with pytest.raises(ProtectedError):
        Participant.objects.filter(pk=person.pk).delete()

    _assert_kept(person, rows)


def test_deleting_a_participant_in_the_admin_is_refused_with_a_message(client, person):
    rows = _log_rows(person)
    admin = UserFactory(is_staff=True, is_superuser=True)
    sign_in(client, admin)

    url = reverse("coaching_participant:delete", args=[person.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("coaching_admin:manage", args=[person.pk])
    page = response.content.decode()
    assert "Non è possibile eliminare questa scheda partecipante" in page
    assert "Cancella invece i dati personali" in page
    assert "cambi di fase" in page
    _assert_kept(person, rows)


@pytest.mark.parametrize("model", APPEND_ONLY, ids=lambda m: m.__name__)
def test_log_rows_cannot_be_deleted_or_updated_in_bulk(person, model):
    rows = model.objects.filter(participant=person)
    count = rows.count()
    moment = timezone.now() - datetime.timedelta(days=365)

    with pytest.raises(ValidationError):
        rows.delete()
    with pytest.raises(ValidationError):
        model.objects.all().delete()
    with pytest.raises(ValidationError):
        rows.update(created_at=moment)
    with pytest.raises(ValidationError):
        model.objects.all().update(created_at=moment)

    assert rows.count() == count
    assert not model.objects.filter(created_at=moment).exists()


@pytest.mark.parametrize("model", APPEND_ONLY, ids=lambda m: m.__name__)
def test_log_rows_cannot_be_deleted_or_changed_one_by_one(person, model):
    row = model.objects.filter(participant=person).first()
    row.created_at = timezone.now() - datetime.timedelta(days=365)

    with pytest.raises(ValidationError):
        row.save()
    with pytest.raises(ValidationError):
        row.delete()

    stored = model.objects.get(pk=row.pk)
    assert stored.created_at != row.created_at


def test_a_decision_writes_a_wagtail_log_entry_shown_in_the_participants_history(
    client, site_coordinator
):
    person = make_participant(status="submitted")
    services.participant_decide(
        participant=person, eligible=True, reason="Fits the programme", by=site_coordinator
    )

    entries = ModelLogEntry.objects.for_instance(person)
    accepted = entries.get(action="coaching.accept")
    assert accepted.user_id == site_coordinator.pk
    # The entry is titled with the reference: a name there would outlive erasure.
    assert accepted.label == person.reference
    moved = entries.get(action="coaching.stage_change")
    assert moved.data == {"from": "intake", "to": "orientation"}

    sign_in(client, site_coordinator)
    response = client.get(reverse("coaching_participant:history", args=[person.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Domanda accettata" in page
    assert "Fase cambiata da Iscrizione a Orientamento" in page


def test_decline_exit_correction_and_erasure_are_wagtail_log_entries(site_coordinator):
    declined = make_participant(status="declined", by=site_coordinator)
    assert ModelLogEntry.objects.for_instance(declined).filter(action="coaching.decline").exists()

    person = make_participant(status="eligible", by=site_coordinator)
    services.entry_answers_correct(
        participant=person, answers={"gender": "man"}, reason="Typo", by=site_coordinator
    )
    services.participant_exit(
        participant=person, by=site_coordinator, exit_date=datetime.date(2026, 1, 31)
    )
    services.participant_erase(participant=person, by=site_coordinator, reason="Asked by phone")

    entries = ModelLogEntry.objects.for_instance(person)
    assert entries.get(action="coaching.entry_correction").data == {"fields": ["gender"]}
    assert entries.get(action="coaching.exit").data == {"participation": 1}
    assert entries.filter(action="coaching.stage_change", data__to="exit").exists()
    assert entries.get(action="coaching.erase").user_id == site_coordinator.pk
    assert not entries.exclude(label=person.reference).exists()
