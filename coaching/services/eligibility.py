"""The eligibility decision, the ESF+ entry record it freezes, and corrections after it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coaching.intake import ENTRY_FIELDS, PROFILE_FIELDS
from coaching.models import (
    REASON_MAX_LENGTH,
    Cohort,
    EntryAnswerChange,
    EntryRecord,
    LabourStatus,
    Participant,
    Stage,
)
from coaching.services.audit import participant_log_action
from coaching.services.intake import (
    clear_unemployed_months,
    entry_answers_locked,
    intake_answers_check,
)
from coaching.services.notify import participant_notify
from coaching.services.path import stage_change

#: ESF+ long-term unemployment: over 12 months (over 6 months for people under 25).
LONG_TERM_MONTHS = 12
LONG_TERM_MONTHS_UNDER_25 = 6


#: A correction of the entry answers says why (the service refuses one without; its form
#: shows this for the empty field).
ENTRY_REASON_REQUIRED = gettext_lazy("Write why you are changing these answers.")


def reason_length_check(reason: str) -> None:
    """A reason fits the record that keeps it."""
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("The reason is too long: write at most %(limit)d characters.")
                % {"limit": REASON_MAX_LENGTH}
            }
        )


def age_at(participant: Participant, when) -> int | None:
    """Age from birth year and month (the day is not collected): exact to within a month."""
    if not participant.birth_year:
        return None
    age = when.year - participant.birth_year
    if participant.birth_month and when.month < participant.birth_month:
        age -= 1
    return age


def _entry_indicators(participant: Participant, entered_at) -> dict:
    """The entry record's indicator columns, from the participant's answers."""
    age = age_at(participant, timezone.localdate(entered_at))
    months = participant.unemployed_months or 0
    threshold = LONG_TERM_MONTHS_UNDER_25 if age is not None and age < 25 else LONG_TERM_MONTHS
    return {
        "age_at_entry": age,
        "gender": participant.gender,
        "labour_status": participant.labour_status,
        "long_term_unemployed": participant.labour_status == LabourStatus.UNEMPLOYED
        and months > threshold,
        "isced_group": participant.isced_group,
        "citizenship": participant.citizenship,
        "works_without_contract": participant.works_without_contract,
    }


def entry_record_freeze(*, participant: Participant, now) -> EntryRecord:
    """Freeze the entry data the first time; re-entry keeps the first record."""
    existing = EntryRecord.objects.filter(participant=participant).first()
    if existing:
        return existing
    snapshot = {field: getattr(participant, field) for field in PROFILE_FIELDS}
    return EntryRecord.objects.create(
        participant=participant,
        entered_at=now,
        snapshot=snapshot,
        **_entry_indicators(participant, now),
    )


def entry_answers_correct(
    *, participant: Participant, answers: dict, reason: str, by, now=None
) -> list[EntryAnswerChange]:
    """A coordinator corrects entry answers after the decision, giving the reason.

    Only once the application was accepted (``entry_answers_locked``): before that the person
    changes them in the intake. ``answers`` maps names in ``ENTRY_FIELDS`` to the corrected
    values; those equal to the stored ones are ignored, and when all are (the same form sent
    twice) nothing is written and the list is empty. Each change is kept (before, after,
    reason, who, when), and the entry record, when there is one, is corrected with it: it
    must report what was true at entry, and the history shows what it said before.
    """
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ENTRY_REASON_REQUIRED})
    reason_length_check(reason)
    unknown = set(answers) - set(ENTRY_FIELDS)
    if unknown:
        raise ValidationError(_("Only the entry answers can be corrected here."))
    answers = intake_answers_check(answers)
    with transaction.atomic():
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        if participant.erased_at is not None:
            raise ValidationError(_("This person's personal data has been erased."))
        if not entry_answers_locked(participant):
            raise ValidationError(
                _(
                    "These answers can be corrected here only after the application is "
                    "accepted. Until then the person changes them in the intake."
                )
            )
        before = {field: getattr(participant, field) for field in ENTRY_FIELDS}
        for field, value in answers.items():
            setattr(participant, field, value)
        clear_unemployed_months(participant)
        after = {field: getattr(participant, field) for field in ENTRY_FIELDS}
        changed = [field for field in ENTRY_FIELDS if before[field] != after[field]]
        if not changed:
            return []
        participant.save()
        entry = EntryRecord.objects.select_for_update().filter(participant=participant).first()
        if entry is not None:
            for column, value in _entry_indicators(participant, entry.entered_at).items():
                setattr(entry, column, value)
            entry.snapshot = {**entry.snapshot, **{field: after[field] for field in changed}}
            entry.save()
        participant_log_action(
            participant=participant,
            action="coaching.entry_correction",
            by=by,
            data={"fields": changed},
            now=now,
        )
        return [
            EntryAnswerChange.objects.create(
                participant=participant,
                field=field,
                old_value=before[field],
                new_value=after[field],
                reason=reason,
                changed_by=by,
                created_at=now,
            )
            for field in changed
        ]


def decision_reason_check(*, eligible: bool, reason: str) -> None:
    """A decline says why (the person reads it); no reason is longer than the record keeps.
    The decision form shows these messages."""
    if not eligible and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    reason_length_check(reason)


def participant_decide(
    *, participant: Participant, eligible: bool, reason: str, by, cohort=None, now=None
) -> Participant:
    """Accept or decline an application, and tell the person in their language."""
    now = now or timezone.now()
    with transaction.atomic():
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        target = Participant.Status.ELIGIBLE if eligible else Participant.Status.DECLINED
        if not participant.can_move_to(target):
            raise ValidationError(_("This application is not waiting for a decision."))
        decision_reason_check(eligible=eligible, reason=reason)
        if cohort is not None:
            # Lock the cohort: two coordinators accepting at once must not overfill it.
            cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
            if cohort.site_id != participant.site_id:
                raise ValidationError(_("This cohort belongs to another municipality."))
            taken = cohort.participants.filter(status=Participant.Status.ELIGIBLE).count()
            if taken >= cohort.capacity:
                raise ValidationError(_("This cohort is full."))
            participant.cohort = cohort
        participant.status = target
        if eligible:
            # A new participation: its exit will be recorded under this number.
            participant.participation += 1
        participant.decided_at = now
        participant.decided_by = by
        participant.decision_reason = reason
        participant.save()
        participant_log_action(
            participant=participant,
            action="coaching.accept" if eligible else "coaching.decline",
            by=by,
            data={"participation": participant.participation},
            now=now,
        )
        if eligible:
            entry_record_freeze(participant=participant, now=now)
            stage_change(
                participant=participant,
                to_stage=Stage.ORIENTATION,
                by=by,
                reason=reason,
                now=now,
                notify=False,
            )
            participant.stage = Stage.ORIENTATION
        participant_notify(
            participant=participant,
            template="accepted" if eligible else "declined",
            context={"reason": reason},
            now=now,
        )
    return participant
