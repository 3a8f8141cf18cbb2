"""Versions of a plan on the public site: the list (save one, restore one), a version as it
was, two versions side by side, and the plan's history.

Reading needs READ access (the owner, the mentor it is shared with, the site's coordinators),
saving and restoring EDIT (the owner); anything else is a 404 (``selectors.plan_or_404``).
The rules are ``services.versions``; the history is the plan's Wagtail log entries.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.log_actions import registry as log_registry
from wagtail.models import Site

from coaching.plans import selectors
from coaching.plans.document import PlanDocument
from coaching.plans.forms.review import VersionForm
from coaching.plans.selectors import Access
from coaching.plans.services.versions import version_request, version_restore, versions_compare
from coaching.plans.views.plans import plan_context


def _site(request):
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    return site


def _plan(request, pk, at_least=Access.READ):
    return selectors.plan_or_404(request.user, pk, site=_site(request), at_least=at_least)


@login_required
@require_http_methods(["GET", "POST"])
def versions(request, pk):
    """The versions, newest first, a form to save one and a way to compare two."""
    at_least = Access.EDIT if request.method == "POST" else Access.READ
    plan, access = _plan(request, pk, at_least)
    status = 200
    form = VersionForm()
    if request.method == "POST":
        form = VersionForm(request.POST)
        if form.is_valid():
            version, created = version_request(
                plan=plan, by=request.user, label=form.cleaned_data["label"]
            )
            if created:
                messages.success(
                    request, _("Version %(number)d saved.") % {"number": version.number}
                )
            else:
                messages.info(
                    request,
                    _("Nothing has changed since version %(number)d: no new version was made.")
                    % {"number": version.number},
                )
            return redirect("plans:versions", plan.pk)
        status = 400
    items = list(selectors.versions_of(plan))
    context = plan_context(plan, access)
    context.update(versions=items, form=form)
    if len(items) >= 2:
        context.update(compare_a=items[1].number, compare_b=items[0].number)
    return render(request, "plans/versions.html", context, status=status)


@login_required
@require_GET
def version(request, pk, number):
    plan, access = _plan(request, pk)
    kept = selectors.version_or_404(plan, number)
    context = plan_context(plan, access)
    context.update(
        version=kept,
        document=PlanDocument(kept.data),
        restorable=context["editable"],
    )
    return render(request, "plans/version.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def restore(request, pk, number):
    """Asks first; on POST keeps the current plan as a version and brings this one back."""
    plan, access = _plan(request, pk, Access.EDIT)
    kept = selectors.version_or_404(plan, number)
    error = None
    if request.method == "POST":
        try:
            restored = version_restore(plan=plan, version=kept, by=request.user)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as refused:
            error = refused.messages[0]
        else:
            messages.success(
                request,
                _(
                    "Version %(old)d is back, kept as version %(new)d. The plan as it was "
                    "before is kept as version %(before)d."
                )
                % {"old": kept.number, "new": restored.number, "before": restored.number - 1},
            )
            return redirect("plans:versions", plan.pk)
    context = plan_context(plan, access)
    context.update(version=kept, error=error)
    return render(request, "plans/versions_restore.html", context, status=400 if error else 200)


def _number(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if number < 1:
        raise Http404
    return number


@login_required
@require_GET
def compare(request, pk):
    """Two versions side by side (``?a=`` the earlier, ``?b=`` the later). Without numbers,
    the two latest; a number that is not a version of this plan is a 404."""
    plan, access = _plan(request, pk)
    if "a" in request.GET or "b" in request.GET:
        a = selectors.version_or_404(plan, _number(request.GET.get("a")))
        b = selectors.version_or_404(plan, _number(request.GET.get("b")))
    else:
        latest = list(plan.versions.order_by("-number")[:2])
        if len(latest) < 2:
            raise Http404
        b, a = latest
    context = plan_context(plan, access)
    context.update(
        comparison=versions_compare(a, b),
        a=a,
        b=b,
        numbers=list(plan.versions.order_by("-number").values_list("number", flat=True)),
    )
    return render(request, "plans/compare.html", context)


def _who(entry, plan) -> str:
    """The person of a history step as the reader may know them: never an e-mail address."""
    if entry.user_id is None:
        return _("The system")
    if entry.user_id == plan.participant.user_id:
        return plan.participant.greeting_name or _("The owner")
    name = entry.user.get_full_name() if entry.user else ""
    if entry.user_id == plan.shared_with_id:
        return name or _("The mentor")
    return name or _("Programme staff")


@login_required
@require_GET
def history(request, pk):
    """The plan's steps, newest first: who, when, what."""
    plan, access = _plan(request, pk)
    entries = (
        log_registry.get_logs_for_instance(plan)
        .select_related("user")
        .order_by("-timestamp", "-pk")
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    context = plan_context(plan, access)
    context.update(
        page=page,
        steps=[(entry, _who(entry, plan)) for entry in page.object_list],
    )
    return render(request, "plans/history.html", context)


urlpatterns = [
    path("<int:pk>/versions/", versions, name="versions"),
    path("<int:pk>/versions/<int:number>/", version, name="version"),
    path("<int:pk>/versions/<int:number>/restore/", restore, name="version_restore"),
    path("<int:pk>/compare/", compare, name="compare"),
    path("<int:pk>/history/", history, name="history"),
]
