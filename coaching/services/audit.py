"""The audit trail of who looked at or changed a participant's personal data and signed forms."""

from django.utils import timezone

from coaching.models import AccessLog, Participant


def access_log_record(
    *,
    actor,
    participant: Participant | None,
    action: str,
    details: dict | None = None,
    now=None,
) -> AccessLog:
    """Write one audit entry. Every staff view of personal data calls this before showing it.

    ``participant`` is None only for an export of the list, which covers many participants.
    """
    return AccessLog.objects.create(
        actor=actor,
        participant=participant,
        action=action,
        details=details or {},
        created_at=now or timezone.now(),
    )


def access_log_export(
    *, actor, export_format: str, rows: int, filters: dict, search: str = "", now=None
) -> AccessLog:
    """Log a download of the participant list: its format, row count and what narrowed it.

    ``filters`` maps each filter applied to ``{"value": <as in the URL>, "label": <as shown>}``
    so the entry stays readable after a cohort or municipality is renamed.
    """
    details = {"format": export_format, "rows": rows, "filters": filters}
    if search:
        details["search"] = search
    return access_log_record(
        actor=actor,
        participant=None,
        action=AccessLog.Action.EXPORT_PARTICIPANTS,
        details=details,
        now=now,
    )
