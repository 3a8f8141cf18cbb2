"""Public-site views: the intake, the dashboard, consents, data export, hand-over, follow-ups.

Thin: they resolve who may see what through ``selectors`` and change things through
``services``. Staff-only pages of the public site (assisted enrolment) ask the site scoping rule
(``selectors.staff_site_ids``); the rest of the coordinator's work happens in the Wagtail admin.
"""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from wagtail import hooks
from wagtail.models import Site

from coaching import selectors, services
from coaching.conf import app_settings
from coaching.forms import (
    STEP_FORMS,
    STEP_TITLES,
    AssistedEnrolmentForm,
    ConsentManageForm,
    FollowUpForm,
    HandoverClaimForm,
    PreferencesForm,
    initial_for_step,
    review_answers,
)
from coaching.intake import CONSENT_FIELDS, steps_counted
from coaching.models import AccessLog, ConsentRecord, Participant
from coaching.personal_data import KEPT, personal_data_document, personal_data_export
from coaching.services.audit import access_log_record
from coaching.services.intake import (
    locked_fields,
    missing_steps,
    participant_preferences_change,
    preferences_editable,
    steps_for,
)
from resources.pdf import html_pdf

DASHBOARD_HOOK = "avvio_participant_dashboard_panels"


def _site(request):
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    return site


def _own_participant_or_404(request) -> Participant:
    participant = selectors.own_participant(request.user, _site(request))
    if participant is None:
        raise Http404
    return participant


# --- Intake --------------------------------------------------------------------------------


def _step_url(participant, step, staff):
    if staff:
        return reverse("coaching:staff_intake_step", args=[participant.pk, step])
    return reverse("coaching:intake_step", args=[step])


def _review_url(participant, staff):
    if staff:
        return reverse("coaching:staff_intake_review", args=[participant.pk])
    return reverse("coaching:intake_review")


def _visible_steps(participant, staff) -> list[str]:
    # Staff recorded consent at assisted enrolment, with how it was given.
    return steps_for(participant, staff=staff)


def _stepper(participant, steps, current, staff):
    """Every step counted (``steps_counted``), numbered once; ``steps`` are those that apply,
    the others are shown as asked only with consent, without a link."""
    return [
        {
            "slug": step.key,
            "title": step.title,
            "applies": step.key in steps,
            "done": step.key in steps and step.key in participant.completed_steps,
            "current": step.key == current,
            "url": _step_url(participant, step.key, staff),
            "number": i,
        }
        for i, step in enumerate(steps_counted(staff=staff), start=1)
    ]


def _next_url(participant, staff):
    steps = _visible_steps(participant, staff)
    for step in steps:
        if step not in participant.completed_steps:
            return _step_url(participant, step, staff)
    return _review_url(participant, staff)


@login_required
@require_http_methods(["GET", "POST"])
def join(request):
    """Start page: explains the intake; POST starts it (or continues the one already begun)."""
    site = _site(request)
    participant = selectors.own_participant(request.user, site)
    if request.method == "POST":
        participant = services.participant_start(user=request.user, site=site)
        return redirect(_next_url(participant, staff=False))
    if participant is not None:
        if participant.status == Participant.Status.DRAFT:
            return redirect(_next_url(participant, staff=False))
        return redirect("coaching:dashboard")
    steps = [{"title": step.title, "optional": not step.required} for step in steps_counted()]
    return render(request, "coaching/join.html", {"steps": steps})


def _intake_step(request, participant, step, *, staff):
    steps = _visible_steps(participant, staff)
    if step not in steps:
        raise Http404
    index = steps.index(step)
    previous_url = _step_url(participant, steps[index - 1], staff) if index else None
    counted = [s.key for s in steps_counted(staff=staff)]
    form_class = STEP_FORMS[step]
    # Once the person is accepted, the entry answers are shown, not asked (see the service).
    form_options = {
        "initial": initial_for_step(participant, step, selectors.consent_state(participant)),
        "locked": locked_fields(participant, step),
    }
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "continue")
        if step == "special" and action == "skip":
            # The saved copy knows the step is done: the next step follows from it.
            participant = services.intake_save_step(
                participant=participant, step=step, data={"skip": True}, by=request.user
            )
            return redirect(_next_url(participant, staff))
        form = form_class(request.POST, **form_options)
        refused = False
        if form.is_valid():
            try:
                participant = services.intake_save_step(
                    participant=participant, step=step, data=form.answers(), by=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
                refused = True
            else:
                if action == "back" and previous_url:
                    return redirect(previous_url)
                following = _visible_steps(participant, staff)
                position = following.index(step) + 1
                if position < len(following):
                    return redirect(_step_url(participant, following[position], staff))
                return redirect(_review_url(participant, staff))
        if action == "back" and previous_url and not refused:
            return redirect(previous_url)
        status = 400
    else:
        form = form_class(**form_options)
    if staff:
        # The page shows the stored answers (pre-filled, or as text once they are locked, also
        # when a refused form comes back): a logged view of personal data.
        access_log_record(
            actor=request.user,
            participant=participant,
            action=AccessLog.Action.VIEW_SENSITIVE
            if step == "special"
            else AccessLog.Action.VIEW_INTAKE,
            details={"step": step},
        )
    return render(
        request,
        "coaching/intake/step.html",
        {
            "participant": participant,
            "form": form,
            "step": step,
            "step_title": STEP_TITLES[step],
            "stepper": _stepper(participant, steps, step, staff),
            "step_number": counted.index(step) + 1,
            "step_count": len(counted),
            "previous_url": previous_url,
            "notice": (
                selectors.current_privacy_notice(participant.site) if step == "consent" else None
            ),
            "staff": staff,
            "manage_url": reverse("coaching_admin:manage", args=[participant.pk]) if staff else "",
        },
        status=status,
    )


def _intake_review(request, participant, *, staff):
    steps = _visible_steps(participant, staff)
    missing = [s for s in missing_steps(participant) if s in steps]
    if request.method == "POST":
        after = redirect("wagtailadmin_home") if staff else redirect("coaching:dashboard")
        if not participant.can_move_to(Participant.Status.SUBMITTED):
            # Sent already (a second tap, a reload) or accepted: nothing to send again.
            if participant.status == Participant.Status.SUBMITTED:
                messages.info(request, _("This application has already been sent."))
            else:
                messages.info(
                    request, _("This application has already been accepted: nothing to send.")
                )
            return after
        try:
            services.participant_submit(participant=participant, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(_review_url(participant, staff))
        if staff:
            messages.success(
                request, _("The application has been sent. The person gets a receipt.")
            )
        else:
            messages.success(
                request, _("Your application has been sent. We have sent you a receipt.")
            )
        return after
    if staff:
        access_log_record(
            actor=request.user,
            participant=participant,
            action=AccessLog.Action.VIEW_INTAKE,
            details={"step": "review"},
        )
    return render(
        request,
        "coaching/intake/review.html",
        {
            "participant": participant,
            "stepper": _stepper(participant, steps, None, staff),
            "missing": [
                {"title": STEP_TITLES[s], "url": _step_url(participant, s, staff)} for s in missing
            ],
            "sections": [
                {
                    **section,
                    "url": _step_url(participant, section["key"], staff),
                    "done": section["key"] in participant.completed_steps,
                }
                for section in review_answers(
                    participant,
                    steps,
                    selectors.consent_state(participant),
                    # Staff see these answers only on their own page, whose view is logged.
                    hidden=("special",) if staff else (),
                )
            ],
            "can_submit": not missing and participant.can_move_to(Participant.Status.SUBMITTED),
            "sent_before": participant.submitted_at is not None,
            "staff": staff,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def intake_step(request, step):
    return _intake_step(request, _own_participant_or_404(request), step, staff=False)


@login_required
@require_http_methods(["GET", "POST"])
def intake_review(request):
    return _intake_review(request, _own_participant_or_404(request), staff=False)


def _staff_participant(request, pk) -> Participant:
    if not selectors.can_manage_participants(request.user):
        raise PermissionDenied
    return selectors.participant_for_staff_or_404(request.user, pk)


@login_required
@require_http_methods(["GET", "POST"])
def staff_intake_step(request, pk, step):
    return _intake_step(request, _staff_participant(request, pk), step, staff=True)


@login_required
@require_http_methods(["GET", "POST"])
def staff_intake_review(request, pk):
    return _intake_review(request, _staff_participant(request, pk), staff=True)


# --- Assisted enrolment and hand-over -------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def assisted_enrol(request):
    site = _site(request)
    if not selectors.may_act_on_site(request.user, site.pk, role=selectors.StaffRole.COORDINATOR):
        raise PermissionDenied
    form = AssistedEnrolmentForm(
        request.POST or None, request.FILES or None, languages=settings.LANGUAGES
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            participant = services.participant_enrol_assisted(
                site=site,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                language=data["language"],
                consent_method=data["consent_method"],
                document=data.get("document"),
                declaration=data.get("declaration", ""),
                optional_consents={field: data[field] for field in CONSENT_FIELDS},
                submission_key=data.get("submission_key"),
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The person is enrolled. Now fill in the intake with them.")
            )
            return redirect(_next_url(participant, staff=True))
    return render(
        request, "coaching/assisted_enrol.html", {"form": form}, status=400 if form.errors else 200
    )


#: One answer for every refusal (unknown reference, wrong, expired, used or locked code), so
#: the page never tells a visitor which references exist. Lazy: read in each visitor's language.
HANDOVER_REFUSED = gettext_lazy(
    "This reference and code cannot be used. Check them, or ask the programme staff for a "
    "new code: codes work once, for a limited time."
)
HANDOVER_TOO_MANY = gettext_lazy("Too many attempts. Wait a few minutes and try again.")


@require_http_methods(["GET", "POST"])
def handover_claim(request):
    """The person takes over the account staff created: reference + one-time code."""
    form = HandoverClaimForm(request.POST or None, initial={"lookup": request.GET.get("ref", "")})
    status = 200
    # The client as the host names it for rate limits (COACHING_CLIENT_ADDRESS).
    if request.method == "POST" and not services.handover_claim_attempt_allowed(
        client=app_settings.CLIENT_ADDRESS(request)
    ):
        form.is_valid()  # keep what was typed, with its own errors
        form.add_error(None, str(HANDOVER_TOO_MANY))
        status = 429
    elif request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                claim = services.handover_claim(
                    lookup=data["lookup"],
                    code=data["code"],
                    email=data["email"],
                    password=data["password1"],
                )
            except services.HandoverError:
                form.add_error("code", str(HANDOVER_REFUSED))
            except ValidationError as error:
                form.add_error("email", error)
            else:
                response = app_settings.SIGN_IN(
                    request,
                    claim.user,
                    redirect_url=reverse("coaching:dashboard"),
                    email_verified=claim.email_verified,
                )
                if request.user.is_authenticated:
                    messages.success(request, _("Welcome! This is your page on the path."))
                return response
    return render(request, "coaching/handover_claim.html", {"form": form}, status=status)


@login_required
def consent_document(request, pk):
    """A signed consent form, from private storage, for coordinators of the person's site."""
    if not selectors.can_manage_participants(request.user):
        raise PermissionDenied
    records = selectors.scope_to_sites(
        request.user,
        ConsentRecord.objects.select_related("participant").exclude(document=""),
        role=selectors.StaffRole.COORDINATOR,
        site_lookup="participant__site_id",
    )
    record = get_object_or_404(records, pk=pk)
    access_log_record(
        actor=request.user,
        participant=record.participant,
        action=AccessLog.Action.VIEW_CONSENT_DOCUMENT,
    )
    return FileResponse(record.document.open("rb"), as_attachment=True)


# --- Dashboard and the participant's own data -----------------------------------------------


def _dashboard_panels(request):
    panels = []
    for hook in hooks.get_hooks(DASHBOARD_HOOK):
        panel = hook(request)
        if panel is not None:
            panels.append(panel)
    return sorted(panels, key=lambda p: getattr(p, "order", 0))


@login_required
def dashboard(request):
    participant = selectors.own_participant(request.user, _site(request))
    context = {"participant": participant}
    if participant is not None:
        context.update(selectors.dashboard_data(participant))
        context["next_url"] = (
            _next_url(participant, staff=False)
            if participant.status == Participant.Status.DRAFT
            else None
        )
    panels = _dashboard_panels(request)
    if participant is None:
        # A panel for people who are not on the path (a mentor's way to their own space) sets
        # ``replaces_join_invitation``: they see it instead of the invitation to join.
        panels = [p for p in panels if getattr(p, "replaces_join_invitation", False)]
    context["panels"] = panels
    return render(request, "coaching/dashboard.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def consents(request):
    participant = _own_participant_or_404(request)
    state = selectors.consent_state(participant)
    form = ConsentManageForm(request.POST or None, initial=state)
    if request.method == "POST" and form.is_valid():
        for field, kind in CONSENT_FIELDS.items():
            services.consent_record(
                participant=participant,
                kind=kind,
                granted=form.cleaned_data[field],
                by=request.user,
            )
        messages.success(request, _("Your choices have been saved. They apply from now."))
        return redirect("coaching:consents")
    history = participant.consents.select_related("notice").order_by("-created_at")
    return render(
        request,
        "coaching/consents.html",
        {"participant": participant, "form": form, "history": history, "state": state},
    )


@login_required
def export_own_data(request):
    """Everything every registered app holds about the person (``coaching.personal_data``).

    The top-level keys are this municipality's participation, as in earlier exports;
    ``sections`` has every app's labelled sections, in the page's language.
    """
    participant = _own_participant_or_404(request)
    sections = personal_data_export(user=request.user, by=request.user)
    data = services.participant_data(participant) | personal_data_document(sections)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="avvio-{participant.reference}.json"'
    return response


def _own_data(request) -> dict:
    participant = _own_participant_or_404(request)
    return {
        "participant": participant,
        "sections": personal_data_export(user=request.user, by=request.user),
        "generated_at": timezone.now(),
    }


@login_required
def own_data_page(request):
    """The person's data to read: every registered app's sections, in their language."""
    return render(request, "coaching/my_data.html", _own_data(request))


@login_required
def own_data_pdf(request):
    """The readable page as a PDF to keep or print."""
    context = _own_data(request)
    html = render_to_string("coaching/my_data_pdf.html", context, request=request)
    response = HttpResponse(html_pdf(html), content_type="application/pdf")
    reference = context["participant"].reference
    response["Content-Disposition"] = f'attachment; filename="avvio-{reference}.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def erasure_request(request):
    """GET: what erasure removes and what the law makes us keep; POST: file the request."""
    participant = _own_participant_or_404(request)
    if request.method == "POST":
        participant = services.participant_request_erasure(participant=participant)
        if participant.erased_at is not None:
            messages.info(request, _("Your data on this path has already been erased."))
            return redirect("coaching:dashboard")
        messages.success(
            request,
            _(
                "We have received your request. You can take it back on this page until the "
                "programme staff handle it."
            ),
        )
        return redirect("coaching:erasure_request")
    plan = services.participant_erasure_plan(participant=participant)
    return render(
        request,
        "coaching/erasure_request.html",
        {
            "participant": participant,
            "open_request": services.erasure_request_open(participant),
            "removed": [item for item in plan if item.action != KEPT],
            "kept": [item for item in plan if item.action == KEPT],
        },
    )


@login_required
@require_POST
def erasure_withdraw(request):
    participant = _own_participant_or_404(request)
    try:
        services.participant_withdraw_erasure(participant=participant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your request is withdrawn. Your data stays as it is."))
    return redirect("coaching:erasure_request")


@login_required
@require_http_methods(["GET", "POST"])
def follow_up(request, pk):
    item = selectors.followup_for_user_or_404(request.user, pk)
    form = FollowUpForm(request.POST or None)
    refusal, status = None, 200
    if request.method == "POST" and form.is_valid():
        try:
            services.followup_complete(
                follow_up=item,
                by=request.user,
                situation=form.cleaned_data["situation"],
                business_active=form.cleaned_data["business_active"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            refusal = " ".join(error.messages)
            status = 409 if error.code == "already_answered" else 400
            item.refresh_from_db()
        else:
            messages.success(request, _("Thank you for your answers."))
            return redirect("coaching:dashboard")
    elif form.errors:
        status = 400
    return render(
        request,
        "coaching/follow_up.html",
        {
            "follow_up": item,
            "form": form,
            "is_due": item.is_due(),
            "opening": services.followup_opening_message(item),
            "refusal": refusal,
        },
        status=status,
    )


# --- The participant's preferences ----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """The person's own preferences about meeting a mentor (languages, in person or online,
    when they are free, the mentor's gender), theirs to change at any time once the
    application is sent; before that, the intake's "needs" step asks them."""
    participant = _own_participant_or_404(request)
    if participant.status == Participant.Status.DRAFT:
        return redirect("coaching:intake_step", step="needs")
    if not preferences_editable(participant):
        raise Http404
    form = PreferencesForm(request.POST or None, initial=PreferencesForm.initial_for(participant))
    if request.method == "POST" and form.is_valid():
        try:
            participant_preferences_change(participant=participant, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your preferences have been saved."))
            return redirect("coaching:preferences")
    return render(
        request,
        "coaching/preferences.html",
        {"participant": participant, "form": form},
        status=400 if form.errors else 200,
    )
