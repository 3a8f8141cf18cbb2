"""What the review templates included in other pages need, read here so the pages that
include them (the overview, a section) pass nothing more than ``plan`` and ``access``.

- ``{% review_panel as review %}``: the status, whom the plan is shared with, the moves the
  reader may make now, the mentor's last request for changes.
- ``{% section_threads as comments %}``: the comment threads of ``section`` with their
  replies (a fixed number of queries however many), and fresh forms to write.
"""

from django import template
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from coaching.plans import selectors
from coaching.plans.forms.review import CommentForm
from coaching.plans.models import PlanComment
from coaching.plans.selectors import Access
from coaching.plans.services.review import (
    MENTOR,
    OWNER,
    latest_change_request,
    moves_for,
    role_of,
)

register = template.Library()


def _reader(context):
    request = context.get("request")
    return getattr(request, "user", None)


@register.simple_tag(takes_context=True)
def review_panel(context) -> dict:
    plan = context["plan"]
    access = context.get("access", Access.NONE)
    user = _reader(context)
    role = role_of(user, plan) if user is not None else None
    reviewers = selectors.current_reviewers(plan.participant) if role == OWNER else []
    shared_now = plan.shared_with_id is not None and (
        role == MENTOR or any(person.pk == plan.shared_with_id for person in reviewers)
    )
    return {
        "role": role,
        "is_owner": role == OWNER,
        "is_mentor": role == MENTOR,
        "reads_only": access < Access.COMMENT,
        "shared_now": shared_now,
        "mentor": plan.shared_with if shared_now else (reviewers[0] if reviewers else None),
        "has_mentor": bool(reviewers),
        "moves": moves_for(user, plan) if user is not None else [],
        "change_request": latest_change_request(plan),
    }


def _threads(section) -> list[PlanComment]:
    if hasattr(section, "threads"):  # prefetched by ``selectors.sections_of``
        return list(section.threads)
    return list(
        PlanComment.objects.filter(section=section, parent__isnull=True)
        .select_related("author", "resolved_by")
        .prefetch_related(
            Prefetch("replies", queryset=PlanComment.objects.select_related("author"))
        )
    )


@register.simple_tag(takes_context=True)
def section_threads(context) -> dict:
    plan, section = context["plan"], context["section"]
    access = context.get("access", Access.NONE)
    threads = _threads(section)
    may_write = access >= Access.COMMENT
    return {
        "threads": threads,
        "open": [thread for thread in threads if thread.resolved_at is None],
        "resolved": [thread for thread in threads if thread.resolved_at is not None],
        "may_write": may_write,
        "owner_id": plan.participant.user_id,
        "owner_name": plan.participant.greeting_name,
        "form": CommentForm(prefix="comment") if may_write else None,
    }


@register.simple_tag
def reply_form(thread) -> CommentForm:
    """A fresh reply form (its own one-time key) for ``thread``."""
    return CommentForm(prefix=f"reply-{thread.pk}", label=_("Your reply"))


@register.simple_tag(takes_context=True)
def author_name(context, comment) -> str:
    """Who wrote ``comment``, as the reader knows them."""
    user = _reader(context)
    plan = context["plan"]
    if user is not None and comment.author_id == user.pk:
        return _("You")
    if comment.author_id == plan.participant.user_id:
        return plan.participant.greeting_name or _("The owner")
    if comment.author is None:
        return _("A former reader")
    name = comment.author.get_full_name() or comment.author.first_name
    return _("%(name)s (mentor)") % {"name": name} if name else _("The mentor")
