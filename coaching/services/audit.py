"""The audit trail of who looked at or changed special-category data and signed forms."""

from django.utils import timezone

from coaching.models import AccessLog, Participant


def access_log_record(*, actor, participant: Participant, action: str, now=None) -> AccessLog:
    """Write one audit entry. Every read of sensitive data calls this before showing it."""
    return AccessLog.objects.create(
        actor=actor, participant=participant, action=action, created_at=now or timezone.now()
    )
