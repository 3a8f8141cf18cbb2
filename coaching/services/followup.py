"""Follow-up reminders after exit: the services, their background tasks and the scheduling.

The tasks are defined here, beside the services they run, so that recording an exit can
enqueue them without the service layer importing ``coaching.tasks`` (which imports the
services): one direction only, checked by the import contracts in ``pyproject.toml``.
``coaching.tasks`` is where workers and schedulers find them.
"""

from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend, task

from coaching.models import FollowUp
from coaching.selectors import followups_due, may_contact_after_path
from coaching.services.notify import participant_notify


def followup_send_reminder(*, follow_up_id: int, now=None) -> bool:
    """Remind the person that a follow-up is due. Does nothing before its time, twice, or
    when the person's current consent does not allow contacting them after the path."""
    now = now or timezone.now()
    with transaction.atomic():
        follow_up = (
            FollowUp.objects.select_for_update()
            .select_related("participant__user")
            .filter(pk=follow_up_id)
            .first()
        )
        if follow_up is None or not follow_up.is_due(now) or follow_up.reminded_at:
            return False
        if not may_contact_after_path(follow_up.participant):
            return False
        follow_up.reminded_at = now
        follow_up.save(update_fields=["reminded_at"])
        participant_notify(
            participant=follow_up.participant,
            template="follow_up_due",
            context={"follow_up": follow_up},
            now=now,
        )
    return True


def followups_send_due(*, now=None) -> int:
    """The sweep: remind everyone whose follow-up is due. Safe to run as often as you like."""
    now = now or timezone.now()
    return sum(
        followup_send_reminder(follow_up_id=pk, now=now)
        for pk in followups_due(now).values_list("pk", flat=True)
    )


@task()
def send_followup_reminder(follow_up_id: int) -> bool:
    """Enqueued at exit with ``run_after`` = the follow-up's due time."""
    return followup_send_reminder(follow_up_id=follow_up_id, now=timezone.now())


@task()
def send_due_followups() -> int:
    """The sweep: run it daily (cron or a scheduler) to catch any reminder a worker missed."""
    return followups_send_due(now=timezone.now())


def followup_schedule(follow_up: FollowUp) -> None:
    """Enqueue the reminder task for the due time (the record stays the source of truth)."""
    if default_task_backend.supports_defer:
        send_followup_reminder.using(run_after=follow_up.due_at).enqueue(follow_up.pk)
    # Backends without deferral (the immediate one in tests and development) rely on the
    # periodic sweep ``followups_send_due`` (task ``send_due_followups``).
