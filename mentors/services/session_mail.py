"""What the two people of a session hear about it by e-mail: notices and reminders.

- A notice to the other person when one side asks for a session, confirms, moves or cancels
  it. Confirmations and moves of a confirmed session carry the .ics invitation (a
  cancellation its ``METHOD:CANCEL``).
- Reminders a day and an hour before (``MENTORS_REMINDERS``), to both people: a
  ``SessionReminder`` row per reminder, queued when the session is confirmed or moved, and a
  task enqueued for its time (``run_after``). The task sends only if the session is still
  confirmed, still starts when the row says and the row is not sent yet, and marks it sent
  under a row lock: never twice, never for a cancelled or moved session. A periodic sweep
  (``send_due_session_reminders``) sends what a worker missed, and is all there is on task
  backends without deferral (the immediate backend of development and tests).

Every task is enqueued once the transaction that made the change commits (a change rolled back
tells nobody) and reads the session again: a notice whose session has changed since
(``sequence`` moved on) is dropped, since the later change sends its own. The tasks are defined
here, beside what they run, as in ``coaching.services.followup``; ``mentors.tasks`` is the name
workers and schedulers use. Plain-text templates in ``mentors/emails/``, in the reader's language.
"""

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import default_task_backend, task

from coaching.services.notify import language_for, reachable
from mentors import ical
from mentors.conf import app_settings
from mentors.models import Session, SessionReminder
from mentors.selectors_sessions import zone

FOLDER = "mentors/emails"

#: The notices, each the name of its templates.
REQUESTED, CONFIRMED, RESCHEDULED, CANCELLED = (
    "session_requested",
    "session_confirmed",
    "session_rescheduled",
    "session_cancelled",
)


def session_url(session: Session) -> str:
    """The absolute link to the session's page, in the active language."""
    site = session.participant.site
    return f"{site.root_url}{reverse('mentors:session_detail', args=[session.pk])}"


def _people(session: Session):
    return (session.mentor.user, session.participant.user)


def session_mail_send(
    *, session: Session, user, template: str, invite: bool = False, context=None
) -> bool:
    """Render ``mentors/emails/<template>_subject.txt`` and ``_body.txt`` for ``user`` (one of
    the session's two people) in their language, with times in the programme's zone, and send
    it, with the .ics invitation when ``invite``."""
    if not reachable(user):
        return False
    with translation.override(language_for(user)), timezone.override(zone()):
        url = session_url(session)
        values = {
            "user": user,
            "session": session,
            "name": ical.other_first_name(session, user),
            "when": session.starts_at,
            "where": ical.where(session),
            "url": url,
            **(context or {}),
        }
        subject = render_to_string(f"{FOLDER}/{template}_subject.txt", values).strip()
        body = render_to_string(f"{FOLDER}/{template}_body.txt", values).strip()
        attachment = ical.invitation(session, user=user, url=url) if invite else None
    message = EmailMessage(subject, body, None, [user.email])
    if attachment:
        method = "CANCEL" if session.status in ical.CANCELLED else "REQUEST"
        message.attach("invite.ics", attachment, f"text/calendar; method={method}; charset=utf-8")
    message.send(fail_silently=False)
    return True


def _session(session_id: int) -> Session | None:
    return (
        Session.objects.select_related(
            "mentor__user", "participant__user", "participant__site", "match"
        )
        .filter(pk=session_id)
        .first()
    )


# --- Notices ---------------------------------------------------------------------------------


def session_notice_send(*, session_id: int, notice: str, sequence: int, actor_id) -> int:
    """Send ``notice`` to the person of the session who is not ``actor_id``, if the session
    has not changed since (its ``sequence``). Returns how many messages left."""
    session = _session(session_id)
    if session is None or session.sequence != sequence:
        return 0
    recipients = [user for user in _people(session) if user.pk != actor_id]
    invite = notice in (CONFIRMED, CANCELLED) or (
        notice == RESCHEDULED and session.status == Session.Status.CONFIRMED
    )
    return sum(
        session_mail_send(session=session, user=user, template=notice, invite=invite)
        for user in recipients
    )


@task()
def send_session_notice(session_id: int, notice: str, sequence: int, actor_id: int | None) -> int:
    """Enqueued by ``session_notice_schedule`` when a session is asked for or changes."""
    return session_notice_send(
        session_id=session_id, notice=notice, sequence=sequence, actor_id=actor_id
    )


def session_notice_schedule(*, session: Session, notice: str, actor) -> None:
    """Called inside the transaction of the change; the task leaves once it commits."""
    args = (session.pk, notice, session.sequence, getattr(actor, "pk", None))
    transaction.on_commit(lambda: send_session_notice.enqueue(*args))


# --- Reminders -------------------------------------------------------------------------------


def session_reminders_queue(*, session: Session, now=None) -> list[SessionReminder]:
    """Drop the reminders not sent yet and queue new ones for the session's time (called on
    confirmation and on a move of a confirmed session, inside their transaction). A reminder
    whose time has already passed is not queued; one already sent for this very start (the
    session moved away and back) is not queued again."""
    now = now or timezone.now()
    session.reminders.filter(sent_at__isnull=True).delete()
    queued = []
    for kind, before in app_settings.REMINDERS.items():
        send_at = session.starts_at - before
        if send_at <= now:
            continue
        reminder, created = SessionReminder.objects.get_or_create(
            session=session, kind=kind, starts_at=session.starts_at, defaults={"send_at": send_at}
        )
        if created:
            queued.append(reminder)
    if default_task_backend.supports_defer:
        for reminder in queued:
            pk, run_after = reminder.pk, reminder.send_at
            transaction.on_commit(
                lambda pk=pk, run_after=run_after: send_session_reminder.using(
                    run_after=run_after
                ).enqueue(pk)
            )
    # Backends without deferral rely on the sweep ``send_due_session_reminders``.
    return queued


def reminders_due(now):
    """Reminders whose time has come, of sessions still confirmed, at the time queued and
    not begun yet."""
    return SessionReminder.objects.filter(
        sent_at__isnull=True,
        send_at__lte=now,
        session__status=Session.Status.CONFIRMED,
        session__starts_at=F("starts_at"),
        session__starts_at__gt=now,
    )


def session_reminder_send(*, reminder_id: int, now=None) -> bool:
    """Send one reminder to both people, once. Nothing before its time, after the session has
    begun, for a session cancelled or moved, or twice: the row is locked and marked sent in
    the same transaction, and the e-mails leave when it commits."""
    now = now or timezone.now()
    with transaction.atomic():
        reminder = (
            SessionReminder.objects.select_for_update(of=("self",))
            .select_related(
                "session__mentor__user", "session__participant__user", "session__participant__site"
            )
            .filter(pk=reminder_id)
            .first()
        )
        if reminder is None or reminder.sent_at is not None or reminder.send_at > now:
            return False
        session = reminder.session
        if (
            session.status != Session.Status.CONFIRMED
            or session.starts_at != reminder.starts_at
            or session.starts_at <= now
        ):
            return False
        reminder.sent_at = now
        reminder.save(update_fields=["sent_at"])
        context = {"kind": reminder.kind}
        transaction.on_commit(
            lambda: [
                session_mail_send(
                    session=session, user=user, template="session_reminder", context=context
                )
                for user in _people(session)
            ]
        )
    return True


def session_reminders_send_due(*, now=None) -> int:
    """The sweep: send every reminder due now. Safe to run as often as you like."""
    now = now or timezone.now()
    return sum(
        session_reminder_send(reminder_id=pk, now=now)
        for pk in reminders_due(now).values_list("pk", flat=True)
    )


@task()
def send_session_reminder(reminder_id: int) -> bool:
    """Enqueued when the reminder is queued, with ``run_after`` = its time."""
    return session_reminder_send(reminder_id=reminder_id, now=timezone.now())


@task()
def send_due_session_reminders() -> int:
    """The sweep: run it every few minutes (cron or a scheduler) so no reminder is missed."""
    return session_reminders_send_due(now=timezone.now())
