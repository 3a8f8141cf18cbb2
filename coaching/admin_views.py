"""Coordinator views inside the Wagtail admin: manage one participant, see sensitive data.

They check ``selectors.can_manage_participants`` (the same rule as the public staff pages) and
the site scoping rule (``selectors.staff_site_ids``); every rule is in ``services``.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin import messages

from coaching import selectors, services
from coaching.forms import (
    CaseNoteForm,
    DecisionForm,
    EntryAnswersForm,
    ErasureForm,
    ExitForm,
    HandoverCreateForm,
    StageForm,
    review_answers,
)
from coaching.models import (
    AccessLog,
    Cohort,
    ConsentRecord,
    Participant,
    SpecialCategoryData,
    Stage,
)
from coaching.services.audit import access_log_record
from coaching.services.intake import entry_answers_locked, steps_for
from coaching.services.notes import case_note_add, case_notes_read

#: Other apps add panels to the manage page through this hook: ``fn(request, participant)``
#: returns a Wagtail ``Component`` (or None), shown on the "Path" tab. Mentoring shows the
#: person's mentor there; coaching itself knows nothing of mentors.
PANELS_HOOK = "avvio_participant_admin_panels"


def _panels(request, participant) -> list:
    panels = (hook(request, participant) for hook in hooks.get_hooks(PANELS_HOOK))
    return [panel for panel in panels if panel is not None]


def _participant(request, pk) -> Participant:
    if not selectors.can_manage_participants(request.user):
        raise PermissionDenied
    return selectors.participant_for_staff_or_404(request.user, pk)


def _forms(participant, data=None, action=None):
    def bound(name):
        return data if action == name else None

    return {
        "decide": DecisionForm(
            bound("decide"),
            prefix="decide",
            cohorts=Cohort.objects.filter(site_id=participant.site_id),
        ),
        "stage": StageForm(bound("stage"), prefix="stage", initial={"to_stage": participant.stage}),
        "exit": ExitForm(bound("exit"), prefix="exit"),
        "handover": HandoverCreateForm(bound("handover"), prefix="handover"),
        "erase": ErasureForm(bound("erase"), prefix="erase"),
        "entry": EntryAnswersForm(
            bound("entry"), prefix="entry", initial=EntryAnswersForm.initial_for(participant)
        ),
        "note": CaseNoteForm(bound("note"), prefix="note"),
    }


def _apply(request, participant, action, form):
    data = form.cleaned_data
    user = request.user
    if action == "decide":
        return services.participant_decide(
            participant=participant,
            eligible=data["decision"] == "accept",
            reason=data["reason"],
            cohort=data.get("cohort"),
            by=user,
        )
    if action == "stage":
        return services.stage_change(
            participant=participant, to_stage=data["to_stage"], reason=data["reason"], by=user
        )
    if action == "exit":
        return services.participant_exit(participant=participant, by=user, **data)
    if action == "handover":
        return services.handover_code_create(
            participant=participant,
            by=user,
            channel=data["channel"],
            email=data["email"],
            claim_url=request.build_absolute_uri(reverse("coaching:handover_claim")),
            request_key=data.get("request_key"),
        )
    if action == "erase":
        return services.participant_erase(participant=participant, by=user, reason=data["reason"])
    if action == "entry":
        return services.entry_answers_correct(
            participant=participant, answers=form.answers(), reason=data["reason"], by=user
        )
    if action == "note":
        return case_note_add(
            participant=participant, text=data["text"], by=user, request_key=data["request_key"]
        )
    raise PermissionDenied


def _nothing_changed(participant, action, form, result) -> str:
    """The message for a form whose effect was already there, or "" when it did something."""
    data = form.cleaned_data
    if action == "stage" and result is None:
        return _("%(name)s is already at the stage “%(stage)s”: nothing changed.") % {
            "name": participant.full_name,
            "stage": Stage(data["to_stage"]).label,
        }
    if action == "entry" and not result:
        # The answers already are these: most often the same form sent twice, whose first
        # submission saved them.
        return _("Nothing to save: these are already the stored answers.")
    if action == "note" and result is None:
        return _("This note was already saved by your first click.")
    return ""


def _back(participant):
    # Each form posts to its own tab (``action="#tab-…"``): a redirect without a fragment
    # keeps the one the form was sent from, so the page opens again on that tab.
    return redirect("coaching_admin:manage", pk=participant.pk)


def _tabs() -> list[tuple[str, str]]:
    """The manage page's tabs (id, title), by task, in the order a case is worked on."""
    return [
        ("answers", _("Answers and decision")),
        ("path", _("Path")),
        ("entry", _("Entry data")),
        ("notes", _("Case notes")),
        ("documents", _("Consents and documents")),
        ("account", _("Account and personal data")),
    ]


def manage(request, pk):
    participant = _participant(request, pk)
    action = request.POST.get("action") if request.method == "POST" else None
    forms = _forms(participant, request.POST if action else None, action)
    status = 200
    if action in forms:
        form = forms[action]
        if form.is_valid():
            try:
                result = _apply(request, participant, action, form)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if action == "handover" and result[1] is None:
                    # The same form sent twice: the first click made the code.
                    messages.warning(
                        request,
                        _(
                            "This code was already created by your first click and is still "
                            "the valid one. To replace it with a new code, use the button again."
                        ),
                    )
                    return _back(participant)
                unchanged = _nothing_changed(participant, action, form, result)
                if unchanged:
                    messages.info(request, unchanged)
                    return _back(participant)
                if action == "handover" and form.cleaned_data["channel"] == "printed":
                    handover, code = result
                    return TemplateResponse(
                        request,
                        "coaching/admin/handover_print.html",
                        {
                            "participant": participant,
                            "handover": handover,
                            "code": code,
                            "claim_url": request.build_absolute_uri(
                                reverse("coaching:handover_claim")
                            ),
                            "page_title": _("Hand-over code"),
                            "header_icon": "key",
                        },
                    )
                messages.success(
                    request, _("Personal data erased.") if action == "erase" else _("Saved.")
                )
                return _back(participant)
        status = 400
    # The page shows the stored record (entry answers, consents, follow-ups): a logged view.
    access_log_record(
        actor=request.user,
        participant=participant,
        action=AccessLog.Action.VIEW_PARTICIPANT,
        details={"page": "manage"},
    )
    consents = participant.consents.select_related("notice").order_by("-created_at")
    context = {
        "participant": participant,
        "forms": forms,
        "tabs": _tabs(),
        "panels": _panels(request, participant),
        # The answers to decide on, as the intake's review shows them; the special-category
        # ones only on their own page, whose view is logged.
        "answers": [
            section
            for section in review_answers(
                participant,
                steps_for(participant, staff=True),
                selectors.consent_state(participant),
                hidden=("special",),
            )
            if section["rows"]
        ],
        # Reading the notes is logged on its own (``case_notes_read``).
        "notes": case_notes_read(participant=participant, by=request.user),
        "documents": [record for record in consents if record.document],
        "history": participant.stage_changes.select_related("changed_by").order_by("-created_at"),
        "consents": consents,
        "consent_state": selectors.consent_state(participant),
        "follow_ups": participant.follow_ups.all(),
        "exit_records": participant.exit_records.all(),
        "entry_record": getattr(participant, "entry_record", None),
        "entry_answers_locked": entry_answers_locked(participant),
        # Which sections apply, from the status rules (``Participant.TRANSITIONS``): deciding
        # while a decision can be made; the path's actions while the person can still leave it.
        "can_decide": participant.can_move_to(Participant.Status.ELIGIBLE),
        "on_path": participant.can_move_to(Participant.Status.EXITED),
        "entry_changes": participant.entry_answer_changes.select_related("changed_by"),
        "page_title": _("Manage participant"),
        "page_subtitle": str(participant),
        "header_icon": "user",
        "staff_intake_url": reverse("coaching:staff_intake_review", args=[participant.pk]),
    }
    return TemplateResponse(request, "coaching/admin/manage.html", context, status=status)


def sensitive(request, pk):
    """Special-category answers: coordinators only, and every view is logged."""
    participant = _participant(request, pk)
    data = SpecialCategoryData.objects.filter(participant=participant).first()
    access_log_record(
        actor=request.user,
        participant=participant,
        action=AccessLog.Action.VIEW_SENSITIVE,
    )
    consented = selectors.consent_state(participant)[ConsentRecord.Kind.SPECIAL_CATEGORY]
    return TemplateResponse(
        request,
        "coaching/admin/sensitive.html",
        {
            "participant": participant,
            "data": data,
            "consented": consented,
            "page_title": _("Special-category data"),
            "page_subtitle": str(participant),
            "header_icon": "warning",
        },
    )
