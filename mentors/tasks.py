"""Background tasks (django-tasks). They only call services: the rules live there.

Defined beside the services they run (``mentors.services.session_mail``,
``mentors.services.notify``, ``mentors.services.messages``), so that a service can enqueue
them without importing this module; this is the name workers and schedulers use. Schedule
``send_due_session_reminders`` every few minutes (cron or a scheduler): it sends any reminder a
worker missed, and all of them on a task backend without deferral.
"""

from mentors.services.messages import send_message_notice
from mentors.services.notify import send_change_request_notice, send_match_notice
from mentors.services.session_mail import (
    send_due_session_reminders,
    send_session_notice,
    send_session_reminder,
)

__all__ = [
    "send_change_request_notice",
    "send_due_session_reminders",
    "send_match_notice",
    "send_message_notice",
    "send_session_notice",
    "send_session_reminder",
]
