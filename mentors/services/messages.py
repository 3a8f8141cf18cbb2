"""The messages of a match: a thread between the mentor and the participant, so neither side
must share a phone number or an address. No attachments.

- ``message_send``: one of the two writes. The form carries a one-time key
  (``Message.form_key``): a double click, or the same form posted twice, sends one message.
- ``messages_mark_read``: reading the thread marks the other side's messages read.
- The other person hears of a new message by e-mail, once per unread burst: a message
  written while an earlier one of the same sender is still unread sends no second e-mail.

The e-mail says only who wrote and where to read it, never what was written: e-mail leaves
the programme's care (mail providers, shared family phones, forwarded inboxes), and what a
mentor and their mentee tell each other may be about the person's money, health or family.
The thread itself is behind sign-in. The e-mail is a django-tasks task enqueued after the
message commits; the task sends nothing when the message was read meanwhile, or the match
has ended.
"""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from mentors.models import MESSAGE_MAX_LENGTH, Match, Message
from mentors.services.notify import _public_url, mail_send


def message_problem(body: str) -> str | None:
    """What is wrong with the text of a message, in words; None when it may be sent."""
    body = (body or "").strip()
    if not body:
        return _("Write your message before sending it.")
    if len(body) > MESSAGE_MAX_LENGTH:
        return _(
            "A message can be at most %(limit)d characters long; this one has %(length)d. "
            "Shorten it, or send it in two parts."
        ) % {"limit": MESSAGE_MAX_LENGTH, "length": len(body)}
    return None


def _is_of_match(match: Match, user) -> bool:
    return user.pk in (match.mentor.user_id, match.participant.user_id)


def message_send(
    *, match: Match, by, body: str, form_key: uuid.UUID | None = None
) -> tuple[Message, bool]:
    """Send ``body`` in the thread of ``match`` (accepted, and ``by`` one of its two people).
    Returns the message and whether it was sent now: a form key already used returns the
    message it sent. The match row is locked, so two clicks at once send one message and
    one e-mail."""
    problem = message_problem(body)
    if problem:
        raise ValidationError(problem)
    with transaction.atomic():
        locked = (
            Match.objects.select_for_update()
            .select_related("mentor", "participant")
            .get(pk=match.pk)
        )
        if not _is_of_match(locked, by):
            raise PermissionDenied
        if form_key is not None:
            sent = Message.objects.filter(form_key=form_key).first()
            if sent is not None:
                if sent.match_id != locked.pk or sent.sender_id != by.pk:
                    raise PermissionDenied
                return sent, False
        if locked.status != Match.Status.ACCEPTED:
            raise ValidationError(_("This mentoring has ended: messages can no longer be sent."))
        burst_open = Message.objects.filter(match=locked, sender=by, read_at__isnull=True).exists()
        message = Message.objects.create(
            match=locked, sender=by, body=body.strip(), form_key=form_key
        )
        if not burst_open:
            pk = message.pk
            transaction.on_commit(lambda: send_message_notice.enqueue(pk))
    return message, True


def messages_mark_read(*, match: Match, reader, now=None) -> int:
    """Mark the messages of the other side of ``match`` read by ``reader``. Returns how many."""
    now = now or timezone.now()
    return (
        Message.objects.filter(match=match, read_at__isnull=True)
        .exclude(sender=reader)
        .update(read_at=now)
    )


def message_notice_send(*, message_id: int) -> int:
    """Tell the other person of the match that ``message_id`` waits for them, unless it was
    read meanwhile or the match has ended. Returns how many e-mails left (0 or 1)."""
    message = (
        Message.objects.select_related(
            "match__participant__user", "match__participant__site", "match__mentor__user"
        )
        .filter(pk=message_id, read_at__isnull=True)
        .first()
    )
    if message is None or message.match.status != Match.Status.ACCEPTED:
        return 0
    match = message.match
    participant = match.participant
    if message.sender_id == match.mentor.user_id:
        recipient, sender_name = participant.user, str(match.mentor)
    else:
        recipient, sender_name = match.mentor.user, participant.greeting_name
    url = lambda: _public_url(participant.site, "mentors:messages", match.pk)  # noqa: E731
    return int(
        mail_send(
            user=recipient,
            template="new_message",
            context={"sender_name": sender_name, "url": url},
        )
    )


@task()
def send_message_notice(message_id: int) -> int:
    """Enqueued by ``message_send`` once a message that starts an unread burst commits."""
    return message_notice_send(message_id=message_id)
