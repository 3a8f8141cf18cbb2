"""Background tasks (django-tasks). They only call services: the rules live there."""

from django.utils import timezone
from django_tasks import task

from coaching import services


@task()
def send_followup_reminder(follow_up_id: int) -> bool:
    """Enqueued at exit with ``run_after`` = the follow-up's due time."""
    return services.followup_send_reminder(follow_up_id=follow_up_id, now=timezone.now())


@task()
def send_due_followups() -> int:
    """The sweep: run it daily (cron or a scheduler) to catch any reminder a worker missed."""
    return services.followups_send_due(now=timezone.now())
