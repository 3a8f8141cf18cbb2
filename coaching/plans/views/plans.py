"""A person's plans: the list (own plans, and for a mentor the plans shared with them),
starting one, its overview and its settings.

Thin: who may see what is ``coaching.plans.selectors`` (``plan_or_404``), every change a
service. Another's plan, another site's or a bad id is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.models import Site

from coaching.plans import canvas, selectors
from coaching.plans.forms.editor import PlanCreateForm, PlanSettingsForm
from coaching.plans.models import CallRules, PlanSection
from coaching.plans.selectors import Access
from coaching.plans.services.plans import plan_change, plan_create, plan_may_start
from coaching.selectors import own_participant

#: How long a create form's one-time key is remembered: far longer than any double click.
ONCE_KEY_SECONDS = 24 * 3600


def _site(request):
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    return site


def _install_default_templates(site) -> None:
    """A site without any template gets the default ones (Italian and English) the first
    time someone starts a plan there; the admin's defaults module writes them."""
    try:
        from coaching.plans.services.templates import templates_install_defaults
    except ImportError:
        return
    templates_install_defaults(site=site)


def plan_context(plan, access) -> dict:
    """What every page of a plan needs to know about the reader's rights."""
    can_edit = access >= Access.EDIT
    return {
        "plan": plan,
        "access": access,
        "can_edit": can_edit,
        "can_comment": access >= Access.COMMENT,
        "editable": can_edit and plan.is_editable,
    }


@login_required
def index(request):
    site = _site(request)
    participant = own_participant(request.user, site)
    own = [(plan, selectors.progress_of(plan)) for plan in selectors.plans_of(participant)]
    return render(
        request,
        "plans/index.html",
        {
            "own": own,
            "shared": selectors.plans_shared_with(request.user, site=site),
            "may_start": plan_may_start(participant),
        },
    )


def _once_key(key) -> str:
    return f"plans:create:{key}"


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    """Name, language, outline and call. A second submit of the same form (a double click)
    finds the plan the first made: the form's one-time key is claimed in the shared cache
    (an atomic add) before the plan is made."""
    site = _site(request)
    participant = own_participant(request.user, site)
    if not plan_may_start(participant):
        return render(request, "plans/create_unavailable.html", status=403)
    if not selectors.templates_for(site).exists():
        _install_default_templates(site)
    templates = selectors.templates_for(site)
    calls = selectors.call_rules_for(site)
    status = 200
    if request.method == "POST":
        form = PlanCreateForm(request.POST, templates=templates, calls=calls)
        if form.is_valid():
            data = form.cleaned_data
            once = _once_key(data["key"])
            if not cache.add(once, 0, ONCE_KEY_SECONDS):
                made = selectors.plans_of(participant).filter(pk=cache.get(once) or 0).first()
                if made is not None:
                    return redirect("plans:overview", made.pk)
                messages.info(request, _("Your plan is being created: it will appear here."))
                return redirect("plans:index")
            template = data["template"] or selectors.default_template(site, data["language"])
            try:
                plan = plan_create(
                    participant=participant,
                    by=request.user,
                    title=data["title"],
                    language=data["language"],
                    template=template,
                    call_rules=data["call_rules"],
                )
            except ValidationError as error:
                cache.delete(once)
                form.add_error(None, error)
            else:
                cache.set(once, plan.pk, ONCE_KEY_SECONDS)
                messages.success(
                    request, _("Your plan is ready. Start with the lean canvas or any section.")
                )
                return redirect("plans:overview", plan.pk)
        status = 400
    else:
        form = PlanCreateForm(templates=templates, calls=calls)
    return render(
        request,
        "plans/create.html",
        {"form": form, "has_templates": templates.exists()},
        status=status,
    )


@login_required
def overview(request, pk):
    plan, access = selectors.plan_or_404(
        request.user, pk, site=_site(request), at_least=Access.READ
    )
    every = selectors.sections_of(plan)
    sections = [section for section in every if section.kind == PlanSection.Kind.SECTION]
    boxes = [section for section in every if section.kind == PlanSection.Kind.CANVAS]
    for box in boxes:
        box.label = _("Lean canvas: %(box)s") % {"box": canvas.TITLES.get(box.key, box.key)}
    for section in sections:
        section.label = str(section)
    context = plan_context(plan, access)
    context.update(
        sections=sections,
        progress=selectors.progress_of(plan),
        canvas_filled=sum(1 for box in boxes if box.text.strip()),
        canvas_total=len(canvas.CODES),
        conflicted=[section for section in every if section.open_conflicts]
        if context["can_edit"]
        else [],
    )
    return render(request, "plans/overview.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def settings(request, pk):
    site = _site(request)
    plan, access = selectors.plan_or_404(request.user, pk, site=site, at_least=Access.EDIT)
    # The call the plan aims at stays a choice even once it no longer takes new plans.
    calls = selectors.call_rules_for(site) | CallRules.objects.filter(pk=plan.call_rules_id)
    status = 200
    if request.method == "POST":
        form = PlanSettingsForm(request.POST, calls=calls)
        if form.is_valid():
            try:
                plan_change(
                    plan=plan,
                    by=request.user,
                    title=form.cleaned_data["title"],
                    call_rules=form.cleaned_data["call_rules"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The plan's settings are saved."))
                return redirect(reverse("plans:overview", args=[plan.pk]))
        status = 400
    else:
        form = PlanSettingsForm(
            calls=calls, initial={"title": plan.title, "call_rules": plan.call_rules_id}
        )
    context = plan_context(plan, access)
    context["form"] = form
    return render(request, "plans/settings.html", context, status=status)


urlpatterns = [
    path("", index, name="index"),
    path("new/", create, name="create"),
    path("<int:pk>/", overview, name="overview"),
    path("<int:pk>/settings/", settings, name="settings"),
]
