"""The applicant's side of a grant call: starting an application from the call's page, the
draft (amount, summary, declarations, documents), submitting and withdrawing it, the list of
their applications, and the mentor's endorsement.

Thin: who may see what is ``coaching.grants.selectors`` (another's application, another
site's, a bad id: 404), every change a service of ``services.applications``. A draft's page
carries the revision it was opened at, so a save from an older page warns instead of
overwriting, and the same form sent twice is saved once.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.models import Site

from coaching.grants import selectors
from coaching.grants.forms.applications import (
    ApplicationForm,
    DocumentForm,
    EndorsementForm,
    StartForm,
)
from coaching.grants.models import Endorsement, GrantApplication, GrantCallPage
from coaching.grants.services.applications import (
    ENDORSABLE,
    StaleApplication,
    application_save,
    application_start,
    application_submit,
    application_withdraw,
    endorsement_give,
    endorsement_request,
    rules_problems,
    submit_problems,
    who_may_apply_problem,
    window_problem,
)
from coaching.grants.services.notify import first_name_of
from coaching.plans.models import BusinessPlan
from coaching.plans.selectors import current_reviewers, plans_of
from coaching.selectors import own_participant

STALE_MESSAGE = gettext_lazy(
    "The application was changed in another tab or device after you opened this page, so "
    "nothing was saved. What you typed is still here, and what is saved now is shown below "
    "it: check and save again."
)


def _site(request):
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    return site


def ready_plans(participant):
    """The plans an application may attach: the applicant's own, marked ready."""
    return plans_of(participant).filter(status=BusinessPlan.Status.READY)


def call_page_state(call: GrantCallPage, request) -> dict:
    """What the call's page offers the reader: the form to apply, the application they
    already have, or the sentence that says why they cannot apply (and when it opens or
    closed). A translation of the call offers what the call itself does."""
    call = selectors.canonical_call(call)
    user = request.user
    window = window_problem(call)
    if not user.is_authenticated:
        return {
            "reason": window or _("Sign in to apply."),
            "sign_in_url": f"{reverse('account_login')}?next={request.path}",
        }
    site = Site.find_for_request(request)
    existing = (
        selectors.own_applications(user, site)
        .filter(call=call, status__in=GrantApplication.ACTIVE)
        .first()
    )
    if existing is not None:
        return {"application": existing}
    if window:
        return {"reason": window}
    participant = own_participant(user, site)
    problem = who_may_apply_problem(call, participant)
    if problem:
        return {"reason": problem}
    plans = ready_plans(participant)
    choices = list(plans)
    if not choices:
        return {
            "reason": _(
                "To apply you need a business plan your mentor marked ready: once they have, "
                "the button to apply appears here."
            ),
            "plans_url": reverse("plans:index"),
        }
    return {
        "form": StartForm(plans=plans, initial={"plan": choices[0].pk}),
        "single_plan": choices[0] if len(choices) == 1 else None,
    }


def _live_call_or_404(site, pk) -> GrantCallPage:
    """The live call ``pk`` of ``site``, in the default language when ``pk`` is one of its
    translations (the English page's button posts the English page's id)."""
    page = GrantCallPage.objects.live().filter(pk=pk).first()
    call = selectors.canonical_call(page) if page is not None else None
    if call is None or not selectors.calls_in_sites({site.pk}).live().filter(pk=call.pk).exists():
        raise Http404
    return call


@login_required
@require_POST
def start(request, call_pk):
    """The apply button of the call's page: a draft from the chosen ready plan (the same
    draft again on a second click)."""
    site = _site(request)
    call = _live_call_or_404(site, call_pk)
    participant = own_participant(request.user, site)
    back = call.localized.get_url(request) or "/"
    problem = who_may_apply_problem(call, participant)
    if problem:
        messages.error(request, problem)
        return redirect(back)
    form = StartForm(request.POST, plans=ready_plans(participant))
    if not form.is_valid():
        existing = (
            selectors.own_applications(request.user, site)
            .filter(call=call, status__in=GrantApplication.ACTIVE)
            .first()
        )
        if existing is not None:
            return redirect("grants:application", existing.pk)
        messages.error(request, window_problem(call) or " ".join(form.errors["plan"]))
        return redirect(back)
    try:
        application = application_start(call=call, plan=form.cleaned_data["plan"], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    return redirect("grants:application", application.pk)


@login_required
@require_GET
def index(request):
    """The applicant's own applications on this site, newest first."""
    applications = selectors.own_applications(request.user, _site(request)).order_by(
        "-created_at", "-pk"
    )
    return render(request, "grants/application_list.html", {"applications": applications})


def _endorsement_state(application: GrantApplication) -> dict:
    endorsement = getattr(application, "endorsement", None)
    mentors = current_reviewers(application.participant) if application.is_editable else []
    may_ask = application.is_editable and bool(mentors)
    if endorsement is not None and (
        endorsement.given_at or any(m.pk == endorsement.mentor_id for m in mentors)
    ):
        may_ask = False
    return {"endorsement": endorsement, "may_ask_endorsement": may_ask, "has_mentor": bool(mentors)}


def application_page(
    request, application, *, form=None, document_forms=None, stale=False, status=200
):
    """The application's page: the draft's form and documents, or (once submitted) what was
    sent, read-only. Shared with ``views.documents``, which shows it again after a refused
    upload."""
    call = application.call
    lines = list(application.budget_lines.all())
    editable = application.is_editable
    if editable and form is None:
        form = ApplicationForm(initial=ApplicationForm.initial_from(application))
    document_forms = document_forms or {}
    documents_by_requirement = {}
    for document in application.documents.all():
        documents_by_requirement.setdefault(document.requirement_id, []).append(document)
    requirements = [
        {
            "requirement": requirement,
            "documents": documents_by_requirement.pop(requirement.pk, []),
            "form": document_forms.get(requirement.pk) or DocumentForm(requirement=requirement),
        }
        for requirement in call.required_documents.all()
    ]
    # Documents of a requirement the call no longer lists are still the application's.
    others = [document for kept in documents_by_requirement.values() for document in kept]
    context = {
        "application": application,
        "call": call,
        "form": form,
        "editable": editable,
        "lines": lines,
        "total": sum((line.amount for line in lines), 0),
        "breaches": rules_problems(call, lines=lines, requested=application.requested_amount),
        "problems": submit_problems(application) if editable else [],
        "requirements": requirements,
        "other_documents": others,
        "version_url": reverse(
            "plans:version", args=[application.plan_id, application.plan_version.number]
        ),
        "may_withdraw": application.status in ENDORSABLE,
        "stale": stale,
        **_endorsement_state(application),
    }
    return render(request, "grants/application_detail.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def application(request, pk):
    """The draft's page. Its form has two buttons: save the draft, and save and submit."""
    site = _site(request)
    application = selectors.own_application_or_404(request.user, site, pk)
    if request.method == "GET":
        return application_page(request, application)
    submitting = request.POST.get("action") == "submit"
    if not application.is_editable:
        if submitting and application.status != GrantApplication.Status.DRAFT:
            messages.info(request, _("This application was already submitted."))
        else:
            messages.info(request, _("This application cannot be changed any more."))
        return redirect("grants:application", application.pk)
    form = ApplicationForm(request.POST)
    if not form.is_valid():
        return application_page(request, application, form=form, status=400)
    try:
        application, written = application_save(
            application=application,
            by=request.user,
            data=form.values(),
            revision=form.cleaned_data["revision"],
        )
    except StaleApplication:
        messages.warning(request, STALE_MESSAGE)
        application.refresh_from_db()
        data = request.POST.copy()
        # The next save from this page is made knowing what is saved now.
        data["revision"] = str(application.revision)
        context_form = ApplicationForm(data)
        context_form.is_valid()
        return application_page(request, application, form=context_form, stale=True, status=409)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("grants:application", application.pk)
    if not submitting:
        if written:
            messages.success(request, _("The draft is saved."))
        else:
            messages.info(request, _("Nothing changed: the draft was already saved like this."))
        return redirect("grants:application", application.pk)
    return _submit(request, application)


def _submit(request, application):
    try:
        application, submitted = application_submit(application=application, by=request.user)
    except ValidationError:
        messages.error(
            request,
            _("The draft is saved, but it cannot be submitted yet: see what is missing below."),
        )
        return redirect("grants:application", application.pk)
    if submitted:
        messages.success(
            request,
            _(
                "Application %(reference)s is submitted. We sent you a receipt; it can no "
                "longer be changed."
            )
            % {"reference": application.reference},
        )
    else:
        messages.info(request, _("This application was already submitted."))
    return redirect("grants:application", application.pk)


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, pk):
    """Asks first; on POST takes the application back (before a decision only)."""
    application = selectors.own_application_or_404(request.user, _site(request), pk)
    error = None
    if request.method == "POST":
        try:
            application, withdrawn = application_withdraw(application=application, by=request.user)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            if withdrawn:
                messages.success(
                    request,
                    _("Application %(reference)s is withdrawn.")
                    % {"reference": application.reference},
                )
            else:
                messages.info(request, _("This application was already withdrawn."))
            return redirect("grants:applications")
    return render(
        request,
        "grants/application_withdraw.html",
        {
            "application": application,
            "error": error,
            "may_withdraw": application.status in ENDORSABLE,
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def endorsement_ask(request, pk):
    """The applicant asks their mentor now for a word of endorsement."""
    application = selectors.own_application_or_404(request.user, _site(request), pk)
    try:
        _endorsement, asked = endorsement_request(application=application, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if asked:
            messages.success(request, _("Your mentor is asked for an endorsement."))
        else:
            messages.info(request, _("Your mentor was already asked."))
    return redirect("grants:application", application.pk)


# --- The mentor --------------------------------------------------------------------------------


def _endorsements(user):
    # The applicant's name for the list: one query however many requests.
    return selectors.endorsements_for_mentor(user).select_related("application__participant__user")


def _endorsement_item(endorsement) -> dict:
    """What the mentor may know of the request: the call, the applicant's first name and
    whether it still waits for them. Never the application's content."""
    application = endorsement.application
    return {
        "endorsement": endorsement,
        "call_title": application.call.title,
        "applicant_name": first_name_of(application.participant),
        "open": endorsement.given_at is None and application.status in ENDORSABLE,
    }


@login_required
@require_GET
def endorsements(request):
    items = [_endorsement_item(item) for item in _endorsements(request.user).order_by("-pk")]
    return render(request, "grants/application_endorsements.html", {"items": items})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def endorsement(request, pk):
    try:
        endorsement = _endorsements(request.user).get(pk=pk)
    except Endorsement.DoesNotExist:
        raise Http404 from None
    item = _endorsement_item(endorsement)
    status = 200
    form = EndorsementForm() if item["open"] else None
    if request.method == "POST":
        if not item["open"]:
            messages.info(request, _("This endorsement was already given, or is no longer needed."))
            return redirect("grants:endorsement", endorsement.pk)
        form = EndorsementForm(request.POST)
        if form.is_valid():
            try:
                _given, done = endorsement_give(
                    endorsement=endorsement, text=form.cleaned_data["text"], by=request.user
                )
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if done:
                    messages.success(request, _("Thank you: your endorsement is given."))
                else:
                    messages.info(request, _("Your endorsement was already given."))
                return redirect("grants:endorsements")
        status = 400
    item["form"] = form
    return render(request, "grants/application_endorsement.html", item, status=status)


urlpatterns = [
    path("calls/<int:call_pk>/apply/", start, name="application_start"),
    path("applications/", index, name="applications"),
    path("applications/<int:pk>/", application, name="application"),
    path("applications/<int:pk>/withdraw/", withdraw, name="application_withdraw"),
    path("applications/<int:pk>/endorsement/", endorsement_ask, name="endorsement_request"),
    path("endorsements/", endorsements, name="endorsements"),
    path("endorsements/<int:pk>/", endorsement, name="endorsement"),
]
