"""Background tasks (django-tasks). They only call services: the rules live there.

Defined in ``coaching.services.followup`` beside the services they run, so that recording an
exit can enqueue a reminder without the services importing this module; this is the name
workers and schedulers use.
"""

from coaching.services.followup import send_due_followups, send_followup_reminder

__all__ = ["send_due_followups", "send_followup_reminder"]
