"""Reads: who may see which participant, and the data each page needs in a fixed query count.

Site scoping lives here, once: ``staff_site_ids(user, role)`` says on which municipalities'
data a person may act in a role; ``scope_to_sites`` and ``may_act_on_site`` apply it.
"""

import datetime
import enum

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from coaching.conf import app_settings
from coaching.models import (
    ChecklistItem,
    ConsentRecord,
    FollowUp,
    Notification,
    Participant,
    PrivacyNotice,
    StaffSiteAssignment,
    Stage,
)


def _in_group(user, name: str) -> bool:
    if not user.is_authenticated:
        return False
    # Cache per request-user object: access checks run several times per page.
    cache = user.__dict__.setdefault("_coaching_groups", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user.__dict__["_coaching_groups"] = cache
    return name in cache


# --- Site scoping: the one rule --------------------------------------------------------------


class StaffRole(enum.StrEnum):
    """A role in which staff act on a municipality's data: each only on its assigned sites."""

    COORDINATOR = "coordinator"
    MENTOR = "mentor"
    FINANCE_OFFICER = "finance_officer"
    EVALUATOR = "evaluator"

    @property
    def group(self) -> str:
        return {
            StaffRole.COORDINATOR: app_settings.COORDINATOR_GROUP,
            StaffRole.MENTOR: app_settings.MENTOR_GROUP,
            StaffRole.FINANCE_OFFICER: app_settings.FINANCE_OFFICER_GROUP,
            StaffRole.EVALUATOR: app_settings.EVALUATOR_GROUP,
        }[self]

    @property
    def permission(self) -> str | None:
        """A permission the role's members must hold as well as the group, if any."""
        return {StaffRole.COORDINATOR: "coaching.change_participant"}.get(self)


def _holds_role(user, role: StaffRole) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return _in_group(user, role.group) and (
        role.permission is None or user.has_perm(role.permission)
    )


def _assigned_site_ids(user) -> set[int]:
    cache = user.__dict__.get("_coaching_site_ids")
    if cache is None:
        cache = frozenset(
            StaffSiteAssignment.objects.filter(user=user).values_list("site_id", flat=True)
        )
        user.__dict__["_coaching_site_ids"] = cache
    return set(cache)


def staff_site_ids(user, role: StaffRole) -> set[int] | None:
    """The sites (municipalities) on whose data ``user`` may act in ``role``.

    This is the one rule of site scoping; every staff view, admin listing, export and chooser
    of the apps asks it, through ``scope_to_sites`` or ``may_act_on_site``:

    - a superuser acts on every site: ``None``;
    - anyone else acts on the sites of their staff site assignments (``StaffSiteAssignment``),
      and only while they hold the role (its group, and for coordinators the permission to
      change participants);
    - nobody else acts on any site: an empty set. A coordinator, mentor or finance officer
      with no assignment sees no site's data.
    """
    if not (user.is_authenticated and user.is_active):
        return set()
    if user.is_superuser:
        return None
    if not _holds_role(user, role):
        return set()
    return _assigned_site_ids(user)


def scope_to_sites(
    user, queryset: QuerySet, *, role: StaffRole, site_lookup: str = "site_id"
) -> QuerySet:
    """``queryset`` narrowed to the rows of the sites ``staff_site_ids`` allows.

    ``site_lookup`` leads from the model to its site, e.g. ``"participant__site_id"``.
    """
    site_ids = staff_site_ids(user, role)
    if site_ids is None:
        return queryset
    return queryset.filter(**{f"{site_lookup}__in": site_ids})


def may_act_on_site(user, site_id, *, role: StaffRole) -> bool:
    site_ids = staff_site_ids(user, role)
    return site_ids is None or site_id in site_ids


def site_staff(site_id, *, role: StaffRole) -> QuerySet:
    """The people who act on ``site_id`` in ``role``: the same rule read the other way round
    (role members assigned to the site; superusers are left out, they are no one's staff)."""
    User = get_user_model()
    # Written with plain lookups, not ``UserManager.with_perm``: the host's user model need
    # not use Django's manager. The permission from a group or the user's own, as
    # ``ModelBackend`` grants it.
    users = User._default_manager.filter(is_active=True, is_superuser=False)
    if role.permission:
        app_label, codename = role.permission.split(".", 1)
        users = users.filter(
            Q(
                groups__permissions__content_type__app_label=app_label,
                groups__permissions__codename=codename,
            )
            | Q(
                user_permissions__content_type__app_label=app_label,
                user_permissions__codename=codename,
            )
        )
    return users.filter(
        groups__name=role.group, coaching_site_assignments__site_id=site_id
    ).distinct()


def assignable_staff(user) -> QuerySet:
    """Whom ``user`` may assign to one of their sites: staff accounts that already work for
    one of them or for no site yet. Never another site's staff, never participants. A
    superuser: anyone."""
    User = get_user_model()
    site_ids = staff_site_ids(user, StaffRole.COORDINATOR)
    if site_ids is None:
        return User._default_manager.all()
    return (
        User._default_manager.filter(is_staff=True)
        .filter(
            Q(coaching_site_assignments__site_id__in=site_ids)
            | Q(coaching_site_assignments__isnull=True)
        )
        .distinct()
    )


def can_manage_participants(user) -> bool:
    """The one rule for "a coordinator who may manage participants", for the public staff
    pages and the Wagtail admin alike: in the Coordinator group and holding the permission
    ``coaching.roles`` declares for it (or a superuser). Which participants: ``staff_site_ids``.
    """
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or _holds_role(user, StaffRole.COORDINATOR)


def is_finance_officer(user) -> bool:
    return _holds_role(user, StaffRole.FINANCE_OFFICER)


def participants_for_staff(user) -> QuerySet[Participant]:
    """Participants a coordinator may see: those of their own site(s). Nobody else: none."""
    return scope_to_sites(
        user,
        Participant.objects.select_related("user", "site", "cohort"),
        role=StaffRole.COORDINATOR,
    )


def participant_for_staff_or_404(user, pk) -> Participant:
    try:
        return participants_for_staff(user).get(pk=pk)
    except (Participant.DoesNotExist, ValueError):
        raise Http404 from None


def own_participant(user, site) -> Participant | None:
    if not user.is_authenticated or site is None:
        return None
    return (
        Participant.objects.select_related("cohort", "site", "user")
        .filter(user=user, site=site)
        .first()
    )


def consents_latest_first(**filters) -> QuerySet[ConsentRecord]:
    """The one rule for "the latest consent wins": records newest first, and of two recorded
    at the same instant the later saved. Every current answer is the first row of this."""
    return ConsentRecord.objects.filter(**filters).order_by("-created_at", "-pk")


def latest_consent(participant: Participant, kind: str) -> ConsentRecord | None:
    """The record that holds the person's current answer for this kind, if any."""
    return consents_latest_first(participant=participant, kind=kind).first()


def consent_state(participant: Participant) -> dict[str, bool]:
    """The current answer for each kind of consent (``consents_latest_first``)."""
    state = dict.fromkeys(ConsentRecord.Kind.values, False)
    seen = set()
    for kind, granted in consents_latest_first(participant=participant).values_list(
        "kind", "granted"
    ):
        if kind not in seen:
            state[kind] = granted
            seen.add(kind)
    return state


def may_contact_after_path(participant: Participant) -> bool:
    """Whether the person's current answer allows contacting them about follow-ups."""
    return consent_state(participant)[ConsentRecord.Kind.FOLLOW_UP_CONTACT]


def _latest_follow_up_consent():
    return Subquery(
        consents_latest_first(
            participant=OuterRef("participant"), kind=ConsentRecord.Kind.FOLLOW_UP_CONTACT
        ).values("granted")[:1]
    )


def current_privacy_notice(site=None) -> PrivacyNotice | None:
    """The notice in force on ``site``: its own latest published one, else the shared one.

    Each municipality is a separate data controller; until it publishes its own notice, the
    shared one (no site) applies. Without a site, the shared one.
    """
    published = PrivacyNotice.objects.filter(published_at__lte=timezone.now()).order_by(
        "-published_at", "-pk"
    )
    own = published.filter(site=site).first() if site is not None else None
    return own or published.filter(site__isnull=True).first()


def checklist_for(participant: Participant) -> list[ChecklistItem]:
    return list(
        ChecklistItem.objects.filter(stage=participant.stage)
        .filter(Q(site__isnull=True) | Q(site_id=participant.site_id))
        .order_by("sort_order", "pk")
    )


def decision_expected_by(participant: Participant) -> datetime.date | None:
    """Roughly when a coordinator answers the application sent: ``DECISION_WORKING_DAYS``
    working days (Monday to Friday; public holidays are not counted out) after it was sent."""
    if participant.submitted_at is None:
        return None
    day = timezone.localdate(participant.submitted_at)
    left = app_settings.DECISION_WORKING_DAYS
    while left > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


#: The statuses in which the person is on the path (or has been): their stage's checklist
#: is what they do next. Before the decision, and after a decline, the next step follows the
#: application instead (the dashboard says which).
ON_THE_PATH = (Participant.Status.ELIGIBLE, Participant.Status.EXITED)


def dashboard_data(participant: Participant) -> dict:
    """Everything the dashboard shows about the participant, in a fixed number of queries."""
    stages = Stage.ordered()
    current = stages.index(Stage(participant.stage))
    return {
        "stages": [
            {"value": s.value, "label": s.label, "done": i < current, "current": i == current}
            for i, s in enumerate(stages)
        ],
        "checklist": checklist_for(participant) if participant.status in ON_THE_PATH else [],
        "reply_by": (
            decision_expected_by(participant)
            if participant.status == Participant.Status.SUBMITTED
            else None
        ),
        "working_days": app_settings.DECISION_WORKING_DAYS,
        "notifications": list(
            Notification.objects.filter(participant=participant).order_by("-created_at")[:10]
        ),
        "follow_ups": list(
            FollowUp.objects.filter(participant=participant, completed_at__isnull=True)
        ),
    }


def followups_due(now: datetime.datetime | None = None) -> QuerySet[FollowUp]:
    """Follow-ups whose time has come, that nobody has been reminded of yet, of people whose
    current consent allows contacting them. The others stay with the coordinator, who can
    still fill in the form; a consent given later makes them due again."""
    now = now or timezone.now()
    return (
        FollowUp.objects.filter(
            due_at__lte=now, reminded_at__isnull=True, completed_at__isnull=True
        )
        .annotate(may_contact=_latest_follow_up_consent())
        .filter(may_contact=True)
        .select_related("participant__user")
    )


def followup_for_user_or_404(user, pk) -> FollowUp:
    queryset = FollowUp.objects.select_related("participant__user", "participant__site")
    try:
        follow_up = queryset.get(pk=pk)
    except (FollowUp.DoesNotExist, ValueError):
        raise Http404 from None
    participant = follow_up.participant
    if participant.user_id == user.pk:
        return follow_up
    if may_act_on_site(user, participant.site_id, role=StaffRole.COORDINATOR):
        return follow_up
    raise Http404


def user_has_participant_records(user) -> bool:
    """True when the account holds programme records that must outlive it (see erasure)."""
    return Participant.objects.filter(user=user).exists()


# --- The coordinator's admin home ------------------------------------------------------------


def applications_awaiting_decision(user) -> QuerySet[Participant]:
    """Sent applications of the coordinator's site(s), the longest waiting first."""
    return (
        participants_for_staff(user)
        .filter(status=Participant.Status.SUBMITTED)
        .order_by("submitted_at", "pk")
    )


def follow_ups_due_for_staff(user, now: datetime.datetime | None = None) -> QuerySet[FollowUp]:
    """Follow-ups of the coordinator's site(s) whose time has come and that nobody has filled
    in yet, the oldest first (whatever the person's contact consent: the coordinator may
    still fill in the form from what they know)."""
    now = now or timezone.now()
    return scope_to_sites(
        user,
        FollowUp.objects.filter(due_at__lte=now, completed_at__isnull=True)
        .select_related("participant__user")
        .order_by("due_at", "pk"),
        role=StaffRole.COORDINATOR,
        site_lookup="participant__site_id",
    )
