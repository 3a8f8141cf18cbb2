"""The intake defined once (issue 10, item 5): one list of steps drives the forms, the pages,
the entry record, the export and erasure; each rule is checked by one service, whose message
the forms show; the latest consent wins through one selector; the manage page follows
``Participant.TRANSITIONS``; follow-up kinds and the demo's answers have one home."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coaching import demo, selectors, services
from coaching.conf import app_settings
from coaching.forms import STEP_FORMS, STEP_TITLES, DecisionForm, EntryAnswersForm, ExitForm
from coaching.intake import (
    ENTRY_FIELDS,
    ERASURE_KEPT_FIELDS,
    PROFILE_FIELDS,
    STEPS,
    steps_applying,
)
from coaching.models import ConsentRecord, FollowUp, Participant
from coaching.services.data import ERASURE_KEPT_SNAPSHOT_FIELDS
from coaching.services.intake import intake_answers_check
from tests.coaching.factories import COMPLETE_ANSWERS, make_participant, sign_in

pytestmark = pytest.mark.django_db


def test_each_step_form_asks_exactly_the_steps_answers():
    assert list(STEP_FORMS) == [step.key for step in STEPS]
    for step in STEPS:
        if step.fields:
            assert set(STEP_FORMS[step.key].base_fields) == set(step.fields), step.key
        assert set(step.entry_fields) <= set(step.fields)
        assert set(step.kept_after_erasure) <= set(step.entry_fields)
        assert STEP_TITLES[step.key] == step.title


def test_the_entry_form_the_export_and_erasure_read_the_definition():
    assert [name for name in EntryAnswersForm.base_fields if name != "reason"] == list(ENTRY_FIELDS)
    assert ERASURE_KEPT_SNAPSHOT_FIELDS == ERASURE_KEPT_FIELDS
    assert "birth_year" not in ERASURE_KEPT_FIELDS and "gender" in ERASURE_KEPT_FIELDS
    assert PROFILE_FIELDS[:3] == ("phone", "municipality", "languages")


def test_the_special_step_applies_only_with_its_consent_and_staff_skip_the_consent_step():
    keys = [step.key for step in steps_applying({})]
    assert "special" not in keys and "consent" in keys
    with_consent = {ConsentRecord.Kind.SPECIAL_CATEGORY: True}
    assert [s.key for s in steps_applying(with_consent)][-1] == "special"
    assert "consent" not in [s.key for s in steps_applying(with_consent, staff=True)]


def _message(error: ValidationError, field: str) -> str:
    return error.message_dict[field][0]


def test_the_save_service_refuses_the_answers_the_form_refuses(site):
    person = make_participant(answers=False)
    data = {"phone": "call me", "municipality": "Napoli", "languages": "Italiano"}
    form = STEP_FORMS["contact"](data)
    assert not form.is_valid()
    with pytest.raises(ValidationError) as refused:
        services.intake_save_step(participant=person, step="contact", data=data, by=person.user)
    assert form.errors["phone"] == [_message(refused.value, "phone")]
    person.refresh_from_db()
    assert person.phone == ""


def test_the_unemployed_say_for_how_long_in_the_form_and_the_service(site):
    person = make_participant(answers=False)
    data = {**COMPLETE_ANSWERS["work"], "unemployed_months": None}
    form = STEP_FORMS["work"]({**data, "unemployed_months": "", "in_education": "no"})
    assert not form.is_valid()
    with pytest.raises(ValidationError) as refused:
        services.intake_save_step(participant=person, step="work", data=data, by=person.user)
    assert form.errors["unemployed_months"] == [_message(refused.value, "unemployed_months")]


def test_the_correction_service_checks_the_answers_as_the_intake_does(site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    with pytest.raises(ValidationError) as refused:
        services.entry_answers_correct(
            participant=person, answers={"birth_year": 1800}, reason="Document", by=site_coordinator
        )
    form = EntryAnswersForm({**EntryAnswersForm.initial_for(person), "birth_year": "1800"})
    assert not form.is_valid()
    assert form.errors["birth_year"] == [_message(refused.value, "birth_year")]
    person.refresh_from_db()
    assert person.birth_year == 1990


def test_the_exit_service_refuses_a_future_date_with_the_forms_message(site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    future = timezone.localdate() + datetime.timedelta(days=10)
    with pytest.raises(ValidationError) as refused:
        services.participant_exit(participant=person, by=site_coordinator, exit_date=future)
    form = ExitForm({"exit_date": future.isoformat()})
    assert not form.is_valid()
    assert form.errors["exit_date"] == [_message(refused.value, "exit_date")]
    person.refresh_from_db()
    assert person.status == Participant.Status.ELIGIBLE


def test_the_decision_form_shows_the_services_message(site_coordinator):
    person = make_participant(status="submitted")
    with pytest.raises(ValidationError) as refused:
        services.participant_decide(
            participant=person, eligible=False, reason=" ", by=site_coordinator
        )
    form = DecisionForm({"decision": "decline", "reason": ""}, cohorts=None)
    assert not form.is_valid()
    assert form.errors["reason"] == [_message(refused.value, "reason")]


def test_the_demo_answers_are_a_complete_valid_intake():
    for step in STEPS:
        if step.fields:
            assert set(demo.ANSWERS[step.key]) == set(step.fields), step.key
            assert intake_answers_check(demo.ANSWERS[step.key]) == demo.ANSWERS[step.key]
    assert {k: v for k, v in COMPLETE_ANSWERS.items() if k not in {"idea", "consent"}} == {
        k: v for k, v in demo.ANSWERS.items() if k not in {"idea", "consent"}
    }


def test_the_latest_consent_wins_everywhere_even_at_the_same_instant(site):
    person = make_participant(status="eligible")
    kind = ConsentRecord.Kind.FOLLOW_UP_CONTACT
    now = timezone.now()
    # Two answers recorded at the same instant: the one saved later is the current one.
    ConsentRecord.objects.create(participant=person, kind=kind, granted=False, created_at=now)
    latest = ConsentRecord.objects.create(
        participant=person, kind=kind, granted=True, created_at=now
    )
    assert selectors.latest_consent(person, kind) == latest
    assert selectors.consents_latest_first(participant=person, kind=kind).first() == latest
    assert selectors.consent_state(person)[kind] is True
    assert selectors.may_contact_after_path(person) is True
    # Recording the current answer again adds nothing (the service reads the same record).
    assert services.consent_record(participant=person, kind=kind, granted=True, by=None) is None


def test_the_manage_page_follows_the_status_rules(client, site_coordinator, monkeypatch):
    person = make_participant(status="declined", by=site_coordinator)
    sign_in(client, site_coordinator)
    url = f"/admin/coaching/participant/{person.pk}/manage/"
    page = client.get(url).content.decode()
    assert 'id="decide-heading"' not in page and 'id="exit-heading"' not in page
    # Were the rules to let a declined application be decided again, the page would offer it.
    monkeypatch.setitem(
        Participant.TRANSITIONS,
        Participant.Status.DECLINED,
        {Participant.Status.SUBMITTED, Participant.Status.ELIGIBLE},
    )
    page = client.get(url).content.decode()
    assert 'id="decide-heading"' in page


def test_follow_up_kinds_and_their_times_are_defined_once():
    assert set(FollowUp.SCHEDULE) == set(FollowUp.Kind.values)
    assert app_settings.FOLLOWUP_SCHEDULE == FollowUp.SCHEDULE
    assert FollowUp.SCHEDULE[FollowUp.Kind.FOUR_WEEKS] == (28, 0)
