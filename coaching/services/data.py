"""Data-protection duties: a person's own data as JSON, erasure requests and erasure."""

import uuid

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coaching.intake import ERASURE_KEPT_FIELDS, PROFILE_FIELDS
from coaching.models import (
    AccessLog,
    CaseNote,
    ConsentRecord,
    EntryAnswerChange,
    EntryRecord,
    ErasureRequest,
    ExitRecord,
    FollowUp,
    HandoverCode,
    Notification,
    Participant,
    SpecialCategoryData,
    StageChange,
)
from coaching.personal_data import (
    ANONYMISED,
    DELETED,
    KEPT,
    Erasure,
    personal_data_erase,
    personal_data_erase_participation,
    personal_data_erasure_plan,
    personal_data_participation_erasure_plan,
)
from coaching.services.audit import access_log_record, participant_log_action
from coaching.services.notes import case_notes_erase


def _iso(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def participant_export(*, participant: Participant, by) -> dict:
    """Everything coaching holds about the person (including special-category answers, which
    are theirs), as plain JSON-ready data. The export is logged."""
    access_log_record(
        actor=by,
        participant=participant,
        action=AccessLog.Action.EXPORT_OWN_DATA,
    )
    return participant_data(participant)


def participant_data(participant: Participant) -> dict:
    """The JSON-ready content of ``participant_export``, without the log entry (the caller
    logs: the export view once per participation)."""
    profile = {f: _iso(getattr(participant, f)) for f in PROFILE_FIELDS}
    special = SpecialCategoryData.objects.filter(participant=participant).first()
    entry = EntryRecord.objects.filter(participant=participant).first()
    return {
        "reference": participant.reference,
        "municipality_site": participant.site.site_name or participant.site.hostname,
        "status": participant.status,
        "stage": participant.stage,
        "created_at": _iso(participant.created_at),
        "submitted_at": _iso(participant.submitted_at),
        "decided_at": _iso(participant.decided_at),
        "decision_reason": participant.decision_reason,
        "profile": profile,
        "special_category": (
            {"disability": special.disability, "minority": special.minority} if special else None
        ),
        "consents": [
            {
                "kind": c.kind,
                "granted": c.granted,
                "notice": c.notice.version if c.notice else None,
                "method": c.method,
                "at": _iso(c.created_at),
            }
            for c in ConsentRecord.objects.filter(participant=participant)
            .select_related("notice")
            .order_by("created_at")
        ],
        "stage_history": [
            {"from": s.from_stage, "to": s.to_stage, "reason": s.reason, "at": _iso(s.created_at)}
            for s in StageChange.objects.filter(participant=participant)
        ],
        "entry_record": entry.snapshot | {"entered_at": _iso(entry.entered_at)} if entry else None,
        "entry_answer_corrections": [
            {
                "answer": c.field,
                "before": c.old_value,
                "after": c.new_value,
                "reason": c.reason,
                "at": _iso(c.created_at),
            }
            for c in EntryAnswerChange.objects.filter(participant=participant)
        ],
        "exit_records": [
            {
                "participation": e.participation,
                "exit_date": _iso(e.exit_date),
                "in_employment": e.in_employment,
                "in_education": e.in_education,
                "gained_qualification": e.gained_qualification,
                "job_searching": e.job_searching,
                "business_registered": e.business_registered,
                "vat_number": e.vat_number,
            }
            for e in ExitRecord.objects.filter(participant=participant)
        ],
        "follow_ups": [
            {"kind": f.kind, "due_at": _iso(f.due_at), "situation": f.situation}
            for f in FollowUp.objects.filter(participant=participant)
        ],
        "messages": [
            {"subject": n.subject, "body": n.body, "at": _iso(n.created_at)}
            for n in Notification.objects.filter(participant=participant)
        ],
        # The person's right of access covers what coordinators wrote about them.
        "case_notes": [
            {"text": n.text, "at": _iso(n.created_at)}
            for n in CaseNote.objects.filter(participant=participant, erased_at__isnull=True)
        ],
    }


#: The entry snapshot keys kept after erasure: the ESF+ common output indicators on
#: participants (Regulation (EU) 2021/1057, Annex I; kept for the audit period of Regulation
#: (EU) 2021/1060 art. 82). None identifies the person on its own: the labour-market status
#: and its length (unemployed, long-term unemployed, inactive, employed), education (ISCED),
#: citizenship and foreign background (third-country nationals, foreign background), housing
#: (homeless or housing exclusion), being in education at entry, and undeclared work (the
#: programme's own result indicator). Dropped: phone, municipality of residence, languages,
#: birth year and month (the age at entry is a column of its own), the idea, needs and mentor
#: preferences - direct identifiers, or details that single a person out in a small town.
ERASURE_KEPT_SNAPSHOT_FIELDS = ERASURE_KEPT_FIELDS  # defined with the steps: coaching.intake

#: Placeholder domain for erased accounts: ``.invalid`` is reserved (RFC 2606), nothing is
#: ever delivered there, and handover refuses it as an invitation address.
ERASED_EMAIL_DOMAIN = "erased.avvio.invalid"

#: Coaching's key in the personal-data registry (``coaching.personal_data``).
PROVIDER_KEY = "coaching"


def erasure_request_open(participant: Participant) -> ErasureRequest | None:
    """The person's request still waiting for a coordinator, if any."""
    return participant.erasure_requests.filter(status=ErasureRequest.Status.REQUESTED).first()


def _erasure_request_close(*, request: ErasureRequest, status: str, now) -> None:
    if not request.can_move_to(status):
        raise ValidationError(
            f"An erasure request cannot go from {request.status} to {status}.",
            code="invalid_transition",
        )
    request.status = status
    request.closed_at = now
    request.save(update_fields=["status", "closed_at"])


@transaction.atomic
def participant_request_erasure(*, participant: Participant, now=None) -> Participant:
    """The person asks to be erased; a coordinator handles it (some records must be kept).

    Idempotent: while a request is open, asking again keeps it and its time (a double submit
    files one request). Also called by the host when the person asks, from their account
    page, to delete the whole account. Nothing to do once the data is erased.
    """
    now = now or timezone.now()
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.erased_at is None and erasure_request_open(participant) is None:
        ErasureRequest.objects.create(participant=participant, requested_at=now)
        Participant.objects.filter(pk=participant.pk).update(
            erasure_requested_at=now, updated_at=now
        )
        participant.refresh_from_db(fields=["erasure_requested_at", "updated_at"])
    return participant


@transaction.atomic
def participant_withdraw_erasure(*, participant: Participant, now=None) -> Participant:
    """The person takes their erasure request back, as long as no coordinator has acted.

    Idempotent: with no open request (a double submit) nothing changes. Refused once the
    data is erased: there is nothing left to take back.
    """
    now = now or timezone.now()
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.erased_at is not None:
        raise ValidationError(
            _("Your data has already been erased, so the request can no longer be withdrawn."),
            code="already_erased",
        )
    request = erasure_request_open(participant)
    if request is not None:
        _erasure_request_close(request=request, status=ErasureRequest.Status.WITHDRAWN, now=now)
        Participant.objects.filter(pk=participant.pk).update(
            erasure_requested_at=None, updated_at=now
        )
        participant.refresh_from_db(fields=["erasure_requested_at", "updated_at"])
    return participant


def participant_erasure_plan(*, participant: Participant) -> list[Erasure]:
    """What erasing this participation would do, before anyone asks for it.

    The same outcomes ``participant_erase`` logs: this participation's records and, when no
    other participation (another municipality) still holds data, every registered app's.
    """
    plan = participation_erasure_plan()
    others = Participant.objects.filter(user_id=participant.user_id, erased_at__isnull=True)
    if others.exclude(pk=participant.pk).exists():
        plan += personal_data_participation_erasure_plan(participant=participant)
    else:
        plan += personal_data_erasure_plan(user=participant.user)
    return plan


def _installed_model(app_label: str, model_name: str):
    """A model of an optional app (allauth's e-mail addresses, MFA), or None.

    Coaching is reusable and does not require allauth; when the host uses it, the account's
    addresses and second factors go with the rest of the account.
    """
    try:
        return apps.get_model(app_label, model_name)
    except LookupError:
        return None


def account_is_kept(user) -> bool:
    """A staff account outlives the person's erasure (see ``_user_anonymise``)."""
    return user.is_staff or user.is_superuser


def _user_anonymise(user) -> bool:
    """Make the account anonymous and unusable; its rows stay so the history's foreign keys hold.

    Staff accounts are left alone: their sign-in belongs to the municipality's work, not to
    the person's participation, and is handled by whoever runs the accounts.
    """
    if account_is_kept(user):
        return False
    user.email = f"erased-{uuid.uuid4().hex}@{ERASED_EMAIL_DOMAIN}"
    user.first_name = ""
    user.last_name = ""
    user.set_unusable_password()
    user.is_active = False
    user.save()
    for app_label, model_name in (
        ("account", "EmailAddress"),
        ("mfa", "Authenticator"),
        ("socialaccount", "SocialAccount"),
    ):
        model = _installed_model(app_label, model_name)
        if model is not None:
            model.objects.filter(user=user).delete()
    return True


#: The records coaching keeps after erasure, and why (``participation_erase``).
ESF_AUDIT = gettext_lazy(
    "Kept for the ESF+ audit, linked only to the participant reference (Regulation (EU) "
    "2021/1060 art. 82)."
)
ACCOUNTABILITY = gettext_lazy(
    "Kept to show that your data was handled and erased lawfully (GDPR art. 5(2)): who opened "
    "or changed your record and when, without the content of your answers."
)


def participation_erasure_plan() -> list[Erasure]:
    """What ``participation_erase`` does with each kind of record, and why some are kept.

    Shown to the person before they ask (the confirmation page) and logged after the erasure,
    so what we promise and what we do are the same list.
    """
    done = [
        (DELETED, _("Special-category answers, messages and hand-over codes"), ""),
        (DELETED, _("Uploaded consent forms"), ""),
        (
            ANONYMISED,
            _("Names, contact details, the idea, needs and mentor preferences, birth month"),
            "",
        ),
        (ANONYMISED, _("Identifying answers in the entry record and their corrections"), ""),
        (ANONYMISED, _("VAT number and follow-up notes"), ""),
        (ANONYMISED, _("The text of the coordinators' case notes"), ""),
        (KEPT, _("Entry indicators, exit results, consent and stage history"), ESF_AUDIT),
        (KEPT, _("The access log and the record of the erasure"), ACCOUNTABILITY),
    ]
    return [
        Erasure(provider=PROVIDER_KEY, action=action, what=str(what), why=str(why))
        for action, what, why in done
    ]


def participation_erase(*, participant: Participant, reason: str, now) -> list[Erasure]:
    """Erase one participation's personal data (inside ``participant_erase``'s transaction)
    and say what was done with each kind of record."""
    blank = {
        "preferred_name": "",
        "legal_name": "",
        "phone": "",
        "municipality": "",
        "languages": "",
        "birth_month": None,
        "idea_description": "",
        "needs": [],
        "preferred_languages": [],
        "meeting_modes": [],
        "availability": [],
        "mentor_gender": "",
    }
    for field, value in blank.items():
        setattr(participant, field, value)
    participant.erased_at = now
    participant.erasure_reason = reason
    participant.save()
    SpecialCategoryData.objects.filter(participant=participant).delete()
    Notification.objects.filter(participant=participant).delete()
    HandoverCode.objects.filter(participant=participant).delete()
    # Files go only once the erasure is committed: a rollback must not leave records
    # pointing at forms that no longer exist.
    for record in ConsentRecord.objects.filter(participant=participant).exclude(document=""):
        storage, name = record.document.storage, record.document.name
        transaction.on_commit(lambda s=storage, n=name: s.delete(n))
    ConsentRecord.objects.filter(participant=participant).exclude(document="").redact(document="")
    for entry in EntryRecord.objects.filter(participant=participant):
        entry.snapshot = {
            k: v for k, v in entry.snapshot.items() if k in ERASURE_KEPT_SNAPSHOT_FIELDS
        }
        entry.save(update_fields=["snapshot"])
    # Corrections keep the reason; the answers go where the snapshot drops them too.
    EntryAnswerChange.objects.filter(participant=participant).exclude(
        field__in=ERASURE_KEPT_SNAPSHOT_FIELDS
    ).redact(old_value=None, new_value=None)
    ExitRecord.objects.filter(participant=participant).update(vat_number="")
    FollowUp.objects.filter(participant=participant).update(notes="")
    case_notes_erase(participant=participant, now=now)
    return participation_erasure_plan()


def participant_erase(*, participant: Participant, by, reason: str = "", now=None) -> Participant:
    """Erase personal data, keeping what the ESF+ audit obliges us to keep.

    Needs the person's erasure request, or a reason written by staff (kept on the record, as
    the accountability for erasing without a request). Idempotent: a second call finds the
    record erased and does nothing (no second log entry).

    Removed: contact details, the idea, needs and preferences, special-category answers,
    messages, hand-over codes, uploaded consent forms, follow-up notes, the VAT number (it
    identifies a sole trader), and the identifying part of the entry snapshot (see
    ``ERASURE_KEPT_SNAPSHOT_FIELDS``). When the person has no other participation still
    holding data (another municipality), the account itself is anonymised: placeholder
    e-mail under ``.invalid``, no names, no usable password, inactive, its allauth e-mail
    addresses and second factors deleted. Kept (legal obligation, Regulation (EU) 2021/1060
    art. 82): the entry indicator columns and the kept snapshot fields, the exit results, the
    consent history and the stage history, linked only to the participant reference.
    """
    return _participant_erase(participant=participant, by=by, reason=reason, now=now, walk=True)


def _participant_erase(*, participant: Participant, by, reason: str, now, walk: bool):
    """``participant_erase``; with ``walk``, the last participation's erasure walks the
    personal-data registry (the registry's own coaching step erases with ``walk=False``)."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    with transaction.atomic():
        participant = (
            Participant.objects.select_for_update().select_related("user").get(pk=participant.pk)
        )
        if participant.erased_at is not None:
            return participant
        if participant.erasure_requested_at is None and not reason:
            raise ValidationError(
                _("Erasing needs the person's request or a reason written by staff.")
            )
        outcomes = participation_erase(participant=participant, reason=reason, now=now)
        request = erasure_request_open(participant)
        if request is not None:
            _erasure_request_close(request=request, status=ErasureRequest.Status.DONE, now=now)
        others = Participant.objects.filter(
            user_id=participant.user_id, erased_at__isnull=True
        ).exclude(pk=participant.pk)
        if walk and others.exists():
            # Another municipality still holds data: only this participation's records go in
            # the other apps (its plans, its mentoring); the account stays.
            outcomes += personal_data_erase_participation(
                participant=participant, by=by, reason=reason, now=now
            )
        elif walk:
            # The last participation holding data: every app's data about the person goes
            # too (coaching's own provider anonymises the account).
            outcomes += personal_data_erase(user=participant.user, by=by, reason=reason, now=now)
        access_log_record(
            actor=by,
            participant=participant,
            action=AccessLog.Action.ERASE_PARTICIPANT,
            details={"erasure": [outcome.as_json() for outcome in outcomes]},
            now=now,
        )
        participant_log_action(participant=participant, action="coaching.erase", by=by, now=now)
    return participant
