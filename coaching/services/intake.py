"""Joining the programme: the intake saved step by step, submission, assisted enrolment."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coaching.conf import app_settings
from coaching.models import (
    DECLARATION_MAX_LENGTH,
    ConsentRecord,
    LabourStatus,
    Participant,
    Stage,
    StageChange,
)
from coaching.selectors import consent_state, current_privacy_notice
from coaching.services.consent import consent_record, special_data_save

#: The intake, in order. "special" is shown only after the special-category consent.
INTAKE_STEPS = ["contact", "about", "work", "education", "idea", "needs", "consent", "special"]
REQUIRED_STEPS = [s for s in INTAKE_STEPS if s != "special"]

STEP_FIELDS = {
    "contact": ["phone", "municipality", "languages"],
    "about": ["birth_year", "birth_month", "gender", "citizenship", "foreign_background"],
    "work": ["labour_status", "unemployed_months", "works_without_contract", "in_education"],
    "education": ["education_level", "housing"],
    "idea": ["idea_sector", "idea_stage", "idea_description"],
    "needs": ["needs", "mentor_availability", "mentor_language", "mentor_gender"],
}
#: The answers ESF+ counts at entry: the entry record's indicators are made from them. From
#: the first acceptance on they are no longer the person's to change; a coordinator corrects
#: them, with a reason kept in the history (``entry_answers_correct``).
ENTRY_FIELDS = (
    "birth_year",
    "birth_month",
    "gender",
    "citizenship",
    "foreign_background",
    "labour_status",
    "unemployed_months",
    "works_without_contract",
    "in_education",
    "education_level",
    "housing",
)
CONSENT_FIELDS = {
    "special_category": ConsentRecord.Kind.SPECIAL_CATEGORY,
    "share_with_mentor": ConsentRecord.Kind.SHARE_WITH_MENTOR,
    "follow_up_contact": ConsentRecord.Kind.FOLLOW_UP_CONTACT,
}


def steps_for(participant: Participant) -> list[str]:
    """The steps this person sees: the special-category step only after explicit consent."""
    if consent_state(participant)[ConsentRecord.Kind.SPECIAL_CATEGORY]:
        return list(INTAKE_STEPS)
    return [s for s in INTAKE_STEPS if s != "special"]


def entry_answers_locked(participant: Participant) -> bool:
    """Whether the entry answers are read-only: from the first acceptance on, since the entry
    record was made from them. After a decline the person may still correct them and send the
    application again (the dashboard tells them so)."""
    return participant.participation > 0


def locked_fields(participant: Participant, step: str) -> list[str]:
    """The answers of this intake step that nobody may change through the intake."""
    if not entry_answers_locked(participant):
        return []
    return [field for field in STEP_FIELDS.get(step, []) if field in ENTRY_FIELDS]


def clear_unemployed_months(participant: Participant) -> None:
    """Only the unemployed say for how long (the long-term unemployment indicator)."""
    if participant.labour_status != LabourStatus.UNEMPLOYED:
        participant.unemployed_months = None


def _add_to_group(user, name: str) -> None:
    group, _created = Group.objects.get_or_create(name=name)
    user.groups.add(group)


def participant_start(*, user, site) -> Participant:
    """Start (or continue) the person's enrolment in this municipality. Idempotent."""
    existing = Participant.objects.filter(user=user, site=site).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            participant = Participant.objects.create(user=user, site=site)
            StageChange.objects.create(
                participant=participant,
                from_stage="",
                to_stage=Stage.INTAKE,
                changed_by=user,
                reason="",
                created_at=timezone.now(),
            )
            _add_to_group(user, app_settings.PARTICIPANT_GROUP)
    except IntegrityError:
        # A second tab or a double click created it first: continue that one.
        return Participant.objects.get(user=user, site=site)
    return participant


def _mark_done(participant: Participant, step: str) -> None:
    if step not in participant.completed_steps:
        participant.completed_steps = [*participant.completed_steps, step]


@transaction.atomic
def intake_save_step(
    *, participant: Participant, step: str, data: dict, by, now=None
) -> Participant:
    """Save one step of the intake (what the step's form cleaned) and mark it done.

    Once the person is accepted, the entry answers (``ENTRY_FIELDS``) are kept as they are:
    answers left out of ``data`` stay, and a different one refuses the whole step, whoever
    sends it. Coordinators correct them with ``entry_answers_correct``.
    """
    now = now or timezone.now()
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if step in STEP_FIELDS:
        locked = locked_fields(participant, step)
        if any(f in data and data[f] != getattr(participant, f) for f in locked):
            raise ValidationError(
                _(
                    "These answers were used when your application was accepted and can no "
                    "longer be changed here. Ask the programme staff to correct them."
                ),
                code="entry_answers_locked",
            )
        for field in STEP_FIELDS[step]:
            if field not in locked:
                setattr(participant, field, data.get(field))
        clear_unemployed_months(participant)
    elif step == "consent":
        notice = current_privacy_notice()
        if data.get("privacy_notice"):
            consent_record(
                participant=participant,
                kind=ConsentRecord.Kind.PRIVACY_NOTICE,
                granted=True,
                notice=notice,
                by=by,
                now=now,
            )
        for field, kind in CONSENT_FIELDS.items():
            consent_record(
                participant=participant, kind=kind, granted=bool(data.get(field)), by=by, now=now
            )
    elif step == "special":
        if data.get("skip"):
            pass
        else:
            special_data_save(
                participant=participant,
                disability=data.get("disability") or "",
                minority=data.get("minority") or "",
                by=by,
                now=now,
            )
    else:
        raise ValidationError(_("Unknown step."))
    _mark_done(participant, step)
    # Participant fields were set on the locked copy; save only what intake owns.
    participant.save()
    return participant


def missing_steps(participant: Participant) -> list[str]:
    return [s for s in REQUIRED_STEPS if s not in participant.completed_steps]


@transaction.atomic
def participant_submit(*, participant: Participant, by, now=None) -> Participant:
    """Send the application for an eligibility decision. Submitting twice changes nothing."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.status == Participant.Status.SUBMITTED:
        return participant
    if missing_steps(participant):
        raise ValidationError(_("Some steps are not complete yet."))
    if not consent_state(participant)[ConsentRecord.Kind.PRIVACY_NOTICE]:
        raise ValidationError(_("The privacy notice must be accepted first."))
    if not participant.can_move_to(Participant.Status.SUBMITTED):
        raise ValidationError(_("This application cannot be sent now."))
    participant.status = Participant.Status.SUBMITTED
    participant.submitted_at = now or timezone.now()
    participant.save(update_fields=["status", "submitted_at", "updated_at"])
    return participant


def participant_enrol_assisted(*, submission_key=None, **kwargs) -> Participant:
    """A coordinator enrols a person who cannot do it alone (see ``_enrol_assisted``).

    ``submission_key`` is the one-time key of the enrolment form (a UUID made when the form
    was shown). Sending the same form twice - a double click on "Enrol", a reload - finds the
    person the first submission created instead of making a second one: people without
    e-mail have nothing else to recognise them by. Two submissions at the very same moment
    both reach the unique constraint on ``Participant.enrolment_key``; the loser's whole
    transaction (user, participant, consents) is rolled back and it returns the winner's.
    """
    if submission_key is not None:
        earlier = Participant.objects.filter(enrolment_key=submission_key).first()
        if earlier is not None:
            return earlier
    try:
        with transaction.atomic():
            return _enrol_assisted(submission_key=submission_key, **kwargs)
    except IntegrityError:
        if submission_key is None:
            raise
        earlier = Participant.objects.filter(enrolment_key=submission_key).first()
        if earlier is None:
            raise
        return earlier


def _enrol_assisted(
    *,
    submission_key,
    site,
    first_name: str,
    last_name: str,
    email: str = "",
    language: str = "",
    consent_method: str,
    document=None,
    declaration: str = "",
    optional_consents: dict[str, bool] | None = None,
    by,
    now=None,
) -> Participant:
    """Enrol a person for them, recording how consent was given.

    People without e-mail get a placeholder address under the reserved ``.invalid`` domain,
    which nothing ever sends to; the real address can be added at hand-over.
    ``optional_consents`` maps the names in ``CONSENT_FIELDS`` to the person's answers.
    """
    now = now or timezone.now()
    if consent_method == ConsentRecord.Method.PAPER_FORM and not document:
        raise ValidationError(_("Upload the signed consent form."))
    if consent_method == ConsentRecord.Method.DECLARATION and not declaration.strip():
        raise ValidationError(_("Write how the person gave their consent."))
    if len(declaration) > DECLARATION_MAX_LENGTH:
        raise ValidationError(
            _("The declaration is too long: write at most %(limit)d characters.")
            % {"limit": DECLARATION_MAX_LENGTH}
        )
    User = get_user_model()
    email = (email or "").strip().lower()
    if email and User.objects.filter(email__iexact=email).exists():
        # Never enrol an existing account for its owner: staff would add them to a group and
        # record a consent "on paper" for someone who may have joined online themselves.
        raise ValidationError(
            {
                "email": _(
                    "This person already has an account: ask them to join online, or look "
                    "them up in the participant list."
                )
            }
        )
    user = User(
        email=email or f"assisted-{secrets.token_hex(8)}@avvio.invalid",
        first_name=first_name,
        last_name=last_name,
    )
    if hasattr(user, "preferred_language"):
        user.preferred_language = language
    user.set_unusable_password()
    user.save()
    participant = participant_start(user=user, site=site)
    participant.assisted_by = by
    participant.enrolment_key = submission_key or participant.enrolment_key
    participant.save(update_fields=["assisted_by", "enrolment_key", "updated_at"])
    common = {"method": consent_method, "by": by, "now": now}
    consent_record(
        participant=participant,
        kind=ConsentRecord.Kind.PRIVACY_NOTICE,
        granted=True,
        notice=current_privacy_notice(),
        document=document,
        declaration=declaration,
        **common,
    )
    optional_consents = optional_consents or {}
    for field, kind in CONSENT_FIELDS.items():
        granted = bool(optional_consents.get(field))
        consent_record(participant=participant, kind=kind, granted=granted, **common)
    _mark_done(participant, "consent")
    participant.save(update_fields=["completed_steps", "updated_at"])
    return participant
