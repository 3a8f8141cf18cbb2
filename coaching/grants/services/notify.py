"""Telling people what happened to an application, by e-mail.

- the applicant, when their application is submitted: a receipt with its reference (on their
  dashboard too, through ``coaching.services.notify.participant_notify``);
- the mentor, when the applicant asks for an endorsement: the call and the applicant's first
  name, never what the application says.

Each notice is a django-tasks task enqueued once the transaction of the change commits (a
change rolled back tells nobody, no row lock is held while the mail server answers); the task
reads the record again and sends nothing when it has moved on meanwhile. Plain-text templates
in ``grants/emails/``, each in its reader's language.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from coaching.grants.models import Endorsement, GrantApplication
from coaching.services.notify import language_for, mail_send, participant_notify, reachable

FOLDER = "grants/emails"


def _public_url(site, name: str, *args) -> str:
    """An absolute link to a public page, in the active language (call under its override)."""
    return f"{site.root_url}{reverse(name, args=args)}"


def first_name_of(participant) -> str:
    """How the applicant is named to their mentor: the first name only."""
    return participant.user.first_name or participant.preferred_name


def receipt_send(*, application_id: int) -> int:
    """The receipt of a submitted application: its reference, the call and when. Returns how
    many e-mails left (0 or 1)."""
    application = (
        GrantApplication.objects.select_related("participant__user", "site", "call")
        .filter(pk=application_id, status=GrantApplication.Status.SUBMITTED)
        .first()
    )
    if application is None:
        return 0
    participant = application.participant
    with translation.override(language_for(participant.user)):
        url = _public_url(application.site, "grants:application", application.pk)
    participant_notify(
        participant=participant,
        template="receipt",
        folder=FOLDER,
        context={"application": application, "call": application.call, "url": url},
    )
    return int(reachable(participant.user))


@task()
def send_receipt(application_id: int) -> int:
    """Enqueued by ``receipt_schedule`` once a submission commits."""
    return receipt_send(application_id=application_id)


def receipt_schedule(*, application: GrantApplication) -> None:
    """Called by ``services.applications.application_submit`` inside its transaction."""
    pk = application.pk
    transaction.on_commit(lambda: send_receipt.enqueue(pk))


def endorsement_request_send(*, endorsement_id: int) -> int:
    """Ask the mentor for their word, unless it was given or asked of someone else since."""
    endorsement = (
        Endorsement.objects.select_related(
            "mentor", "application__call", "application__site", "application__participant__user"
        )
        .filter(pk=endorsement_id, given_at__isnull=True)
        .first()
    )
    if endorsement is None:
        return 0
    application = endorsement.application
    return int(
        mail_send(
            user=endorsement.mentor,
            folder=FOLDER,
            template="endorsement_request",
            context={
                "call": application.call,
                "applicant_name": first_name_of(application.participant),
                "url": lambda: _public_url(application.site, "grants:endorsement", endorsement.pk),
            },
        )
    )


@task()
def send_endorsement_request(endorsement_id: int) -> int:
    """Enqueued by ``endorsement_request_schedule`` once a request commits."""
    return endorsement_request_send(endorsement_id=endorsement_id)


def endorsement_request_schedule(*, endorsement: Endorsement) -> None:
    pk = endorsement.pk
    transaction.on_commit(lambda: send_endorsement_request.enqueue(pk))
