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
