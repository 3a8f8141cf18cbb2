"""The mentor's review of a plan: sharing, the status flow and comments.

Who may make each move is written here, once; which moves exist is
``BusinessPlan.TRANSITIONS``:

- the owner shares the plan with their current mentor (``selectors.current_reviewers``), or
  stops sharing it;
- the owner submits a draft, or a plan whose changes were requested (it is shared with their
  mentor if it was not yet, and kept as a version); the owner withdraws a submission (back
  to draft); the owner reopens a ready plan (back to draft, a new round);
- the mentor it is shared with, while still the owner's mentor, asks for changes (with a
  message) or marks a submitted plan ready.

Every move locks the plan row; the same move clicked twice moves once and tells nobody
twice. Each is a step in the plan's history (``plan_log``) and a notice to the other party
(``services.notify``, after the transaction commits).

Comments: the owner and the shared mentor write on a section (COMMENT access); threads are
one level deep and either of them resolves or reopens one. Coordinators read, never write.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coaching.plans import selectors
from coaching.plans.models import (
    COMMENT_MAX_LENGTH,
    BusinessPlan,
    PlanComment,
    PlanSection,
    PlanVersion,
)
from coaching.plans.selectors import Access
from coaching.plans.services import notify
from coaching.plans.services.plans import plan_log
from coaching.plans.services.versions import version_make

Status = BusinessPlan.Status

LOG_SHARE = "plans.share"
LOG_UNSHARE = "plans.unshare"
LOG_SUBMIT = "plans.submit"
LOG_WITHDRAW = "plans.withdraw"
LOG_REQUEST_CHANGES = "plans.request_changes"
LOG_READY = "plans.ready"
LOG_REOPEN = "plans.reopen"
LOG_COMMENT = "plans.comment"
LOG_COMMENT_RESOLVE = "plans.comment_resolve"
LOG_COMMENT_REOPEN = "plans.comment_reopen"

OWNER, MENTOR = "owner", "mentor"


@dataclass(frozen=True)
class Move:
    """A step of the status flow: who makes it, and where it leads."""

    name: str
    by: str
    to: str
    action: str


MOVES = {
    "submit": Move("submit", OWNER, Status.SUBMITTED, LOG_SUBMIT),
    "withdraw": Move("withdraw", OWNER, Status.DRAFT, LOG_WITHDRAW),
    "request_changes": Move(
        "request_changes", MENTOR, Status.CHANGES_REQUESTED, LOG_REQUEST_CHANGES
    ),
    "ready": Move("ready", MENTOR, Status.READY, LOG_READY),
    "reopen": Move("reopen", OWNER, Status.DRAFT, LOG_REOPEN),
}
#: Where each move starts from, within ``BusinessPlan.TRANSITIONS``.
MOVE_FROM = {
    "submit": (Status.DRAFT, Status.CHANGES_REQUESTED),
    "withdraw": (Status.SUBMITTED,),
    "request_changes": (Status.SUBMITTED,),
    "ready": (Status.SUBMITTED,),
    "reopen": (Status.READY,),
}


def _is_owner(user, plan: BusinessPlan) -> bool:
    return bool(user and user.is_authenticated and plan.participant.user_id == user.pk)


def role_of(user, plan: BusinessPlan) -> str | None:
    """``"owner"``, ``"mentor"`` (the one it is shared with, still their mentor) or None."""
    if _is_owner(user, plan):
        return OWNER
    if user is not None and selectors.is_current_reviewer(user, plan):
        return MENTOR
    return None


def moves_for(user, plan: BusinessPlan) -> list[str]:
    """The moves ``user`` may make on ``plan`` now (for the review panel's buttons)."""
    role = role_of(user, plan)
    return [
        name
        for name, move in MOVES.items()
        if move.by == role
        and plan.status in MOVE_FROM[name]
        and move.to in BusinessPlan.TRANSITIONS[plan.status]
    ]


def _locked(plan: BusinessPlan) -> BusinessPlan:
    return (
        BusinessPlan.objects.select_for_update(of=("self",))
        .select_related("participant", "participant__user", "participant__site", "shared_with")
        .get(pk=plan.pk)
    )


def _mentor_of(plan: BusinessPlan):
    reviewers = selectors.current_reviewers(plan.participant)
    if not reviewers:
        raise ValidationError(
            _(
                "You have no mentor yet, so there is nobody to share the plan with. When a "
                "mentor accepts to follow you, you can share it."
            ),
            code="no_mentor",
        )
    return reviewers[0]


def _mentor_data(mentor) -> dict:
    """The history's words about the mentor: their name, and their id so that erasing the
    mentor finds the entries that name them (``personal_data``)."""
    return {"mentor": notify.name_of(mentor), "mentor_id": getattr(mentor, "pk", None)}


def _share(locked: BusinessPlan, *, by) -> bool:
    """Share ``locked`` with the owner's current mentor; whether anything changed."""
    mentor = _mentor_of(locked)
    reviewers = {person.pk for person in selectors.current_reviewers(locked.participant)}
    if locked.shared_with_id in reviewers:
        return False
    locked.shared_with = mentor
    locked.save(update_fields=["shared_with", "updated_at"])
    plan_log(plan=locked, action=LOG_SHARE, by=by, data=_mentor_data(mentor))
    notify.review_notice_schedule(plan=locked, event="shared", by=by)
    return True


@transaction.atomic
def plan_share(*, plan: BusinessPlan, by) -> tuple[BusinessPlan, bool]:
    """The owner shares the plan with their current mentor. Returns the plan and whether it
    was shared now (False: it already was)."""
    locked = _locked(plan)
    if not _is_owner(by, locked):
        raise PermissionDenied
    return locked, _share(locked, by=by)


@transaction.atomic
def plan_unshare(*, plan: BusinessPlan, by) -> tuple[BusinessPlan, bool]:
    """The owner stops sharing the plan: the mentor no longer reads it. A plan waiting for the
    mentor's review goes back to draft first (nobody could review it)."""
    locked = _locked(plan)
    if not _is_owner(by, locked):
        raise PermissionDenied
    if locked.shared_with_id is None:
        return locked, False
    mentor = locked.shared_with
    if locked.status == Status.SUBMITTED:
        locked.status = Status.DRAFT
        plan_log(plan=locked, action=LOG_WITHDRAW, by=by, data={"from": Status.SUBMITTED})
    locked.shared_with = None
    locked.save(update_fields=["shared_with", "status", "updated_at"])
    plan_log(plan=locked, action=LOG_UNSHARE, by=by, data=_mentor_data(mentor))
    return locked, True


def _wrong_move(locked: BusinessPlan, name: str) -> ValidationError:
    status = locked.get_status_display().lower()
    messages = {
        "submit": _("This plan is %(status)s: it cannot be submitted now."),
        "withdraw": _("This plan is %(status)s: there is no submission to withdraw."),
        "request_changes": _(
            "This plan is %(status)s: changes can be asked only while it waits for your review."
        ),
        "ready": _(
            "This plan is %(status)s: it can be marked ready only while it waits for your review."
        ),
        "reopen": _("This plan is %(status)s: only a ready plan can be reopened."),
    }
    return ValidationError(messages[name] % {"status": status}, code="wrong_move")


@transaction.atomic
def plan_move(*, plan: BusinessPlan, by, move: str, message: str = "") -> tuple[BusinessPlan, bool]:
    """Make the status ``move`` (a key of ``MOVES``). Returns the plan and whether it moved:
    the move already made (a second click) moves nothing. A move the person may not make is
    ``PermissionDenied``; one the status does not allow, a ``ValidationError`` that says why."""
    if move not in MOVES:
        raise ValidationError(_("Choose what to do with the plan."), code="unknown_move")
    rule = MOVES[move]
    locked = _locked(plan)
    if role_of(by, locked) != rule.by:
        raise PermissionDenied
    message = (message or "").replace("\r\n", "\n").strip()
    if move == "request_changes":
        if not message:
            raise ValidationError(
                _("Write what should change, so the owner knows where to start."),
                code="message_required",
            )
        if len(message) > COMMENT_MAX_LENGTH:
            raise ValidationError(
                _("The message can be at most %(limit)d characters long; this one has %(length)d.")
                % {"limit": COMMENT_MAX_LENGTH, "length": len(message)},
                code="max_length",
            )
    if locked.status == rule.to:
        return locked, False
    if locked.status not in MOVE_FROM[move] or rule.to not in BusinessPlan.TRANSITIONS.get(
        locked.status, ()
    ):
        raise _wrong_move(locked, move)
    data = {"from": locked.status}
    if move == "submit":
        _share(locked, by=by)
        version = version_make(locked, by=by, reason=PlanVersion.Reason.SUBMITTED)
        data["version"] = version.number
    if message:
        data["message"] = message
    locked.status = rule.to
    locked.save(update_fields=["status", "updated_at"])
    plan_log(plan=locked, action=rule.action, by=by, data=data)
    notify.review_notice_schedule(plan=locked, event=move, by=by)
    return locked, True


def plan_submit(*, plan, by):
    return plan_move(plan=plan, by=by, move="submit")


def plan_withdraw(*, plan, by):
    return plan_move(plan=plan, by=by, move="withdraw")


def plan_request_changes(*, plan, by, message: str):
    return plan_move(plan=plan, by=by, move="request_changes", message=message)


def plan_mark_ready(*, plan, by):
    return plan_move(plan=plan, by=by, move="ready")


def plan_reopen(*, plan, by):
    return plan_move(plan=plan, by=by, move="reopen")


def latest_change_request(plan: BusinessPlan) -> dict | None:
    """The mentor's message of the last request for changes, while the plan is in that state:
    ``{"message", "at", "by"}``."""
    if plan.status != Status.CHANGES_REQUESTED:
        return None
    from wagtail.log_actions import registry

    entry = (
        registry.get_logs_for_instance(plan)
        .filter(action=LOG_REQUEST_CHANGES)
        .select_related("user")
        .order_by("-timestamp", "-pk")
        .first()
    )
    if entry is None:
        return None
    return {
        "message": (entry.data or {}).get("message", ""),
        "at": entry.timestamp,
        "by": notify.name_of(entry.user) if entry.user_id else "",
    }


# --- Comments ------------------------------------------------------------------------------


def comment_problem(body: str) -> str | None:
    """What is wrong with the text of a comment, in words; None when it may be written."""
    body = (body or "").strip()
    if not body:
        return _("Write your comment before sending it.")
    if len(body) > COMMENT_MAX_LENGTH:
        return _(
            "A comment can be at most %(limit)d characters long; this one has %(length)d. "
            "Shorten it, or write it in two parts."
        ) % {"limit": COMMENT_MAX_LENGTH, "length": len(body)}
    return None


def _may_comment(user, plan: BusinessPlan) -> None:
    if selectors.access_to(user, plan) < Access.COMMENT:
        raise PermissionDenied


def _write(*, plan, section, parent, by, body, form_key) -> tuple[PlanComment, bool]:
    problem = comment_problem(body)
    if problem:
        raise ValidationError(problem, code="body")
    locked = _locked(plan)
    _may_comment(by, locked)
    if section.plan_id != locked.pk:
        raise PermissionDenied
    if form_key is not None:
        written = PlanComment.objects.filter(form_key=form_key).first()
        if written is not None:
            if written.plan_id != locked.pk or written.author_id != by.pk:
                raise PermissionDenied
            return written, False
    comment = PlanComment.objects.create(
        plan=locked,
        section=section,
        parent=parent,
        author=by,
        body=body.replace("\r\n", "\n").strip(),
        form_key=form_key,
    )
    plan_log(
        plan=locked,
        action=LOG_COMMENT,
        by=by,
        data={"section": section.title or section.key, "reply": parent is not None},
    )
    notify.comment_notice_schedule(comment=comment)
    return comment, True


@transaction.atomic
def comment_add(
    *, plan: BusinessPlan, section: PlanSection, by, body: str, form_key: uuid.UUID | None = None
) -> tuple[PlanComment, bool]:
    """A new thread on ``section``. Returns the comment and whether it was written now: the
    form's one-time key already used returns the comment it wrote (a double click)."""
    return _write(plan=plan, section=section, parent=None, by=by, body=body, form_key=form_key)


@transaction.atomic
def comment_reply(
    *, comment: PlanComment, by, body: str, form_key: uuid.UUID | None = None
) -> tuple[PlanComment, bool]:
    """A reply in the thread of ``comment`` (a reply to a reply joins the same thread)."""
    thread = comment.parent or comment
    return _write(
        plan=thread.plan,
        section=thread.section,
        parent=thread,
        by=by,
        body=body,
        form_key=form_key,
    )


def _thread_locked(comment: PlanComment, by) -> PlanComment:
    thread = PlanComment.objects.select_for_update().select_related("section").get(pk=comment.pk)
    if thread.parent_id is not None:
        raise ValidationError(_("Only a whole thread can be resolved."), code="not_a_thread")
    _may_comment(by, _locked(thread.plan))
    return thread


@transaction.atomic
def comment_resolve(*, comment: PlanComment, by) -> tuple[PlanComment, bool]:
    """Mark the thread resolved; already resolved, nothing changes."""
    thread = _thread_locked(comment, by)
    if thread.resolved_at is not None:
        return thread, False
    thread.resolved_at = timezone.now()
    thread.resolved_by = by
    thread.save(update_fields=["resolved_at", "resolved_by"])
    plan_log(
        plan=thread.plan,
        action=LOG_COMMENT_RESOLVE,
        by=by,
        data={"section": thread.section.title or thread.section.key},
    )
    return thread, True


@transaction.atomic
def comment_reopen(*, comment: PlanComment, by) -> tuple[PlanComment, bool]:
    """Open a resolved thread again; already open, nothing changes."""
    thread = _thread_locked(comment, by)
    if thread.resolved_at is None:
        return thread, False
    thread.resolved_at = None
    thread.resolved_by = None
    thread.save(update_fields=["resolved_at", "resolved_by"])
    plan_log(
        plan=thread.plan,
        action=LOG_COMMENT_REOPEN,
        by=by,
        data={"section": thread.section.title or thread.section.key},
    )
    return thread, True
