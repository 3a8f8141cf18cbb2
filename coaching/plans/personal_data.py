"""Business plans' personal data: what they hold about a participant and about a mentor.

Registered in ``wagtail_hooks.py`` under the hook ``register_personal_data``; the registry
(``coaching.personal_data``) walks it for a person's export and erasure, so erasing a
participant through coaching's normal flow (``participant_erase``) erases their plans too.

For a participant: their plans (name, status, language, dates), each section's and canvas
box's text, the financial lines, the versions kept (number, date) and the comments on the
plans. Erased: every plan, with all it holds. Kept: a plan with a frozen version, the one a
grant application attached, because the grant's records rely on it (its texts, figures and
frozen versions stay; the unfrozen versions, the texts of conflicting saves and the comments
go, and it is shared with nobody). Each plan's history (Wagtail's log) keeps its steps but
loses the mentor's name, the versions' labels and the review messages; a deleted plan's
entries are labelled with the participant reference instead of its title. A person in two
municipalities who erases one participation loses that participation's plans only
(``erase_participation``).

For a mentor: the comments they wrote on the plans shared with them. Kept, anonymised: the
comments stay in the owner's plan, without their author; the plans stop being shared with
them and their histories no longer name them (the account itself is anonymised by coaching's
provider). The messages they wrote when asking for changes stay in the plan's history, as
their comments do: they are the review of the owner's plan, and no longer signed.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import ModelLogEntry

from coaching.personal_data import ANONYMISED, DELETED, KEPT
from coaching.plans import canvas
from coaching.plans.models import (
    BudgetCategory,
    BusinessPlan,
    FundingSource,
    PlanComment,
    PlanSection,
    PlanVersion,
    SectionConflict,
)
from coaching.plans.services.finance import plan_finance_data

PROVIDER_KEY = "plans"

#: Why a plan with a frozen version outlives the person's erasure.
GRANT_RECORD = gettext_lazy(
    "Kept because a grant application relies on its frozen version: the grant's records are "
    "kept for the ESF+ audit, linked only to the participant reference (Regulation (EU) "
    "2021/1060 art. 82)."
)


def _when(value) -> str:
    if value is None:
        return "—"
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def _iso(value):
    return value.isoformat() if value else None


def _money(amount: str) -> str:
    return f"€ {amount}"


def _own_plans(user):
    return BusinessPlan.objects.filter(participant__user=user)


def _kept(plans):
    """The plans a grant application relies on: those with a frozen version."""
    return plans.filter(versions__frozen=True).distinct()


# --- The participant's side ------------------------------------------------------------------


def _section_title(section: PlanSection) -> str:
    if section.kind == PlanSection.Kind.CANVAS:
        return _("Lean canvas: %(box)s") % {"box": canvas.TITLES.get(section.key, section.key)}
    return section.title or section.key


def _finance_rows(finance: dict) -> list[tuple[str, str]]:
    categories = dict(BudgetCategory.choices)
    kinds = dict(FundingSource.Kind.choices)
    rows = [
        (
            _("Start-up cost: %(what)s") % {"what": cost["description"]},
            f"{categories.get(cost['category'], cost['category'])} · {_money(cost['amount'])}",
        )
        for cost in finance["startup_costs"]
    ]
    rows += [
        (
            _("Funding: %(source)s") % {"source": kinds.get(source["kind"], source["kind"])},
            _money(source["amount"]) + (f" · {source['note']}" if source["note"] else ""),
        )
        for source in finance["funding"]
    ]
    rows += [
        (
            _("Running cost: %(what)s") % {"what": cost["description"]},
            _("%(amount)s a month from month %(month)s")
            % {"amount": _money(cost["monthly_amount"]), "month": cost["starts_month"]},
        )
        for cost in finance["running_costs"]
    ]
    revenue = finance["forecast"]["monthly_revenue"]
    if any(amount not in ("0", "0.00") for amount in revenue):
        rows.append((_("Revenue by month, first year"), " · ".join(revenue)))
    return rows


def _plan_sections(plan: BusinessPlan, user) -> list[dict]:
    texts = list(plan.sections.order_by("kind", "position", "pk"))
    finance = plan_finance_data(plan)
    versions = list(plan.versions.defer("data").order_by("number"))
    comments = list(
        PlanComment.objects.filter(plan=plan).select_related("section").order_by("created_at", "pk")
    )
    heading = {"plan": plan.title}

    def who(comment) -> str:
        if comment.author_id == user.pk:
            return _("you")
        return _("your mentor") if comment.author_id else _("a former mentor")

    return [
        {
            "title": _("Business plan “%(plan)s”") % heading,
            "intro": _("The plan you wrote: its details and the text of each part."),
            "rows": [
                (_("Name of the plan"), plan.title),
                (_("Status"), plan.get_status_display()),
                (_("Language of the plan"), plan.get_language_display()),
                (_("Started"), _when(plan.created_at)),
                (_("Updated"), _when(plan.updated_at)),
            ]
            + [(_section_title(section), section.text or "—") for section in texts],
            "data": {
                "title": plan.title,
                "status": plan.status,
                "language": plan.language,
                "call": str(plan.call_rules) if plan.call_rules_id else None,
                "created_at": _iso(plan.created_at),
                "updated_at": _iso(plan.updated_at),
                "sections": [
                    {"title": s.title, "key": s.key, "text": s.text, "done": s.done}
                    for s in texts
                    if s.kind == PlanSection.Kind.SECTION
                ],
                "canvas": {s.key: s.text for s in texts if s.kind == PlanSection.Kind.CANVAS},
            },
        },
        {
            "title": _("Figures of “%(plan)s”") % heading,
            "rows": _finance_rows(finance),
            "data": finance,
        },
        {
            "title": _("Versions of “%(plan)s” and comments on it") % heading,
            "rows": [
                (
                    _("Version %(number)s") % {"number": v.number},
                    f"{_when(v.created_at)} · {v.get_reason_display()}",
                )
                for v in versions
            ]
            + [
                (f"{_when(c.created_at)} · {who(c)} · {_section_title(c.section)}", c.body)
                for c in comments
            ],
            "data": {
                "versions": [
                    {
                        "number": v.number,
                        "made_at": _iso(v.created_at),
                        "reason": v.reason,
                        "label": v.label,
                        "frozen": v.frozen,
                    }
                    for v in versions
                ],
                "comments": [
                    {
                        "section": c.section.key,
                        "from": "you" if c.author_id == user.pk else "mentor",
                        "written_at": _iso(c.created_at),
                        "resolved_at": _iso(c.resolved_at),
                        "body": c.body,
                    }
                    for c in comments
                ],
            },
        },
    ]


def _participant_plan(plans) -> list[dict]:
    outcomes = []
    kept = _kept(plans)
    if plans.exclude(pk__in=kept.values("pk")).exists():
        outcomes.append(
            {
                "action": DELETED,
                "what": _(
                    "Your business plans: their texts, lean canvas, figures, versions and comments"
                ),
            }
        )
    if kept.exists():
        outcomes += [
            {
                "action": DELETED,
                "what": _(
                    "Of a plan attached to a grant application: its other versions, the texts "
                    "of conflicting saves and the comments"
                ),
            },
            {
                "action": KEPT,
                "what": _(
                    "A business plan attached to a grant application: its texts, figures "
                    "and frozen version"
                ),
                "why": str(GRANT_RECORD),
            },
        ]
    return outcomes


#: What a plan's history (Wagtail's log entries) may hold that names or quotes a person: the
#: mentor's name and id, a version's label and a review message, all free or personal text.
#: The step itself (who did what, when) stays, as the plan's other records do.
LOG_PERSONAL_KEYS = ("mentor", "mentor_id", "label", "message")


def _plan_log_entries(plan_ids):
    content_type = ContentType.objects.get_for_model(BusinessPlan)
    return ModelLogEntry.objects.filter(
        content_type=content_type, object_id__in=[str(pk) for pk in plan_ids]
    )


def _log_scrub(entries, keys=LOG_PERSONAL_KEYS) -> None:
    """Drop ``keys`` from the entries' data (the rest of each entry stays)."""
    changed = []
    for entry in entries.only("pk", "data"):
        if isinstance(entry.data, dict) and any(key in entry.data for key in keys):
            entry.data = {key: value for key, value in entry.data.items() if key not in keys}
            changed.append(entry)
    ModelLogEntry.objects.bulk_update(changed, ["data"])


def _participant_erase(plans) -> None:
    kept = list(_kept(plans).values_list("pk", flat=True))
    gone = plans.exclude(pk__in=kept)
    every = list(plans.values_list("pk", flat=True))
    _log_scrub(_plan_log_entries(every))
    # The plans' history in Wagtail's log names each plan: once the plan is gone, only the
    # participant reference remains.
    for plan in gone.select_related("participant"):
        _plan_log_entries([plan.pk]).update(label=plan.participant.reference)
    gone.delete()
    PlanVersion.objects.filter(plan_id__in=kept, frozen=False).delete()
    SectionConflict.objects.filter(section__plan_id__in=kept).delete()
    PlanComment.objects.filter(plan_id__in=kept).delete()
    BusinessPlan.objects.filter(pk__in=kept).update(shared_with=None)


# --- The mentor's side -----------------------------------------------------------------------


def _written(user):
    """Comments ``user`` wrote on other people's plans (on their own: the participant's side)."""
    return PlanComment.objects.filter(author=user).exclude(plan__participant__user=user)


def _mentor_sections(user) -> list[dict]:
    comments = list(_written(user).select_related("section").order_by("created_at", "pk"))
    if not comments:
        return []
    return [
        {
            "title": _("Comments you wrote on business plans"),
            "intro": _("What you wrote as a mentor on the plans shared with you."),
            "rows": [
                (f"{_when(c.created_at)} · {_section_title(c.section)}", c.body) for c in comments
            ],
            "data": [
                {
                    "section": c.section.key,
                    "written_at": _iso(c.created_at),
                    "resolved_at": _iso(c.resolved_at),
                    "body": c.body,
                }
                for c in comments
            ],
        }
    ]


def _mentor_plan() -> list[dict]:
    return [
        {
            "action": ANONYMISED,
            "what": _(
                "The comments you wrote on business plans: they stay in the owner's plan, "
                "without your name"
            ),
        }
    ]


def _mentor_erase(user) -> None:
    # The plans' histories name the mentor they were shared with: the name goes, the step
    # stays. Found by the mentor's id (``services.review``), never by the name: by the time
    # the walk reaches plans, coaching has blanked it, and another mentor may share it.
    named = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(BusinessPlan), data__mentor_id=user.pk
    )
    _log_scrub(named, keys=("mentor", "mentor_id"))
    _written(user).update(author=None)
    PlanComment.objects.filter(resolved_by=user).update(resolved_by=None)
    BusinessPlan.objects.filter(shared_with=user).update(shared_with=None)


class PlansPersonalData:
    """A participant's business plans, and the comments a mentor wrote on others' plans."""

    key = PROVIDER_KEY

    def export(self, *, user, by):
        sections = []
        plans = _own_plans(user).select_related("call_rules").order_by("created_at", "pk")
        for plan in plans:
            sections += _plan_sections(plan, user)
        return sections + _mentor_sections(user)

    def erase(self, *, user, by, reason, now):
        plan = self.erasure_plan(user=user)
        with transaction.atomic():
            _participant_erase(_own_plans(user))
            _mentor_erase(user)
        return plan

    def erase_participation(self, *, participant, by, reason, now):
        """One participation's plans, while the person's other participation stays."""
        plans = BusinessPlan.objects.filter(participant=participant)
        plan = _participant_plan(plans)
        with transaction.atomic():
            _participant_erase(plans)
        return plan

    def participation_erasure_plan(self, *, participant):
        return _participant_plan(BusinessPlan.objects.filter(participant=participant))

    def erasure_plan(self, *, user):
        outcomes = _participant_plan(_own_plans(user))
        if _written(user).exists():
            outcomes += _mentor_plan()
        return outcomes
