"""Starting a plan and changing its own settings (name, call aimed at)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from coaching.models import Participant
from coaching.plans import canvas
from coaching.plans.models import BusinessPlan, CallRules, Forecast, PlanSection, PlanTemplate

#: The Wagtail log actions of plans; their labels are registered in ``wagtail_hooks``.
LOG_CREATE = "plans.create"


def plan_may_start(participant: Participant | None) -> bool:
    """Only a person on the path (found eligible) writes a plan."""
    return participant is not None and participant.status == Participant.Status.ELIGIBLE


def plan_log(*, plan: BusinessPlan, action: str, by, data: dict | None = None) -> None:
    """One step of the plan's history, in Wagtail's log entries (who, when, what)."""
    log(instance=plan, action=action, user=by, title=plan.title, data=data or {})


@transaction.atomic
def plan_create(
    *,
    participant: Participant,
    by,
    title: str,
    language: str,
    template: PlanTemplate | None,
    call_rules: CallRules | None = None,
) -> BusinessPlan:
    """A new plan with the template's sections (titles copied), the nine canvas boxes, and
    an empty forecast."""
    if not plan_may_start(participant):
        raise ValidationError(_("You can start a business plan once you are on the path."))
    if template is not None and template.site_id != participant.site_id:
        raise ValidationError(_("This template belongs to another municipality."))
    if call_rules is not None and call_rules.site_id != participant.site_id:
        raise ValidationError(_("This call belongs to another municipality."))
    plan = BusinessPlan.objects.create(
        participant=participant,
        template=template,
        title=title,
        language=language,
        call_rules=call_rules,
    )
    sections = [
        PlanSection(plan=plan, kind=PlanSection.Kind.CANVAS, key=code, position=index)
        for index, code in enumerate(canvas.CODES)
    ]
    if template is not None:
        sections += [
            PlanSection(
                plan=plan,
                kind=PlanSection.Kind.SECTION,
                key=section.key,
                title=section.title,
                template_section=section,
                position=index,
            )
            for index, section in enumerate(template.sections.order_by("sort_order", "pk"))
        ]
    PlanSection.objects.bulk_create(sections)
    Forecast.objects.create(plan=plan, monthly_revenue=["0"] * 12)
    plan_log(plan=plan, action=LOG_CREATE, by=by)
    return plan


def plan_change(
    *, plan: BusinessPlan, by, title: str, call_rules: CallRules | None
) -> BusinessPlan:
    if call_rules is not None and call_rules.site_id != plan.participant.site_id:
        raise ValidationError(_("This call belongs to another municipality."))
    if not plan.is_editable:
        # The mentor reviewed (or is reviewing) the plan aimed at its call: reopen it first.
        raise ValidationError(
            _("This plan is %(status)s: reopen it to change its name or call.")
            % {"status": plan.get_status_display().lower()},
            code="not_editable",
        )
    plan.title = title
    plan.call_rules = call_rules
    plan.save(update_fields=["title", "call_rules", "updated_at"])
    return plan
