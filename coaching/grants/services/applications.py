"""Applications: started from a ready plan (its frozen version attached, its start-up costs
the budget), checked against the call's rules by the function the plan uses, submitted once
inside the call's window."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from coaching.grants.models import BudgetLine, GrantApplication, GrantCallPage
from coaching.grants.services.audit import grant_log
from coaching.models import Participant
from coaching.plans import financials
from coaching.plans.finance_messages import breach_texts
from coaching.plans.models import BusinessPlan
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
    (a double click). Refused with every problem listed when it may not be."""
    locked = GrantApplication.objects.select_for_update().get(pk=application.pk)
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
    return locked, True
