"""Free text that staff type (decision and erasure reasons, the consent declaration) has a
length limit, checked in the form (with a message, keeping what was typed) and by the
database."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CheckConstraint
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from coaching import services
from coaching.forms import (
    AssistedEnrolmentForm,
    DecisionForm,
    EntryAnswersForm,
    ErasureForm,
    StageForm,
)
from coaching.models import ConsentRecord, EntryAnswerChange, Participant, StageChange
from tests.coaching.factories import make_participant, sign_in

pytestmark = pytest.mark.django_db

#: The limits the README promises (``coaching.models.REASON_MAX_LENGTH`` and
#: ``DECLARATION_MAX_LENGTH``), written out so a change to them is a deliberate one.
REASON_MAX_LENGTH = 2000
DECLARATION_MAX_LENGTH = 2000

#: Django's own message for a too long value, in Italian (the admin's default language).
TOO_LONG_IT = "Assicurati che questo valore non contenga più di 2000 caratteri (ne ha 2001)."


def _manage(client, coordinator, person, data):
    sign_in(client, coordinator)
    return client.post(f"/admin/coaching/participant/{person.pk}/manage/", data)


#: Each text staff type: the form field that asks for it and the column its check guards.
LIMITED_TEXTS = [
    (DecisionForm, "reason", Participant, "decision_reason", REASON_MAX_LENGTH),
    (ErasureForm, "reason", Participant, "erasure_reason", REASON_MAX_LENGTH),
    (StageForm, "reason", StageChange, "reason", REASON_MAX_LENGTH),
    (EntryAnswersForm, "reason", EntryAnswerChange, "reason", REASON_MAX_LENGTH),
    (AssistedEnrolmentForm, "declaration", ConsentRecord, "declaration", DECLARATION_MAX_LENGTH),
]


@pytest.mark.parametrize(("form", "form_field", "model", "column", "limit"), LIMITED_TEXTS)
def test_the_form_and_the_database_hold_the_promised_limit(form, form_field, model, column, limit):
    """The form says so with a message; the check catches whatever does not go through it."""
    from coaching import models

    assert (models.REASON_MAX_LENGTH, models.DECLARATION_MAX_LENGTH) == (
        REASON_MAX_LENGTH,
        DECLARATION_MAX_LENGTH,
    )
    assert form.base_fields[form_field].max_length == limit
    checks = [
        constraint.condition
        for constraint in model._meta.constraints
        if isinstance(constraint, CheckConstraint)
    ]
    assert LessThanOrEqual(Length(column), limit) in checks


def test_a_too_long_decision_reason_is_refused_and_kept(client, site_coordinator):
    person = make_participant(status="submitted")
    reason = "Motivo " + "x" * (REASON_MAX_LENGTH - 6)
    response = _manage(
        client,
        site_coordinator,
        person,
        {"action": "decide", "decide-decision": "decline", "decide-reason": reason},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert TOO_LONG_IT in page
    assert reason in page  # what was typed is still in the text area
    person.refresh_from_db()
    assert (person.status, person.decision_reason) == ("submitted", "")


def test_the_decision_service_refuses_a_too_long_reason(site_coordinator):
    person = make_participant(status="submitted")
    with pytest.raises(ValidationError):
        services.participant_decide(
            participant=person,
            eligible=False,
            reason="x" * (REASON_MAX_LENGTH + 1),
            by=site_coordinator,
        )
    services.participant_decide(
        participant=person, eligible=False, reason="x" * REASON_MAX_LENGTH, by=site_coordinator
    )
    person.refresh_from_db()
    assert len(person.decision_reason) == REASON_MAX_LENGTH


def test_a_too_long_stage_reason_is_refused_and_kept(client, site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    reason = "y" * (REASON_MAX_LENGTH + 1)
    response = _manage(
        client,
        site_coordinator,
        person,
        {"action": "stage", "stage-to_stage": "training", "stage-reason": reason},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert TOO_LONG_IT in page
    assert reason in page
    person.refresh_from_db()
    assert person.stage == "orientation"
    # Up to the limit is fine (it was 500 before: a decision reason did not fit in it).
    response = _manage(
        client,
        site_coordinator,
        person,
        {"action": "stage", "stage-to_stage": "training", "stage-reason": reason[:-1]},
    )
    assert response.status_code == 302
    assert StageChange.objects.get(participant=person, to_stage="training").reason == reason[:-1]


def test_a_too_long_erasure_reason_is_refused_and_kept(client, site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    reason = "z" * (REASON_MAX_LENGTH + 1)
    response = _manage(
        client, site_coordinator, person, {"action": "erase", "erase-reason": reason}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert TOO_LONG_IT in page
    assert reason in page
    person.refresh_from_db()
    assert person.erased_at is None


def test_a_too_long_declaration_is_refused_and_kept(client, site_coordinator):
    sign_in(client, site_coordinator)
    declaration = "Informativa spiegata in arabo, a voce. " + "d" * DECLARATION_MAX_LENGTH
    response = client.post(
        "/it/path/staff/enrol/",
        {
            "first_name": "Amina",
            "last_name": "Diallo",
            "email": "",
            "language": "it",
            "consent_method": "declaration",
            "declaration": declaration,
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_declaration_error"' in page
    assert (
        f"Assicurati che questo valore non contenga più di 2000 caratteri "
        f"(ne ha {len(declaration)})." in page
    )
    assert declaration in page
    assert not Participant.objects.filter(user__first_name="Amina").exists()


def test_the_assisted_enrolment_service_refuses_a_too_long_declaration(site, site_coordinator):
    with pytest.raises(ValidationError):
        services.participant_enrol_assisted(
            site=site,
            first_name="Amina",
            last_name="Diallo",
            consent_method="declaration",
            declaration="d" * (DECLARATION_MAX_LENGTH + 1),
            by=site_coordinator,
        )
    assert not Participant.objects.filter(user__first_name="Amina").exists()


@pytest.mark.parametrize("field", ["decision_reason", "erasure_reason"])
def test_the_database_refuses_a_too_long_participant_reason(field):
    person = make_participant(status="submitted")
    Participant.objects.filter(pk=person.pk).update(**{field: "x" * REASON_MAX_LENGTH})
    with pytest.raises(IntegrityError), transaction.atomic():
        Participant.objects.filter(pk=person.pk).update(**{field: "x" * (REASON_MAX_LENGTH + 1)})


def test_the_database_refuses_a_too_long_stage_reason(site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    with pytest.raises(IntegrityError), transaction.atomic():
        StageChange.objects.create(
            participant=person,
            from_stage="orientation",
            to_stage="training",
            reason="x" * (REASON_MAX_LENGTH + 1),
            created_at=timezone.now(),
        )


def test_the_database_refuses_a_too_long_declaration():
    person = make_participant()
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsentRecord.objects.create(
            participant=person,
            kind=ConsentRecord.Kind.PRIVACY_NOTICE,
            granted=True,
            method=ConsentRecord.Method.DECLARATION,
            declaration="d" * (DECLARATION_MAX_LENGTH + 1),
            created_at=timezone.now(),
        )
