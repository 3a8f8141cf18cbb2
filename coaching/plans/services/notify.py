"""Telling the other party of a plan's review what happened, by e-mail.

- the mentor, when the owner shares the plan, submits it, withdraws a submission or reopens
  a ready plan;
- the owner (on their dashboard too, through ``coaching.services.notify.participant_notify``),
  when the mentor asks for changes or marks the plan ready;
- either of them, of a new comment by the other.

Each notice is a django-tasks task enqueued once the transaction of the change commits (a
change rolled back tells nobody, no row lock is held while the mail server answers). The task
reads the plan again and sends nothing when it has moved on meanwhile, or when the mentor is
no longer the owner's mentor. The e-mail says who did what and where to read it, never the
text of a comment or message: e-mail leaves the programme's care, and a plan is about the
person's money. Plain-text templates in ``plans/emails/``, each in its reader's language;
nobody with an ``.invalid`` address (people enrolled with staff help) gets an e-mail.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from coaching.plans import selectors
from coaching.plans.models import BusinessPlan, PlanComment
from coaching.services.notify import language_for, participant_notify, reachable
from coaching.services.notify import mail_send as coaching_mail_send

FOLDER = "plans/emails"

#: Moves of the status flow and the status each leaves the plan in: a notice whose plan is
#: no longer in it (withdrawn before the mail left) is not sent.
STATUS_AFTER = {
    "submit": BusinessPlan.Status.SUBMITTED,
    "withdraw": BusinessPlan.Status.DRAFT,
    "request_changes": BusinessPlan.Status.CHANGES_REQUESTED,
    "ready": BusinessPlan.Status.READY,
    "reopen": BusinessPlan.Status.DRAFT,
}
#: The events the owner makes (told to the mentor); the others are the mentor's.
BY_OWNER = ("shared", "submit", "withdraw", "reopen")
EVENTS = ("shared", *STATUS_AFTER)


def name_of(user) -> str:
    """How a person is named to the other party: their name, never their e-mail address."""
    if user is None:
        return ""
    return user.get_full_name() or user.first_name or _("your mentor")


def _public_url(site, name: str, *args) -> str:
    """An absolute link to a public page, in the active language (call under its override)."""
    return f"{site.root_url}{reverse(name, args=args)}"


def mail_send(*, user, template: str, context: dict) -> bool:
    return coaching_mail_send(user=user, folder=FOLDER, template=template, context=context)


def _plan(plan_id: int) -> BusinessPlan | None:
    return (
        BusinessPlan.objects.select_related(
            "participant", "participant__user", "participant__site", "shared_with"
        )
        .filter(pk=plan_id)
        .first()
    )


def _mentor_now(plan: BusinessPlan):
    """The mentor the plan is shared with, if they are still the owner's mentor."""
    mentor = plan.shared_with
    if mentor is None or not selectors.is_current_reviewer(mentor, plan):
        return None
    return mentor


def _tell_owner(
    plan: BusinessPlan, *, template: str, context: dict, url_name: str, url_args: tuple
) -> int:
    participant = plan.participant
    with translation.override(language_for(participant.user)):
        url = _public_url(participant.site, url_name, *url_args)
    participant_notify(
        participant=participant,
        template=template,
        folder=FOLDER,
        context={"plan": plan, "url": url, **context},
    )
    return int(reachable(participant.user))


def review_notice_send(*, plan_id: int, event: str) -> int:
    """Send the notice of ``event`` (``"shared"`` or a move) for the plan, if the plan is
    still where the event left it. Returns how many e-mails left."""
    plan = _plan(plan_id)
    if plan is None or event not in EVENTS:
        return 0
    if event in STATUS_AFTER and plan.status != STATUS_AFTER[event]:
        return 0
    mentor = _mentor_now(plan)
    if event in BY_OWNER:
        if mentor is None:
            return 0
        site = plan.participant.site
        return int(
            mail_send(
                user=mentor,
                template=event,
                context={
                    "plan": plan,
                    "owner_name": plan.participant.greeting_name,
                    "url": lambda: _public_url(site, "plans:overview", plan.pk),
                },
            )
        )
    return _tell_owner(
        plan,
        template=event,
        context={"mentor_name": name_of(plan.shared_with)},
        url_name="plans:overview",
        url_args=(plan.pk,),
    )


@task()
def send_review_notice(plan_id: int, event: str) -> int:
    """Enqueued by ``review_notice_schedule`` when a plan is shared or moves."""
    return review_notice_send(plan_id=plan_id, event=event)


def review_notice_schedule(*, plan: BusinessPlan, event: str, by=None) -> None:
    """Called by ``services.review`` inside the transaction of a step."""
    pk = plan.pk
    transaction.on_commit(lambda: send_review_notice.enqueue(pk, str(event)))


def comment_notice_send(*, comment_id: int) -> int:
    """Tell the other party of a new comment: the mentor of the owner's, the owner of the
    mentor's. Returns how many e-mails left (0 or 1)."""
    comment = PlanComment.objects.select_related("section", "author").filter(pk=comment_id).first()
    if comment is None:
        return 0
    plan = _plan(comment.plan_id)
    mentor = _mentor_now(plan)
    if mentor is None:  # not shared, or no longer their mentor: nobody else reads it
        return 0
    section = comment.section
    if comment.author_id == plan.participant.user_id:
        site = plan.participant.site
        return int(
            mail_send(
                user=mentor,
                template="comment",
                context={
                    "plan": plan,
                    "author_name": plan.participant.greeting_name,
                    "section_title": section.title or section.key,
                    "url": lambda: _public_url(site, "plans:section", plan.pk, section.key),
                },
            )
        )
    if comment.author_id == mentor.pk:
        return _tell_owner(
            plan,
            template="comment",
            context={"author_name": name_of(mentor), "section_title": section.title or section.key},
            url_name="plans:section",
            url_args=(plan.pk, section.key),
        )
    return 0


@task()
def send_comment_notice(comment_id: int) -> int:
    """Enqueued by ``services.review`` once a comment commits."""
    return comment_notice_send(comment_id=comment_id)


def comment_notice_schedule(*, comment: PlanComment) -> None:
    pk = comment.pk
    transaction.on_commit(lambda: send_comment_notice.enqueue(pk))
