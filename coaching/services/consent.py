"""Consents and the special-category answers they unlock."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from coaching.models import AccessLog, ConsentRecord, Participant, SpecialCategoryData
from coaching.selectors import latest_consent
from coaching.services.audit import access_log_record


@transaction.atomic
def consent_record(
    *,
    participant: Participant,
    kind: str,
    granted: bool,
    by,
    method: str = ConsentRecord.Method.ONLINE,
    notice=None,
    document=None,
    declaration: str = "",
    now=None,
) -> ConsentRecord | None:
    """Record a consent given or withdrawn. Effective at once; unchanged answers add nothing.

    Withdrawing the special-category consent erases those answers immediately (we chose
    erasure over hiding: the data has no use without consent, and ESF+ reports count such
    people as "did not answer").
    """
    now = now or timezone.now()
    latest = latest_consent(participant, kind)
    same_notice = kind != ConsentRecord.Kind.PRIVACY_NOTICE or (
        latest is not None and latest.notice_id == getattr(notice, "pk", None)
    )
    if latest is not None and latest.granted == granted and same_notice and not document:
        return None
    if latest is None and not granted:
        # Never asked before and not given: nothing to record or withdraw.
        return None
    record = ConsentRecord(
        participant=participant,
        kind=kind,
        granted=granted,
        notice=notice if kind == ConsentRecord.Kind.PRIVACY_NOTICE else None,
        method=method,
        declaration=declaration,
        recorded_by=by,
        created_at=now,
    )
    if document:
        record.document = document
    record.save()
    if kind == ConsentRecord.Kind.SPECIAL_CATEGORY and not granted:
        special_data_erase(participant=participant, by=by, now=now)
    return record


@transaction.atomic
def special_data_save(
    *, participant: Participant, disability: str, minority: str, by, now=None
) -> SpecialCategoryData:
    if not _latest_granted(participant, ConsentRecord.Kind.SPECIAL_CATEGORY):
        raise PermissionDenied("No consent for special-category data.")
    data, _created = SpecialCategoryData.objects.update_or_create(
        participant=participant, defaults={"disability": disability, "minority": minority}
    )
    if by is not None and by.pk != participant.user_id:
        access_log_record(
            actor=by,
            participant=participant,
            action=AccessLog.Action.EDIT_SENSITIVE,
            now=now,
        )
    return data


def _latest_granted(participant: Participant, kind: str) -> bool:
    latest = latest_consent(participant, kind)
    return bool(latest and latest.granted)


@transaction.atomic
def special_data_erase(*, participant: Participant, by, now=None) -> bool:
    deleted, _ = SpecialCategoryData.objects.filter(participant=participant).delete()
    steps = [s for s in participant.completed_steps if s != "special"]
    if steps != participant.completed_steps:
        Participant.objects.filter(pk=participant.pk).update(completed_steps=steps)
        participant.completed_steps = steps
    if deleted:
        access_log_record(
            actor=by,
            participant=participant,
            action=AccessLog.Action.ERASE_SENSITIVE,
            now=now,
        )
    return bool(deleted)
