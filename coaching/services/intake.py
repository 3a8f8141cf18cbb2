"""Joining the programme: the intake saved step by step, submission, assisted enrolment."""

import datetime
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from coaching.conf import app_settings
from coaching.intake import (
    CONSENT_FIELDS,
    PREFERENCE_FIELDS,
    STEPS,
    STEPS_BY_KEY,
    steps_applying,
)
from coaching.models import (
    DECLARATION_MAX_LENGTH,
    ConsentRecord,
    LabourStatus,
    Participant,
    Stage,
    StageChange,
)
from coaching.selectors import consent_state, current_privacy_notice, decision_expected_by
from coaching.services.consent import consent_record, special_data_save
from coaching.services.notify import participant_notify

#: The steps' keys and fields as lists, for the callers that read them here
#: (``coaching.intake`` defines them).
INTAKE_STEPS = [step.key for step in STEPS]
REQUIRED_STEPS = [step.key for step in STEPS if step.required]
STEP_FIELDS = {step.key: list(step.fields) for step in STEPS if step.fields}


def intake_answers_check(answers: dict) -> dict:
    """The one check of intake answers, for the intake forms, the staff's corrections and the
    saving service alike: each answer given (and not left empty) through its step's check,
    then each step's checks on the answers together. Returns the answers cleaned; raises one
    ``ValidationError`` naming every answer that fails, with the message to show next to it.
    """
    cleaned = dict(answers)
    errors: dict[str, list] = {}
    for step in STEPS:
        for field, check in step.field_checks:
            if cleaned.get(field) in (None, ""):
                continue
            try:
                cleaned[field] = check(cleaned[field])
            except ValidationError as error:
                errors.setdefault(field, []).extend(error.error_list)
    for step in STEPS:
        for check in step.checks:
            try:
                check({k: v for k, v in cleaned.items() if k not in errors})
            except ValidationError as error:
                for field, field_errors in error.error_dict.items():
                    errors.setdefault(field, []).extend(field_errors)
    if errors:
        raise ValidationError(errors)
    return cleaned


def steps_for(participant: Participant, *, staff: bool = False) -> list[str]:
    """The steps this person sees (the special-category step only after explicit consent);
    with ``staff``, those a coordinator fills in for them."""
    return [step.key for step in steps_applying(consent_state(participant), staff=staff)]


def entry_answers_locked(participant: Participant) -> bool:
    """Whether the entry answers are read-only: from the first acceptance on, since the entry
    record was made from them. After a decline the person may still correct them and send the
    application again (the dashboard tells them so)."""
    return participant.participation > 0


def locked_fields(participant: Participant, step: str) -> list[str]:
    """The answers of this intake step that nobody may change through the intake."""
    if not entry_answers_locked(participant):
        return []
    return list(STEPS_BY_KEY[step].entry_fields) if step in STEPS_BY_KEY else []


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

    The answers go through ``intake_answers_check``; answers left out of ``data`` stay as they
    are (a form always sends every answer it asks). Once the person is accepted, the entry
    answers (``ENTRY_FIELDS``) are kept as they are: a different one refuses the whole step,
    whoever sends it. Coordinators correct them with ``entry_answers_correct``.
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
        data = intake_answers_check(data)
        for field in STEP_FIELDS[step]:
            if field not in locked and field in data:
                setattr(participant, field, data[field])
        clear_unemployed_months(participant)
    elif step == "consent":
        notice = current_privacy_notice(participant.site)
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


def preferences_editable(participant: Participant) -> bool:
    """Whether the person may change their preferences about meeting a mentor on their own
    page: once the application is sent, whatever the decision (before, the intake's "needs"
    step asks them), until their data is erased."""
    return participant.status != Participant.Status.DRAFT and participant.erased_at is None


@transaction.atomic
def participant_preferences_change(*, participant: Participant, data: dict) -> Participant:
    """Save the person's preferences about meeting a mentor (``PREFERENCE_FIELDS``), checked
    as in the intake (``intake_answers_check``). The same answers sent twice change nothing;
    answers left out of ``data`` stay as they are."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if not preferences_editable(participant):
        raise ValidationError(
            _("These preferences cannot be changed now."), code="preferences_not_editable"
        )
    data = intake_answers_check({f: data[f] for f in PREFERENCE_FIELDS if f in data})
    changed = [f for f in PREFERENCE_FIELDS if f in data and data[f] != getattr(participant, f)]
    for field in changed:
        setattr(participant, field, data[field])
    if changed:
        participant.save(update_fields=[*changed, "updated_at"])
    return participant


def missing_steps(participant: Participant) -> list[str]:
    return [s for s in REQUIRED_STEPS if s not in participant.completed_steps]


@transaction.atomic
def participant_submit(*, participant: Participant, by, now=None) -> Participant:
    """Send the application for an eligibility decision. Submitting twice changes nothing.

    Once the transaction commits, a background task sends the person a receipt
    (``send_application_receipt``): only a submission that happened sends one."""
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
    pk, submitted_at = participant.pk, participant.submitted_at.isoformat()
    transaction.on_commit(lambda: send_application_receipt.enqueue(pk, submitted_at))
    return participant


def application_receipt_send(*, participant_id: int, submitted_at: str) -> bool:
    """Tell the person their application has arrived, what happens next and roughly when.

    Does nothing when the application is no longer the one sent at ``submitted_at`` (a
    coordinator decided first, or it was sent again later, which sends its own receipt)."""
    with transaction.atomic():
        participant = (
            Participant.objects.select_for_update()
            .select_related("user", "site")
            .filter(pk=participant_id)
            .first()
        )
        if (
            participant is None
            or participant.status != Participant.Status.SUBMITTED
            or participant.submitted_at is None
            or participant.submitted_at != datetime.datetime.fromisoformat(submitted_at)
        ):
            return False
        participant_notify(
            participant=participant,
            template="submitted",
            context={
                "reply_by": decision_expected_by(participant),
                "working_days": app_settings.DECISION_WORKING_DAYS,
            },
        )
    return True


@task()
def send_application_receipt(participant_id: int, submitted_at: str) -> bool:
    """Enqueued when an application is sent (``participant_submit``)."""
    return application_receipt_send(participant_id=participant_id, submitted_at=submitted_at)


def consent_evidence_check(*, method: str, document=None, declaration: str = "") -> None:
    """Consent given off-line comes with its evidence: the signed form, or the coordinator's
    declaration of how it was given. The assisted enrolment form shows these messages."""
    declaration = declaration or ""
    if method == ConsentRecord.Method.PAPER_FORM and not document:
        raise ValidationError({"document": _("Upload the signed consent form.")})
    if method == ConsentRecord.Method.DECLARATION and not declaration.strip():
        raise ValidationError({"declaration": _("Write how the person gave their consent.")})
    if len(declaration) > DECLARATION_MAX_LENGTH:
        raise ValidationError(
            {
                "declaration": _("The declaration is too long: write at most %(limit)d characters.")
                % {"limit": DECLARATION_MAX_LENGTH}
            }
        )


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
    consent_evidence_check(method=consent_method, document=document, declaration=declaration)
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
    # The name staff wrote down greets the person until they say which one they use.
    participant.preferred_name = participant.preferred_name or first_name.strip()
    participant.save(update_fields=["assisted_by", "enrolment_key", "preferred_name", "updated_at"])
    common = {"method": consent_method, "by": by, "now": now}
    consent_record(
        participant=participant,
        kind=ConsentRecord.Kind.PRIVACY_NOTICE,
        granted=True,
        notice=current_privacy_notice(participant.site),
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
