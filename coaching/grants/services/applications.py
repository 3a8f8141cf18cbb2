"""Applications: started from a ready plan (its frozen version attached, its start-up costs
the budget), checked against the call's rules by the function the plan uses, submitted once
inside the call's window."""

import uuid
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from coaching.grants.models import (
    ApplicationDocument,
    BudgetLine,
    Endorsement,
    GrantApplication,
    GrantCallPage,
    RequiredDocument,
)
from coaching.grants.services import notify
from coaching.grants.services.audit import grant_log
from coaching.grants.uploads import ACCEPTED_TYPES, upload_content_type
from coaching.models import Participant
from coaching.plans import financials
from coaching.plans.finance_messages import breach_texts
from coaching.plans.models import BusinessPlan
from coaching.plans.selectors import current_reviewers
from coaching.plans.services.finance import call_rules_data, requested_grant
from coaching.plans.services.versions import plan_freeze


def _when(value) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def window_problem(call: GrantCallPage, now=None) -> str | None:
    """Why the call takes no application now, saying when it opens or closed; ``None`` open."""
    window = call.window(now)
    if window == GrantCallPage.Window.NOT_YET:
        return _("Applications open on %(when)s.") % {"when": _when(call.opens_at)}
    if window == GrantCallPage.Window.CLOSED:
        return _("Applications closed on %(when)s.") % {"when": _when(call.closes_at)}
    return None


def who_may_apply_problem(call: GrantCallPage, participant: Participant | None) -> str | None:
    """Why this person may not apply to the call, or ``None``."""
    if participant is None:
        return _("Sign up for the programme on this site to apply.")
    if participant.site_id != call.get_site().pk:
        return _("This call is for another municipality's programme.")
    if call.requires_eligible_participant and participant.status != Participant.Status.ELIGIBLE:
        return _("The call is open to participants the programme found eligible.")
    return None


def rules_problems(call: GrantCallPage, *, lines, requested: Decimal) -> list[str]:
    """Where the budget and the amount asked for break the call's rules, in words: the same
    check (``financials.check_rules``) the plan's money page makes."""
    rules = financials.rules_from_data(call_rules_data(call.rules))
    costs = [
        financials.CostLine(
            line.category,
            str(line.amount),
            line.vat_rate or "0",
            line.vat_recoverable,
            line.description,
        )
        for line in lines
    ]
    return breach_texts(financials.check_rules(costs, rules, requested))


@transaction.atomic
def application_start(*, call: GrantCallPage, plan: BusinessPlan, by) -> GrantApplication:
    """A draft application to ``call`` from the owner's ready ``plan``: the plan's frozen
    version attached, its start-up costs copied as the budget lines and the microgrant its
    funding asks for as the amount. Asked again, it is the same draft."""
    participant = plan.participant
    existing = GrantApplication.objects.filter(
        call=call, participant=participant, status__in=GrantApplication.ACTIVE
    ).first()
    if existing is not None:
        return existing
    problem = window_problem(call) or who_may_apply_problem(call, participant)
    if problem:
        raise ValidationError(problem, code="may_not_apply")
    if call.requires_ready_plan and plan.status != BusinessPlan.Status.READY:
        raise ValidationError(
            _("Only a plan your mentor marked ready can be attached to an application."),
            code="not_ready",
        )
    version = plan_freeze(plan=plan, by=by)
    finance = version.data.get("finance", {})
    try:
        with transaction.atomic():
            application = GrantApplication.objects.create(
                call=call,
                site_id=participant.site_id,
                participant=participant,
                plan=plan,
                plan_version=version,
                requested_amount=requested_grant(finance),
            )
    except IntegrityError:
        # The same start sent twice at once: the other one made the draft.
        return GrantApplication.objects.get(
            call=call, participant=participant, status__in=GrantApplication.ACTIVE
        )
    BudgetLine.objects.bulk_create(
        BudgetLine(
            application=application,
            position=position,
            category=line["category"],
            description=line.get("description", ""),
            amount=Decimal(line["amount"]),
            vat_rate=line.get("vat_rate", ""),
            vat_recoverable=bool(line.get("vat_recoverable")),
        )
        for position, line in enumerate(finance.get("startup_costs", ()))
    )
    grant_log(
        instance=application,
        action="grants.application_start",
        by=by,
        data={"call": call.title, "plan_version": version.number},
    )
    return application


def submit_problems(application: GrantApplication) -> list[str]:
    """What stops the application from being submitted, in words (none: it may be)."""
    call = application.call
    problems = []
    window = window_problem(call)
    if window:
        problems.append(window)
    problems += rules_problems(
        call, lines=application.budget_lines.all(), requested=application.requested_amount
    )
    if application.requested_amount <= 0:
        problems.append(_("Say how much you ask for."))
    if not application.declares_truthful:
        problems.append(_("Declare that what the application says is true."))
    if not application.de_minimis_declared:
        problems.append(_("Say how much de minimis aid you received in the last three years."))
    uploaded = set(application.documents.values_list("requirement_id", flat=True))
    for required in call.required_documents.filter(required=True):
        if required.pk not in uploaded:
            problems.append(_("Upload this document: %(name)s.") % {"name": required.name})
    return problems


@transaction.atomic
def application_submit(*, application: GrantApplication, by) -> tuple[GrantApplication, bool]:
    """Submit the draft (locking it); ``(application, False)`` when it was already submitted
    (a double click). Refused with every problem listed when it may not be. The applicant
    gets a receipt with the reference once it commits."""
    locked = _locked(application)
    _refuse_unless_applicant(locked, by)
    if locked.status != GrantApplication.Status.DRAFT:
        return locked, False
    problems = submit_problems(locked)
    if problems:
        raise ValidationError(problems, code="cannot_submit")
    locked.status = GrantApplication.Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["status", "submitted_at", "updated_at"])
    grant_log(
        instance=locked,
        action="grants.application_submit",
        by=by,
        data={"requested": str(locked.requested_amount)},
    )
    notify.receipt_schedule(application=locked)
    return locked, True


# --- The applicant's draft ---------------------------------------------------------------------


class StaleApplication(Exception):
    """The page was opened before another save of the application: nothing was written."""


#: What the applicant types on the draft's page.
DRAFT_FIELDS = (
    "requested_amount",
    "project_summary",
    "declares_truthful",
    "de_minimis_received",
    "de_minimis_declared",
)
#: Before a decision the applicant may still take the application back.
WITHDRAWABLE = (GrantApplication.Status.DRAFT, GrantApplication.Status.SUBMITTED)


def _locked(application: GrantApplication) -> GrantApplication:
    return (
        GrantApplication.objects.select_for_update(of=("self",))
        .select_related("participant__user", "call")
        .get(pk=application.pk)
    )


def _refuse_unless_applicant(application: GrantApplication, by) -> None:
    if getattr(by, "pk", None) != application.participant.user_id:
        raise PermissionDenied


def _refuse_unless_editable(application: GrantApplication) -> None:
    if not application.is_editable:
        raise ValidationError(
            _("This application is %(status)s: it cannot be changed any more.")
            % {"status": application.get_status_display().lower()},
            code="not_editable",
        )


@transaction.atomic
def application_save(
    *, application: GrantApplication, by, data: dict, revision: int
) -> tuple[GrantApplication, bool]:
    """Save what the applicant typed on the draft (``DRAFT_FIELDS``); ``(application, False)``
    when it was already so. ``revision`` is the one the page was opened at: after another
    save meanwhile (another tab, another device) ``StaleApplication`` is raised and nothing
    changes, unless the values are those already kept (the same form sent twice)."""
    locked = _locked(application)
    _refuse_unless_applicant(locked, by)
    _refuse_unless_editable(locked)
    values = {name: data[name] for name in DRAFT_FIELDS if name in data}
    changed = [name for name, value in values.items() if getattr(locked, name) != value]
    if not changed:
        return locked, False
    if revision != locked.revision:
        raise StaleApplication
    for name in changed:
        setattr(locked, name, values[name])
    locked.revision += 1
    locked.save(update_fields=[*changed, "revision", "updated_at"])
    grant_log(
        instance=locked,
        action="grants.application_save",
        by=by,
        data={"revision": locked.revision, "fields": changed},
    )
    return locked, True


@transaction.atomic
def application_withdraw(*, application: GrantApplication, by) -> tuple[GrantApplication, bool]:
    """The applicant takes the application back, at any time before a decision;
    ``(application, False)`` when it was already withdrawn (a double click)."""
    locked = _locked(application)
    _refuse_unless_applicant(locked, by)
    if locked.status == GrantApplication.Status.WITHDRAWN:
        return locked, False
    if locked.status not in WITHDRAWABLE:
        raise ValidationError(
            _("A decision was made on this application: it can no longer be withdrawn."),
            code="decided",
        )
    before = locked.status
    locked.status = GrantApplication.Status.WITHDRAWN
    locked.withdrawn_at = timezone.now()
    locked.save(update_fields=["status", "withdrawn_at", "updated_at"])
    grant_log(instance=locked, action="grants.application_withdraw", by=by, data={"from": before})
    return locked, True


# --- Documents ---------------------------------------------------------------------------------

#: More files for one requirement than any application needs.
DOCUMENTS_PER_REQUIREMENT = 5


def _same_bytes(document: ApplicationDocument, upload) -> bool:
    upload.seek(0)
    with document.file.open("rb") as kept:
        same = kept.read() == upload.read()
    upload.seek(0)
    return same


@transaction.atomic
def document_add(
    *, application: GrantApplication, requirement: RequiredDocument, upload, by
) -> tuple[ApplicationDocument, bool]:
    """Keep ``upload`` in private storage for ``requirement`` of the draft; the same file sent
    twice (a double click) is kept once: ``(document, False)``. Nothing is stored when the
    file is refused."""
    locked = _locked(application)
    _refuse_unless_applicant(locked, by)
    _refuse_unless_editable(locked)
    if requirement.page_id != locked.call_id:
        raise ValidationError(_("This document is not one the call asks for."), code="requirement")
    content_type = upload_content_type(upload)
    name = Path(upload.name or "").name[:200] or _("document")
    kept = locked.documents.filter(requirement=requirement)
    for document in kept.filter(size=upload.size, original_name=name):
        if _same_bytes(document, upload):
            return document, False
    if kept.count() >= DOCUMENTS_PER_REQUIREMENT:
        raise ValidationError(
            _("You have uploaded %(count)d files for this document: remove one to add another.")
            % {"count": DOCUMENTS_PER_REQUIREMENT},
            code="too_many",
        )
    document = ApplicationDocument(
        application=locked,
        requirement=requirement,
        original_name=name,
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
    # A name of our own: the applicant's file name is shown, never used as a path.
    document.file.save(uuid.uuid4().hex + ACCEPTED_TYPES[content_type], upload, save=False)
    try:
        with transaction.atomic():
            document.save()
            grant_log(
                instance=locked,
                action="grants.document_add",
                by=by,
                data={
                    "document": document.pk,
                    "requirement": requirement.name,
                    "type": content_type,
                },
            )
    except Exception:
        # No row, no file: a refused or failed upload leaves nothing behind.
        document.file.storage.delete(document.file.name)
        raise
    return document, True


@transaction.atomic
def document_remove(*, document: ApplicationDocument, by) -> bool:
    """Remove a document of the draft, its file once the removal commits; ``False`` when it
    was already removed (a double click)."""
    locked = _locked(document.application)
    _refuse_unless_applicant(locked, by)
    _refuse_unless_editable(locked)
    row = ApplicationDocument.objects.filter(pk=document.pk, application=locked).first()
    if row is None:
        return False
    storage, name = row.file.storage, row.file.name
    requirement = row.requirement.name if row.requirement_id else ""
    row.delete()
    transaction.on_commit(lambda: storage.delete(name))
    grant_log(
        instance=locked,
        action="grants.document_remove",
        by=by,
        data={"document": document.pk, "requirement": requirement},
    )
    return True


# --- The mentor's endorsement ------------------------------------------------------------------

#: While the application waits for a decision its mentor's word may still come.
ENDORSABLE = (GrantApplication.Status.DRAFT, GrantApplication.Status.SUBMITTED)


@transaction.atomic
def endorsement_request(*, application: GrantApplication, by) -> tuple[Endorsement, bool]:
    """Ask the applicant's mentor now (mentoring says who: ``current_reviewers``) to endorse
    the draft; ``(endorsement, False)`` when they were already asked. A request their former
    mentor left unanswered goes to the new one."""
    locked = _locked(application)
    _refuse_unless_applicant(locked, by)
    _refuse_unless_editable(locked)
    mentors = current_reviewers(locked.participant)
    if not mentors:
        raise ValidationError(
            _("You have no mentor now, so there is nobody to ask for an endorsement."),
            code="no_mentor",
        )
    mentor = mentors[0]
    endorsement = Endorsement.objects.select_for_update().filter(application=locked).first()
    if endorsement is not None and (endorsement.given_at or endorsement.mentor_id == mentor.pk):
        return endorsement, False
    if endorsement is None:
        endorsement = Endorsement.objects.create(application=locked, mentor=mentor)
    else:
        endorsement.mentor = mentor
        endorsement.save(update_fields=["mentor"])
    grant_log(
        instance=locked, action="grants.endorsement_request", by=by, data={"mentor": mentor.pk}
    )
    notify.endorsement_request_schedule(endorsement=endorsement)
    return endorsement, True


@transaction.atomic
def endorsement_give(*, endorsement: Endorsement, text: str, by) -> tuple[Endorsement, bool]:
    """The mentor's word, given once; ``(endorsement, False)`` when it was already given.
    Only the mentor asked, while still the applicant's mentor and before a decision."""
    locked = (
        Endorsement.objects.select_for_update(of=("self",))
        .select_related("application__participant")
        .get(pk=endorsement.pk)
    )
    if getattr(by, "pk", None) != locked.mentor_id:
        raise PermissionDenied
    if locked.given_at is not None:
        return locked, False
    application = locked.application
    if application.status not in ENDORSABLE:
        raise ValidationError(
            _("This application is no longer waiting for a decision: it takes no endorsement."),
            code="decided",
        )
    if not any(person.pk == by.pk for person in current_reviewers(application.participant)):
        raise ValidationError(
            _("You are no longer this person's mentor, so you cannot endorse the application."),
            code="not_mentor",
        )
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write your endorsement."), code="empty")
    locked.text = text
    locked.given_at = timezone.now()
    locked.save(update_fields=["text", "given_at"])
    grant_log(instance=application, action="grants.endorsement_give", by=by, data={})
    return locked, True
