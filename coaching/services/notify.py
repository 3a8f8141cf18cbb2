"""Telling a participant something: a dashboard message and an e-mail, in their language."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from coaching.models import Notification, Participant


def language_for(user) -> str:
    """The language to write to ``user`` in: theirs if the site has it, else the default."""
    codes = {code for code, _name in settings.LANGUAGES}
    language = (getattr(user, "preferred_language", "") or "").split("-")[0]
    return language if language in codes else settings.LANGUAGE_CODE


def reachable(user) -> bool:
    """Whether ``user`` can be written to: active, with a real address (people enrolled with
    staff help may have none, shown as ``.invalid``)."""
    return bool(user and user.is_active and user.email and not user.email.endswith(".invalid"))


def mail_send(*, user, folder: str, template: str, context: dict) -> bool:
    """Render ``<folder>/<template>_subject.txt`` and ``_body.txt`` in ``user``'s language and
    send them now; nothing for someone who cannot be reached. ``context`` may hold callables
    of no argument, evaluated under that language (links to public pages carry the language
    in their path). Apps call it from their tasks, after the change has committed."""
    if not reachable(user):
        return False
    with translation.override(language_for(user)):
        values = {"user": user}
        values.update({k: v() if callable(v) else v for k, v in context.items()})
        subject = render_to_string(f"{folder}/{template}_subject.txt", values).strip()
        body = render_to_string(f"{folder}/{template}_body.txt", values).strip()
    send_mail(subject, body, None, [user.email], fail_silently=False)
    return True


def participant_notify(
    *,
    participant: Participant,
    template: str,
    context: dict | None = None,
    now=None,
    folder: str = "coaching/emails",
) -> Notification:
    """Render ``<folder>/<template>_subject.txt`` and ``_body.txt`` in the person's
    language, keep the message on the dashboard and send it by e-mail if they have a real
    address (people enrolled with staff help may not). Other apps (mentoring) pass their own
    ``folder``, so their messages reach the same dashboard.

    The e-mail leaves only after the caller's transaction commits: a decision rolled back
    sends nothing, and no row lock is held while the mail server answers."""
    user = participant.user
    context = {"participant": participant, "user": user, **(context or {})}
    with translation.override(language_for(user)):
        subject = render_to_string(f"{folder}/{template}_subject.txt", context).strip()
        body = render_to_string(f"{folder}/{template}_body.txt", context).strip()
    notification = Notification.objects.create(
        user=user,
        participant=participant,
        subject=subject,
        body=body,
        created_at=now or timezone.now(),
    )
    if user.email and not user.email.endswith(".invalid"):
        recipient = user.email
        transaction.on_commit(
            lambda: send_mail(subject, body, None, [recipient], fail_silently=False)
        )
    return notification
