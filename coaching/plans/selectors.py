"""Who may see which plan, and how: the access rules of business plans, written once.

- The owner (the participant whose plan it is, on the site of their participation) edits.
- The mentor the owner shared the plan with reads it and comments, while they are still the
  owner's mentor: mentoring answers that through ``REVIEWERS_HOOK``, so an ended match ends
  the access at once. They never edit.
- Coordinators read the plans of their sites (``coaching.selectors.scope_to_sites``).
- A grant evaluator reads only a frozen version attached to an application they evaluate:
  the grants app answers through ``VERSION_READERS_HOOK``.
- Nobody else, and nobody across sites.
"""

from __future__ import annotations

import enum

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from wagtail import hooks
from wagtail.models import Page

from coaching.models import Participant
from coaching.plans.models import (
    BusinessPlan,
    CallRules,
    PlanComment,
    PlanSection,
    PlanTemplate,
    PlanVersion,
    SectionConflict,
)
from coaching.selectors import StaffRole, scope_to_sites
from resources.models import ResourcePage

#: ``fn(participant) -> iterable of users``: the people who are the participant's mentor now.
REVIEWERS_HOOK = "avvio_plan_reviewers"
#: ``fn(user, version) -> bool``: whether ``user`` may read the frozen ``version`` (grants).
VERSION_READERS_HOOK = "avvio_plan_version_readers"


class Access(enum.IntEnum):
    """What a person may do with a plan; each level includes the ones below it."""

    NONE = 0
    READ = 1
    COMMENT = 2
    EDIT = 3


def current_reviewers(participant: Participant) -> list:
    """The participant's mentors now, as mentoring says (nobody without the mentors app)."""
    people = []
    for hook in hooks.get_hooks(REVIEWERS_HOOK):
        people.extend(hook(participant))
    return people


def _plans() -> QuerySet[BusinessPlan]:
    return BusinessPlan.objects.select_related(
        "participant",
        "participant__user",
        "participant__site",
        "shared_with",
        "template",
        "call_rules",
    )


def is_current_reviewer(user, plan: BusinessPlan) -> bool:
    if not user.is_authenticated or plan.shared_with_id != user.pk:
        return False
    return any(person.pk == user.pk for person in current_reviewers(plan.participant))


def access_to(user, plan: BusinessPlan, *, site=None) -> Access:
    """The one rule. ``site`` is the site of the request: an owner edits only on the site of
    their participation, and a mentor reads only where the plan's site is."""
    if not (user.is_authenticated and user.is_active):
        return Access.NONE
    if site is not None and plan.participant.site_id != site.pk:
        return Access.NONE
    if plan.participant.user_id == user.pk:
        return Access.EDIT
    if is_current_reviewer(user, plan):
        return Access.COMMENT
    staff_plans = scope_to_sites(
        user,
        BusinessPlan.objects.filter(pk=plan.pk),
        role=StaffRole.COORDINATOR,
        site_lookup="participant__site_id",
    )
    if staff_plans.exists():
        return Access.READ
    return Access.NONE


def plan_or_404(user, pk, *, site, at_least: Access) -> tuple[BusinessPlan, Access]:
    """The plan ``pk`` if ``user`` may at least ``at_least`` it on ``site``, and how they may.
    Anything else (no such plan, another's, another site's, a bad id): 404, never 403, so ids
    cannot be probed."""
    try:
        plan = _plans().get(pk=pk)
    except (BusinessPlan.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    access = access_to(user, plan, site=site)
    if access < at_least:
        raise Http404
    return plan, access


def plans_of(participant: Participant | None) -> QuerySet[BusinessPlan]:
    """A participant's own plans, newest first."""
    if participant is None:
        return BusinessPlan.objects.none()
    return _plans().filter(participant=participant)


def plans_shared_with(user, *, site) -> list[BusinessPlan]:
    """Plans shared with ``user`` on ``site`` whose owner still has them as mentor."""
    if not user.is_authenticated:
        return []
    candidates = _plans().filter(shared_with=user, participant__site=site)
    return [plan for plan in candidates if is_current_reviewer(user, plan)]


def plans_for_staff(user) -> QuerySet[BusinessPlan]:
    """The plans a coordinator may read: those of their sites' participants."""
    return scope_to_sites(
        user, _plans(), role=StaffRole.COORDINATOR, site_lookup="participant__site_id"
    )


def templates_for(site, language: str | None = None) -> QuerySet[PlanTemplate]:
    templates = PlanTemplate.objects.filter(site=site)
    if language:
        templates = templates.filter(language=language)
    return templates.order_by("-is_default", "name")


def default_template(site, language: str) -> PlanTemplate | None:
    return templates_for(site, language).first() or templates_for(site).first()


def site_tree_paths(sites) -> list[str]:
    """The tree paths of ``sites``: each site's root page and its translations (an English
    home beside the Italian one is the same site's tree)."""
    keys = [site.root_page.translation_key for site in sites]
    return list(Page.objects.filter(translation_key__in=keys).values_list("path", flat=True))


def in_trees(page, paths: list[str]) -> bool:
    return any(page.path.startswith(path) for path in paths)


def lessons_of_sites(sites) -> QuerySet[ResourcePage]:
    """The library pages in the page trees of ``sites``: the lessons a template of one of those
    sites may link to (a site's participants cannot open another site's pages)."""
    under = Q(pk__in=[])
    for path in site_tree_paths(sites):
        under |= Q(path__startswith=path)
    return ResourcePage.objects.filter(under)


def call_rules_for(site) -> QuerySet[CallRules]:
    return CallRules.objects.filter(site=site, is_open_for_plans=True).prefetch_related("caps")


def sections_of(plan: BusinessPlan, kind: str | None = None) -> list[PlanSection]:
    """The plan's sections in order, each with its template section (prompts, lessons), its
    open conflicts and its comment threads, in a fixed number of queries."""
    sections = (
        plan.sections.select_related("template_section")
        .prefetch_related(
            "template_section__lessons",
            Prefetch(
                "conflicts",
                queryset=SectionConflict.objects.filter(resolved_at__isnull=True),
                to_attr="open_conflicts",
            ),
            Prefetch(
                "comments",
                queryset=PlanComment.objects.filter(parent__isnull=True)
                .select_related("author", "resolved_by")
                .prefetch_related(
                    Prefetch("replies", queryset=PlanComment.objects.select_related("author"))
                ),
                to_attr="threads",
            ),
        )
        .order_by("position", "pk")
    )
    if kind:
        sections = sections.filter(kind=kind)
    return list(sections)


def section_or_404(plan: BusinessPlan, key: str, kind: str = PlanSection.Kind.SECTION):
    try:
        return plan.sections.select_related("template_section").get(kind=kind, key=key)
    except PlanSection.DoesNotExist:
        raise Http404 from None


def progress_of(plan: BusinessPlan) -> dict:
    """Sections empty, started and done, and the share done, for the plan's own sections."""
    counts = plan.sections.filter(kind=PlanSection.Kind.SECTION).aggregate(
        total=Count("pk"),
        empty=Count("pk", filter=Q(text="")),
        done=Count("pk", filter=Q(done=True) & ~Q(text="")),
    )
    total = counts["total"] or 0
    started = total - counts["empty"] - counts["done"]
    return {
        "total": total,
        "empty": counts["empty"],
        "started": started,
        "done": counts["done"],
        "percent": round(100 * counts["done"] / total) if total else 0,
    }


def versions_of(plan: BusinessPlan) -> QuerySet[PlanVersion]:
    return plan.versions.select_related("created_by").defer("data")


def version_or_404(plan: BusinessPlan, number) -> PlanVersion:
    try:
        return plan.versions.get(number=number)
    except (PlanVersion.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def frozen_version_for_reader_or_404(user, pk) -> PlanVersion:
    """A frozen version for someone who is not the owner, mentor or coordinator of the plan:
    only if a ``VERSION_READERS_HOOK`` (the grants app: its evaluators) lets them."""
    try:
        version = PlanVersion.objects.select_related("plan", "plan__participant").get(
            pk=pk, frozen=True
        )
    except (PlanVersion.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not user.is_authenticated:
        raise Http404
    if any(hook(user, version) for hook in hooks.get_hooks(VERSION_READERS_HOOK)):
        return version
    raise Http404
