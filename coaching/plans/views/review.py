"""The review on the public site: sharing, the status moves, the mentor's request for changes,
and the comment threads of a section. The buttons and threads themselves are shown on the
overview and section pages (``plans/includes/review_panel.html`` and
``section_comments.html``); these views take their forms.

Every write needs COMMENT access at least (the owner, the mentor it is shared with); who may
make which move is ``services.review``. Coordinators read and never write here: their POSTs
are 404s, as anyone else's.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.models import Site

from coaching.plans import selectors
from coaching.plans.forms.review import CommentForm, RequestChangesForm
from coaching.plans.models import PlanComment
from coaching.plans.selectors import Access
from coaching.plans.services.review import (
    MOVES,
    comment_add,
    comment_reopen,
    comment_reply,
    comment_resolve,
    plan_move,
    plan_share,
    plan_unshare,
)
from coaching.plans.views.plans import plan_context

#: What each move says when it is done.
DONE = {
    "submit": lambda: _("The plan is submitted: your mentor has been told."),
    "withdraw": lambda: _("The submission is withdrawn: the plan is a draft again."),
    "request_changes": lambda: _("The owner has been asked for the changes."),
    "ready": lambda: _("The plan is marked ready: the owner has been told."),
    "reopen": lambda: _("The plan is a draft again: you can change it."),
}


def _plan(request, pk, at_least=Access.COMMENT):
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    return selectors.plan_or_404(request.user, pk, site=site, at_least=at_least)


def _overview(plan):
    return redirect(reverse("plans:overview", args=[plan.pk]) + "#review")


@login_required
@require_POST
def share(request, pk):
    plan, _access = _plan(request, pk, Access.EDIT)
    try:
        _plan_now, shared = plan_share(plan=plan, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        if shared:
            messages.success(request, _("The plan is shared with your mentor."))
        else:
            messages.info(request, _("The plan was already shared with your mentor."))
    return _overview(plan)


@login_required
@require_POST
def unshare(request, pk):
    plan, _access = _plan(request, pk, Access.EDIT)
    _plan_now, changed = plan_unshare(plan=plan, by=request.user)
    if changed:
        messages.success(request, _("The plan is no longer shared: your mentor cannot read it."))
    return _overview(plan)


@login_required
@require_POST
def move(request, pk, move):
    """Submit, withdraw, mark ready, reopen: buttons of the review panel."""
    plan, _access = _plan(request, pk)
    if move not in MOVES or move == "request_changes":
        raise Http404
    try:
        _plan_now, moved = plan_move(plan=plan, by=request.user, move=move)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        if moved:
            messages.success(request, DONE[move]())
    return _overview(plan)


@login_required
@require_http_methods(["GET", "POST"])
def request_changes(request, pk):
    """The mentor writes what should change; a refused message comes back as typed."""
    plan, access = _plan(request, pk)
    status = 200
    if request.method == "POST":
        form = RequestChangesForm(request.POST)
        if form.is_valid():
            try:
                _plan_now, moved = plan_move(
                    plan=plan,
                    by=request.user,
                    move="request_changes",
                    message=form.cleaned_data["message"],
                )
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as error:
                if error.code in ("message_required", "max_length"):
                    form.add_error("message", error)
                else:
                    form.add_error(None, error)
            else:
                if moved:
                    messages.success(request, DONE["request_changes"]())
                return _overview(plan)
        status = 400
    else:
        form = RequestChangesForm()
    context = plan_context(plan, access)
    context["form"] = form
    return render(request, "plans/review_changes.html", context, status=status)


# --- Comments ------------------------------------------------------------------------------


def _section_url(section, anchor="comments") -> str:
    return reverse("plans:section", args=[section.plan_id, section.key]) + f"#{anchor}"


def _comment_or_404(plan, comment_pk) -> PlanComment:
    try:
        return PlanComment.objects.select_related("section", "parent").get(pk=comment_pk, plan=plan)
    except PlanComment.DoesNotExist:
        raise Http404 from None


def _refused(request, *, plan, access, section, form, thread=None):
    """The comment form again, with what was typed and what to do; a form whose key is
    missing or broken (an old page) keeps the text and gets a new key."""
    if "form_key" in form.errors:
        data = request.POST.copy()
        data[form.add_prefix("form_key")] = str(uuid.uuid4())
        form = CommentForm(data, prefix=form.prefix, label=form.fields["body"].label)
        form.is_valid()
        form.errors.pop("form_key", None)
    context = plan_context(plan, access)
    context.update(section=section, form=form, thread=thread)
    return render(request, "plans/review_comment.html", context, status=400)


def _written(request, section, comment, created):
    if not created:
        messages.info(request, _("Your comment was already sent."))
    return redirect(_section_url(section, f"comment-{comment.parent_id or comment.pk}"))


@login_required
@require_POST
def comment_new(request, pk, key):
    plan, access = _plan(request, pk)
    section = selectors.section_or_404(plan, key)
    form = CommentForm(request.POST, prefix="comment")
    if form.is_valid():
        try:
            comment, created = comment_add(
                plan=plan,
                section=section,
                by=request.user,
                body=form.cleaned_data["body"],
                form_key=form.cleaned_data["form_key"],
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            form.add_error("body", error)
        else:
            return _written(request, section, comment, created)
    return _refused(request, plan=plan, access=access, section=section, form=form)


@login_required
@require_POST
def reply(request, pk, comment_pk):
    plan, access = _plan(request, pk)
    thread = _comment_or_404(plan, comment_pk)
    form = CommentForm(request.POST, prefix=f"reply-{thread.pk}", label=_("Your reply"))
    if form.is_valid():
        try:
            comment, created = comment_reply(
                comment=thread,
                by=request.user,
                body=form.cleaned_data["body"],
                form_key=form.cleaned_data["form_key"],
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            form.add_error("body", error)
        else:
            return _written(request, thread.section, comment, created)
    return _refused(
        request, plan=plan, access=access, section=thread.section, form=form, thread=thread
    )


@login_required
@require_POST
def resolve(request, pk, comment_pk):
    plan, _access = _plan(request, pk)
    thread = _comment_or_404(plan, comment_pk)
    try:
        if request.POST.get("reopen"):
            comment_reopen(comment=thread, by=request.user)
        else:
            comment_resolve(comment=thread, by=request.user)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect(_section_url(thread.section, f"comment-{thread.parent_id or thread.pk}"))


urlpatterns = [
    path("<int:pk>/share/", share, name="share"),
    path("<int:pk>/unshare/", unshare, name="unshare"),
    path("<int:pk>/review/changes/", request_changes, name="request_changes"),
    path("<int:pk>/review/<slug:move>/", move, name="move"),
    path("<int:pk>/sections/<slug:key>/comments/", comment_new, name="comment_add"),
    path("<int:pk>/comments/<int:comment_pk>/reply/", reply, name="comment_reply"),
    path("<int:pk>/comments/<int:comment_pk>/resolve/", resolve, name="comment_resolve"),
]
