"""Who may see which grant record: the access rules of microgrants, written once.

- Applicants (the participant, signed in on the site of their participation) see their own
  applications, awards, tranches and expense reports.
- Evaluators see only the applications assigned to them, on the sites they are assigned to,
  and only after declaring that they have no conflict of interest.
- Coordinators see their sites' applications, awards and expense reports.
- Finance officers see their sites' awards and tranches.
- Mentors see only the endorsement they were asked for.
- Editors (and everyone else) see no application; nobody sees across sites.

Views and admin screens ask these functions; none filters by itself.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from wagtail.models import Locale, Site

from coaching.grants.models import (
    ApplicationDocument,
    Assignment,
    Award,
    Endorsement,
    ExpenseReport,
    GrantApplication,
    GrantCallPage,
    Tranche,
)
from coaching.selectors import (
    StaffRole,
    may_act_on_site,
    own_participant,
    scope_to_sites,
    staff_site_ids,
)


def _get_or_404(queryset: QuerySet, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _applications() -> QuerySet[GrantApplication]:
    return GrantApplication.objects.select_related(
        "call", "participant__user", "site", "plan_version"
    )


# --- Applicants --------------------------------------------------------------------------------


def own_applications(user, site) -> QuerySet[GrantApplication]:
    """The applications of ``user``'s participation on ``site`` (none for anyone else)."""
    participant = own_participant(user, site)
    if participant is None:
        return GrantApplication.objects.none()
    return _applications().filter(participant=participant)


def own_application_or_404(user, site, pk) -> GrantApplication:
    return _get_or_404(own_applications(user, site), pk)


def own_awards(user, site) -> QuerySet[Award]:
    participant = own_participant(user, site)
    if participant is None:
        return Award.objects.none()
    return Award.objects.select_related("application__call").filter(
        application__participant=participant
    )


def own_award_or_404(user, site, pk) -> Award:
    return _get_or_404(own_awards(user, site), pk)


def own_expense_reports(user, site) -> QuerySet[ExpenseReport]:
    return ExpenseReport.objects.filter(award__in=own_awards(user, site))


# --- Staff -------------------------------------------------------------------------------------


def applications_for_coordinator(user) -> QuerySet[GrantApplication]:
    """Applications of the coordinator's sites that were submitted. Drafts stay the
    applicant's own, and so does a draft withdrawn before it was ever submitted."""
    return scope_to_sites(user, _applications(), role=StaffRole.COORDINATOR).filter(
        submitted_at__isnull=False
    )


def application_for_coordinator_or_404(user, pk) -> GrantApplication:
    return _get_or_404(applications_for_coordinator(user), pk)


def canonical_call(call: GrantCallPage) -> GrantCallPage:
    """The call in the default language: applications, awards and the budget belong to it;
    its translations are other readings of the same call (another tree, other ids)."""
    default = Locale.get_default()
    if call.locale_id == default.pk:
        return call
    return call.get_translation_or_none(default) or call


def calls_in_sites(site_ids) -> QuerySet[GrantCallPage]:
    """The calls published under the root pages of ``site_ids`` (every call for ``None``)."""
    calls = GrantCallPage.objects.all()
    if site_ids is None:
        return calls
    tree = Q(pk__in=())
    for root_path in Site.objects.filter(id__in=site_ids).values_list("root_page__path", flat=True):
        tree |= Q(path__startswith=root_path)
    return calls.filter(tree)


def calls_for_coordinator(user) -> QuerySet[GrantCallPage]:
    """Calls of the coordinator's sites: a call belongs to the site whose tree holds it."""
    return calls_in_sites(staff_site_ids(user, StaffRole.COORDINATOR))


def assignments_for_evaluator(user) -> QuerySet[Assignment]:
    """The evaluator's assignments, on the sites they evaluate for."""
    return scope_to_sites(
        user,
        Assignment.objects.select_related("application__call", "application__plan_version").filter(
            evaluator=user
        ),
        role=StaffRole.EVALUATOR,
        site_lookup="application__site_id",
    ).exclude(application__status=GrantApplication.Status.WITHDRAWN)


def assignment_for_evaluator_or_404(user, pk) -> Assignment:
    return _get_or_404(assignments_for_evaluator(user), pk)


def readable_assignment_or_404(user, pk) -> Assignment:
    """An assignment whose application the evaluator may read: no conflict declared."""
    return _get_or_404(
        assignments_for_evaluator(user).filter(conflict=Assignment.Conflict.NONE), pk
    )


def awards_for_staff(user, role: StaffRole) -> QuerySet[Award]:
    return scope_to_sites(
        user,
        Award.objects.select_related("application__call", "application__participant"),
        role=role,
    )


def tranches_for_staff(user, role: StaffRole) -> QuerySet[Tranche]:
    """The tranches of the awards of the sites ``user`` acts on in ``role``."""
    return scope_to_sites(
        user,
        Tranche.objects.select_related("award__application__participant"),
        role=role,
        site_lookup="award__site_id",
    )


def tranches_for_finance(user) -> QuerySet[Tranche]:
    return tranches_for_staff(user, StaffRole.FINANCE_OFFICER)


def tranches_for_coordinator(user) -> QuerySet[Tranche]:
    return tranches_for_staff(user, StaffRole.COORDINATOR)


def expense_reports_for_coordinator(user) -> QuerySet[ExpenseReport]:
    return scope_to_sites(
        user,
        ExpenseReport.objects.select_related("award__application"),
        role=StaffRole.COORDINATOR,
        site_lookup="award__site_id",
    ).exclude(status=ExpenseReport.Status.DRAFT)


# --- Mentors -----------------------------------------------------------------------------------


def endorsements_for_mentor(user) -> QuerySet[Endorsement]:
    """The endorsements the mentor was asked for: they see these and nothing else of the
    application."""
    if not user.is_authenticated:
        return Endorsement.objects.none()
    return Endorsement.objects.select_related("application__call").filter(mentor=user)


# --- Documents ---------------------------------------------------------------------------------


def may_read_application(user, application: GrantApplication) -> bool:
    """The applicant, a coordinator of its site (once submitted), or an evaluator assigned to
    it who declared no conflict."""
    if not user.is_authenticated:
        return False
    if application.participant.user_id == user.pk:
        return True
    if application.submitted_at is not None and may_act_on_site(
        user, application.site_id, role=StaffRole.COORDINATOR
    ):
        return True
    return (
        assignments_for_evaluator(user)
        .filter(application=application, conflict=Assignment.Conflict.NONE)
        .exists()
    )


def document_for_user_or_404(user, pk) -> ApplicationDocument:
    document = _get_or_404(
        ApplicationDocument.objects.select_related("application__participant"), pk
    )
    if not may_read_application(user, document.application):
        raise Http404
    return document


def may_read_plan_version(user, version) -> bool:
    """``coaching.plans``' ``VERSION_READERS_HOOK``: an evaluator reads the frozen version an
    assigned application attaches, once they declared no conflict."""
    return (
        assignments_for_evaluator(user)
        .filter(application__plan_version=version, conflict=Assignment.Conflict.NONE)
        .exists()
    )
