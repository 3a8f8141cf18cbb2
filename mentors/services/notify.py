"""Telling the people of a match what happened to it, by e-mail.

- the mentor, of a confirmed match waiting for their answer;
- the participant, when the mentor accepts (also on their dashboard, through coaching's
  ``participant_notify``);
- the coordinators of the participant's site, when a mentor declines or a participant asks to
  change mentor.

Each notice is a django-tasks task enqueued once the transaction that made the change commits
(a change rolled back tells nobody, and no row lock is held while the mail server answers).
The task reads the record again and sends nothing when it has moved on meanwhile: a match
declined before its "waiting for you" mail left, a request withdrawn before the coordinators
heard of it. Only a real move enqueues a notice (a second click moves nothing), so each is sent
once. Plain-text templates in ``mentors/emails/``, each in its reader's language.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django_tasks import task
from wagtail.admin.utils import get_admin_base_url

from coaching.selectors import StaffRole, site_staff
from coaching.services.notify import language_for, participant_notify
from coaching.services.notify import mail_send as coaching_mail_send
from mentors.models import ChangeRequest, Match

FOLDER = "mentors/emails"


def _public_url(site, name: str, *args) -> str:
    """An absolute link to a public page, in the active language (call under its override)."""
    return f"{site.root_url}{reverse(name, args=args)}"


def _admin_url(name: str, *args) -> str:
    return f"{get_admin_base_url()}{reverse(name, args=args)}"


def mail_send(*, user, template: str, context: dict) -> bool:
    return coaching_mail_send(user=user, folder=FOLDER, template=template, context=context)


def _coordinators_mail(*, site_id: int, template: str, context: dict) -> int:
    return sum(
        mail_send(user=coordinator, template=template, context=context)
        for coordinator in site_staff(site_id, role=StaffRole.COORDINATOR)
    )


def match_notice_send(*, match_id: int, status: str) -> int:
    """Send the notice of ``status`` for the match, if the match still is in it. Returns how
    many messages left."""
    match = (
        Match.objects.select_related("participant__user", "participant__site", "mentor__user")
        .filter(pk=match_id)
        .first()
    )
    if match is None or match.status != status:
        return 0
    participant, site = match.participant, match.participant.site
    if status == Match.Status.CONFIRMED:
        url = lambda: _public_url(site, "mentors:match_respond", match.pk)  # noqa: E731
        return int(
            mail_send(
                user=match.mentor.user,
                template="match_waiting",
                context={"match": match, "first_name": participant.greeting_name, "url": url},
            )
        )
    if status == Match.Status.ACCEPTED:
        with translation.override(language_for(participant.user)):
            url = _public_url(site, "mentors:my_mentor")
        participant_notify(
            participant=participant,
            template="match_accepted",
            folder=FOLDER,
            context={"match": match, "mentor": match.mentor, "url": url},
        )
        return 1
    if status == Match.Status.DECLINED:
        return _coordinators_mail(
            site_id=participant.site_id,
            template="match_declined",
            context={
                "match": match,
                "reference": participant.reference,
                "url": _admin_url("coaching_admin:manage", participant.pk),
            },
        )
    return 0


@task()
def send_match_notice(match_id: int, status: str) -> int:
    """Enqueued by ``match_notice_schedule`` when a match moves."""
    return match_notice_send(match_id=match_id, status=status)


#: The moves of a match somebody must hear about.
NOTIFIED = (Match.Status.CONFIRMED, Match.Status.ACCEPTED, Match.Status.DECLINED)


def match_notice_schedule(*, match: Match, status: str) -> None:
    """Called by ``mentors.services.matches`` inside the transaction of a move."""
    if status in NOTIFIED:
        pk = match.pk
        transaction.on_commit(lambda: send_match_notice.enqueue(pk, str(status)))


def change_request_notice_send(*, request_id: int) -> int:
    """Tell the site's coordinators of a request to change mentor, if it is still open."""
    change = (
        ChangeRequest.objects.select_related("participant", "wanted_mentor__user")
        .filter(pk=request_id, status=ChangeRequest.Status.OPEN)
        .first()
    )
    if change is None:
        return 0
    return _coordinators_mail(
        site_id=change.participant.site_id,
        template="change_requested",
        context={
            "change": change,
            "reference": change.participant.reference,
            "url": _admin_url("mentors_requests:index"),
        },
    )


@task()
def send_change_request_notice(request_id: int) -> int:
    """Enqueued by ``change_request_create`` once the request is stored."""
    return change_request_notice_send(request_id=request_id)


def change_request_notice_schedule(*, change: ChangeRequest) -> None:
    pk = change.pk
    transaction.on_commit(lambda: send_change_request_notice.enqueue(pk))
