"""Booking, moving and cancelling mentoring sessions: the one place that writes them."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from mentors.models import Match, Session


@transaction.atomic
def session_cancel_upcoming(*, match: Match, by, reason: str, now=None) -> int:
    """Cancel the sessions of ``match`` still to come (asked or confirmed), e.g. when the match
    ends. Their reminders send nothing (the reminder task checks the status). Returns how many."""
    now = now or timezone.now()
    return Session.objects.filter(
        match=match,
        status__in=(Session.Status.REQUESTED, Session.Status.CONFIRMED),
        starts_at__gt=now,
    ).update(
        status=Session.Status.CANCELLED,
        cancel_reason=reason,
        cancelled_by=by,
        sequence=F("sequence") + 1,
        updated_at=now,
    )
