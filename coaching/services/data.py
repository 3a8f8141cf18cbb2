"""Data-protection duties: a person's own data as JSON, erasure requests and erasure."""

from django.db import transaction
from django.utils import timezone

from coaching.models import (
    AccessLog,
    ConsentRecord,
    EntryRecord,
    ExitRecord,
    FollowUp,
    HandoverCode,
    Notification,
    Participant,
    SpecialCategoryData,
    StageChange,
)
from coaching.services.audit import access_log_record
from coaching.services.intake import STEP_FIELDS


def _iso(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def participant_export(*, participant: Participant, by) -> dict:
    """Everything coaching holds about the person (including special-category answers, which
    are theirs), as plain JSON-ready data."""
    profile = {f: _iso(getattr(participant, f)) for fs in STEP_FIELDS.values() for f in fs}
    special = SpecialCategoryData.objects.filter(participant=participant).first()
    entry = EntryRecord.objects.filter(participant=participant).first()
    exit_record = ExitRecord.objects.filter(participant=participant).first()
    access_log_record(
        actor=by,
        participant=participant,
        action=AccessLog.Action.EXPORT_OWN_DATA,
    )
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
        "exit_record": (
            {
                "exit_date": _iso(exit_record.exit_date),
                "in_employment": exit_record.in_employment,
                "in_education": exit_record.in_education,
                "gained_qualification": exit_record.gained_qualification,
                "job_searching": exit_record.job_searching,
                "business_registered": exit_record.business_registered,
                "vat_number": exit_record.vat_number,
            }
            if exit_record
            else None
        ),
        "follow_ups": [
            {"kind": f.kind, "due_at": _iso(f.due_at), "situation": f.situation}
            for f in FollowUp.objects.filter(participant=participant)
        ],
        "messages": [
            {"subject": n.subject, "body": n.body, "at": _iso(n.created_at)}
            for n in Notification.objects.filter(participant=participant)
        ],
    }


def participant_request_erasure(*, participant: Participant, now=None) -> Participant:
    """The person asks to be erased; a coordinator handles it (some records must be kept)."""
    if participant.erasure_requested_at is None:
        participant.erasure_requested_at = now or timezone.now()
        participant.save(update_fields=["erasure_requested_at", "updated_at"])
    return participant


@transaction.atomic
def participant_erase(*, participant: Participant, by, now=None) -> Participant:
    """Erase personal data, keeping what the ESF+ audit obliges us to keep.

    Removed: contact details, the idea, needs and preferences, special-category answers,
    messages, hand-over codes and uploaded consent forms. Kept (legal obligation, Regulation
    (EU) 2021/1060 art. 82): the frozen entry indicators, the exit results, the consent
    history and the stage history, linked only to the participant reference.
    """
    now = now or timezone.now()
    blank = {
        "phone": "",
        "municipality": "",
        "languages": "",
        "idea_description": "",
        "needs": [],
        "mentor_availability": "",
        "mentor_language": "",
        "mentor_gender": "",
        "birth_month": None,
    }
    for field, value in blank.items():
        setattr(participant, field, value)
    participant.save()
    SpecialCategoryData.objects.filter(participant=participant).delete()
    Notification.objects.filter(participant=participant).delete()
    HandoverCode.objects.filter(participant=participant).delete()
    for record in ConsentRecord.objects.filter(participant=participant).exclude(document=""):
        record.document.delete(save=False)
    ConsentRecord.objects.filter(participant=participant).exclude(document="").update(document="")
    EntryRecord.objects.filter(participant=participant).update(snapshot={})
    access_log_record(
        actor=by,
        participant=participant,
        action=AccessLog.Action.ERASE_PARTICIPANT,
        now=now,
    )
    return participant
