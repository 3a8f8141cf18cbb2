"""Background tasks (django-tasks). They only call services: the rules live there.

Defined beside the services they run (``coaching.services.followup``,
``coaching.services.intake``), so that recording an exit can enqueue a reminder, and sending
an application its receipt, without the services importing this module; this is the name
workers and schedulers use.
"""

from coaching.services.followup import send_due_followups, send_followup_reminder
from coaching.services.intake import send_application_receipt

__all__ = ["send_application_receipt", "send_due_followups", "send_followup_reminder"]
