"""Evaluation and decisions in the Wagtail admin.

- Coordinators (``selectors.calls_for_coordinator`` / ``applications_for_coordinator``: their
  sites only) see each call's submitted applications ranked, with the budget left; on an
  application they assign evaluators, read the evaluations, award a grant or reject it.
- Evaluators see their assignments (``selectors.assignments_for_evaluator``). An assignment
  opens on the declaration of conflict of interest, showing only the call and the
  application's reference; after declaring none, the application, its frozen plan and the
  score form (read-only once submitted).

Anything of another site, or not assigned, is a 404; people without the role get a 403. The
rules are ``services.evaluation`` and ``services.awards``; these views only call them.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem

from coaching.grants import selectors
from coaching.grants.agreement import euros
from coaching.grants.forms import add_refusal
from coaching.grants.forms.awards import AwardForm, RejectForm
from coaching.grants.forms.evaluation import AssignForm, DeclarationForm, EvaluationForm
from coaching.grants.models import Assignment, GrantApplication
from coaching.grants.services import awards as award_services
from coaching.grants.services import evaluation as services
from coaching.models import AccessLog
from coaching.plans.document import PlanDocument
from coaching.plans.selectors import frozen_version_for_reader_or_404
from coaching.selectors import can_manage_participants
from coaching.services.audit import access_log_record

NAMESPACE = "grants_evaluation"
#: What a coordinator needs for each page and action (``grants.roles``), besides the role.
VIEW, ASSIGN, DECIDE = "grants.view_grantapplication", "grants.add_assignment", "grants.add_award"
#: What an evaluator needs (``grants.roles``).
EVALUATE = "grants.change_assignment"


def _require_coordinator(request, permission: str = VIEW) -> None:
    user = request.user
    if not (can_manage_participants(user) and user.has_perm(permission)):
        raise PermissionDenied


def _require_evaluator(request) -> None:
    if not request.user.has_perm(EVALUATE):
        raise PermissionDenied


def document_url(document) -> str | None:
    """Where a document of the application is downloaded (the applications' views serve it
    to whoever ``selectors.document_for_user_or_404`` allows)."""
    try:
        return reverse("grants:document", args=[document.pk])
    except NoReverseMatch:
        return None


def _application_parts(application: GrantApplication) -> dict:
    return {
        "budget_lines": list(application.budget_lines.all()),
        "documents": [
            (document, document_url(document))
            for document in application.documents.select_related("requirement")
        ],
    }


# --- Coordinators: calls and their ranking ----------------------------------------------------


def calls(request):
    """The coordinator's calls, newest first, each with how many applications are in."""
    _require_coordinator(request)
    applications = selectors.applications_for_coordinator(request.user)
    rows = [
        (call, applications.filter(call=call).count())
        for call in selectors.calls_for_coordinator(request.user).order_by("-opens_at", "pk")
    ]
    return TemplateResponse(
        request,
        "grants/admin/evaluation_calls.html",
        {"rows": rows, "page_title": _("Grant calls: evaluation"), "header_icon": "pick"},
    )


def _call_or_404(request, pk):
    call = selectors.calls_for_coordinator(request.user).filter(pk=pk).first()
    if call is None:
        raise Http404
    return call


def ranking(request, pk):
    """The call's applications ranked by score, with evaluations done and disagreements, and
    the budget left."""
    _require_coordinator(request)
    call = _call_or_404(request, pk)
    result = services.call_ranking(call, selectors.applications_for_coordinator(request.user))
    committed = award_services.committed(call)
    return TemplateResponse(
        request,
        "grants/admin/evaluation_ranking.html",
        {
            "call": call,
            "ranking": result,
            "budget": euros(call.budget),
            "committed": euros(committed),
            "left": euros(call.budget - committed),
            "page_title": _("Ranking"),
            "page_subtitle": call.title,
            "header_icon": "order",
        },
    )


# --- Coordinators: one application ------------------------------------------------------------


def _evaluations(application: GrantApplication) -> list[dict]:
    criteria = services.criteria_of(application.call_id)
    rows = []
    assignments = application.assignments.select_related("evaluator").prefetch_related(
        "scores__criterion"
    )
    for assignment in assignments:
        scores = {score.criterion_id: score for score in assignment.scores.all()}
        submitted = assignment.submitted_at is not None
        rows.append(
            {
                "assignment": assignment,
                "scores": [(c, scores.get(c.pk)) for c in criteria] if submitted else [],
                "weighted": services.weighted_score(
                    criteria, {pk: score.score for pk, score in scores.items()}
                )
                if submitted
                else None,
            }
        )
    return rows


def _application_forms(application, data=None, action=None):
    def bound(name):
        return data if action == name else None

    return {
        "assign": AssignForm(
            bound("assign"),
            prefix="assign",
            evaluators=services.assignable_evaluators(application),
        ),
        "award": AwardForm(
            bound("award"), prefix="award", initial={"amount": application.requested_amount}
        ),
        "reject": RejectForm(bound("reject"), prefix="reject"),
    }


def _apply(request, application, action, form):
    """Do what the form asks; ``(message, done)`` or a ValidationError."""
    user, data = request.user, form.cleaned_data
    if action == "assign":
        _require_coordinator(request, ASSIGN)
        evaluator = data["evaluator"]
        _assignment, created = services.assignment_create(
            application=application, evaluator=evaluator, by=user
        )
        name = evaluator.get_full_name() or evaluator.get_username()
        if created:
            return _("%(name)s is asked to evaluate the application.") % {"name": name}
        return _("%(name)s was already assigned: nothing changed.") % {"name": name}
    _require_coordinator(request, DECIDE)
    if action == "award":
        award, created = award_services.award_grant(
            application=application, amount=data["amount"], by=user
        )
        if created:
            return _("Grant of %(amount)s awarded. The applicant is told by e-mail.") % {
                "amount": euros(award.amount)
            }
        return _("This application was already awarded %(amount)s: nothing changed.") % {
            "amount": euros(award.amount)
        }
    _application, done = award_services.application_reject(
        application=application, reason=data["reason"], by=user
    )
    if done:
        return _("The application is not funded. The applicant is told by e-mail, with why.")
    return _("This application was already rejected: nothing changed.")


def _opened(request, application: GrantApplication, page: str) -> None:
    """Staff read an applicant's personal data: the access log says who, when and where."""
    if request.method == "GET":
        access_log_record(
            actor=request.user,
            participant=application.participant,
            action=AccessLog.Action.VIEW_PARTICIPANT,
            details={"page": page, "application": application.reference},
        )


def application(request, pk):
    """An application as the coordinator decides on it."""
    _require_coordinator(request)
    item = selectors.application_for_coordinator_or_404(request.user, pk)
    _opened(request, item, "grant_application")
    action = request.POST.get("action") if request.method == "POST" else None
    forms = _application_forms(item, request.POST if action else None, action)
    status = 200
    if action in forms:
        form = forms[action]
        if form.is_valid():
            try:
                message = _apply(request, item, action, form)
            except ValidationError as error:
                add_refusal(form, error)
            else:
                messages.success(request, message)
                return redirect(f"{NAMESPACE}:application", pk=item.pk)
        status = 400
    elif request.method == "POST":
        status = 400
    item.refresh_from_db()
    award = getattr(item, "award", None) if item.status == GrantApplication.Status.AWARDED else None
    left = award_services.budget_left(item.call)
    version = item.plan_version
    context = {
        "application": item,
        "call": item.call,
        "forms": forms,
        "evaluations": _evaluations(item),
        "missing": services.assignments_missing(item),
        "done": services.submitted_evaluations(item).count(),
        "needed": item.call.evaluators_per_application,
        "decidable": item.status == GrantApplication.Status.SUBMITTED,
        "award": award,
        "left": euros(left),
        "requested": euros(item.requested_amount),
        "plan_url": reverse("plans:version", args=[version.plan_id, version.number]),
        "page_title": _("Application %(reference)s") % {"reference": item.reference},
        "page_subtitle": item.call.title,
        "header_icon": "doc-full",
        **_application_parts(item),
    }
    return TemplateResponse(
        request, "grants/admin/evaluation_application.html", context, status=status
    )


# --- Evaluators -------------------------------------------------------------------------------


def assignments(request):
    """The evaluator's assignments: what is to declare, to score, and done."""
    _require_evaluator(request)
    rows = selectors.assignments_for_evaluator(request.user).order_by(
        "submitted_at", "-assigned_at"
    )
    return TemplateResponse(
        request,
        "grants/admin/evaluation_assignments.html",
        {"rows": rows, "page_title": _("My evaluations"), "header_icon": "form"},
    )


def _declare(request, assignment):
    form = DeclarationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_declare(
                assignment=assignment,
                conflict=form.has_conflict,
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            if form.has_conflict:
                message = _("Conflict declared: the coordinator will assign someone else.")
            else:
                message = _("Declared. You can now read and score the application.")
            messages.success(request, message)
            return redirect(f"{NAMESPACE}:assignment", pk=assignment.pk)
    return TemplateResponse(
        request,
        "grants/admin/evaluation_declare.html",
        {
            "assignment": assignment,
            # Only these two before the declaration: nothing of the applicant.
            "call_title": assignment.application.call.title,
            "reference": assignment.application.reference,
            "form": form,
            "page_title": _("Declare conflict of interest"),
            "header_icon": "warning",
        },
        status=400 if form.errors else 200,
    )


def assignment(request, pk):
    """Declaration first; then the application and the score form."""
    _require_evaluator(request)
    item = selectors.assignment_for_evaluator_or_404(request.user, pk)
    if item.conflict == Assignment.Conflict.UNDECLARED:
        return _declare(request, item)
    if item.conflict == Assignment.Conflict.CONFLICT:
        if request.method == "POST":
            raise PermissionDenied
        return TemplateResponse(
            request,
            "grants/admin/evaluation_conflict.html",
            {
                "assignment": item,
                "call_title": item.application.call.title,
                "reference": item.application.reference,
                "page_title": _("Conflict of interest declared"),
                "header_icon": "warning",
            },
        )
    item = selectors.readable_assignment_or_404(request.user, pk)
    _opened(request, item.application, "grant_evaluation")
    criteria = services.criteria_of(item.application.call_id)
    read_only = item.submitted_at is not None
    form = EvaluationForm(
        request.POST if request.method == "POST" and not read_only else None,
        criteria=criteria,
        assignment=item,
    )
    status = 200
    if request.method == "POST":
        submit = request.POST.get("action") == "submit"
        if read_only:
            messages.info(request, _("This evaluation was already submitted: nothing changed."))
            return redirect(f"{NAMESPACE}:assignment", pk=item.pk)
        if form.is_valid():
            try:
                _item, done = services.evaluation_save(
                    assignment=item,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                    submit=submit,
                    by=request.user,
                )
            except ValidationError as error:
                add_refusal(form, error)
            else:
                if not done:
                    messages.info(request, _("This evaluation was already submitted."))
                elif submit:
                    messages.success(request, _("Evaluation submitted. Thank you."))
                else:
                    messages.success(request, _("Scores saved. Submit them when you are done."))
                return redirect(f"{NAMESPACE}:assignment", pk=item.pk)
        status = 400
    application = item.application
    scores = {score.criterion_id: score for score in item.scores.all()}
    context = {
        "assignment": item,
        "application": application,
        "call": application.call,
        "form": form,
        "read_only": read_only,
        "criteria_scores": [(c, scores.get(c.pk)) for c in criteria],
        "weighted": services.weighted_score(criteria, {k: s.score for k, s in scores.items()}),
        "requested": euros(application.requested_amount),
        "plan_url": reverse(f"{NAMESPACE}:plan", args=[item.pk]),
        "page_title": _("Evaluate %(reference)s") % {"reference": application.reference},
        "page_subtitle": application.call.title,
        "header_icon": "form",
        **_application_parts(application),
    }
    return TemplateResponse(
        request, "grants/admin/evaluation_assignment.html", context, status=status
    )


def plan(request, pk):
    """The frozen version of the plan the application attaches, as the evaluator reads it:
    found through ``coaching.plans``' reader rule, which asks this app's selectors."""
    _require_evaluator(request)
    item = selectors.readable_assignment_or_404(request.user, pk)
    version = frozen_version_for_reader_or_404(request.user, item.application.plan_version_id)
    _opened(request, item.application, "grant_evaluation_plan")
    return TemplateResponse(
        request,
        "grants/admin/evaluation_plan.html",
        {
            "assignment": item,
            "version": version,
            "document": PlanDocument(version.data),
            "page_title": _("Business plan of %(reference)s")
            % {"reference": item.application.reference},
            "header_icon": "doc-full",
        },
    )


# --- Wiring -----------------------------------------------------------------------------------

admin_urls = (
    [
        path("", calls, name="calls"),
        path("call/<int:pk>/", ranking, name="ranking"),
        path("application/<int:pk>/", application, name="application"),
        path("mine/", assignments, name="assignments"),
        path("mine/<int:pk>/", assignment, name="assignment"),
        path("mine/<int:pk>/plan/", plan, name="plan"),
    ],
    NAMESPACE,
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("grants/evaluation/", include(admin_urls))]


class CoordinatorItem(MenuItem):
    def is_shown(self, request):
        return can_manage_participants(request.user) and request.user.has_perm(VIEW)


class EvaluatorItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(EVALUATE)


@hooks.register("register_admin_menu_item")
def register_coordinator_menu_item():
    return CoordinatorItem(
        gettext_lazy("Grant evaluation"),
        reverse(f"{NAMESPACE}:calls"),
        name="grant-evaluation",
        icon_name="pick",
        order=170,
    )


@hooks.register("register_admin_menu_item")
def register_evaluator_menu_item():
    return EvaluatorItem(
        gettext_lazy("My evaluations"),
        reverse(f"{NAMESPACE}:assignments"),
        name="grant-my-evaluations",
        icon_name="form",
        order=171,
    )


ACTIONS = (
    (
        "grants.assignment_create",
        gettext_lazy("Assign an evaluator"),
        gettext_lazy("Evaluator assigned"),
    ),
    (
        "grants.assignment_declare",
        gettext_lazy("Declare on conflicts of interest"),
        gettext_lazy("Declaration on conflicts of interest made"),
    ),
    ("grants.evaluation_save", gettext_lazy("Save scores"), gettext_lazy("Scores saved")),
    (
        "grants.evaluation_submit",
        gettext_lazy("Submit an evaluation"),
        gettext_lazy("Evaluation submitted"),
    ),
    ("grants.award_grant", gettext_lazy("Award a grant"), gettext_lazy("Grant awarded")),
    (
        "grants.application_reject",
        gettext_lazy("Reject an application"),
        gettext_lazy("Application not funded"),
    ),
    (
        "grants.award_accept",
        gettext_lazy("Accept an award"),
        gettext_lazy("Grant agreement accepted"),
    ),
    ("grants.award_decline", gettext_lazy("Decline an award"), gettext_lazy("Award declined")),
    ("grants.award_revoke", gettext_lazy("Revoke an award"), gettext_lazy("Award revoked")),
)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    for action, label, message in ACTIONS:
        actions.register_action(action, label, message)
