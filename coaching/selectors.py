"""Reads: who may see which participant, and the data each page needs in a fixed query count."""

import datetime

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


def can_manage_participants(user) -> bool:
    """The one rule for "a coordinator who may manage participants", for the public staff
    pages and the Wagtail admin alike: in the Coordinator group and holding the permission
    our data migration grants it (or a superuser). Which participants: ``coordinator_site_ids``.
    """
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or (
        _in_group(user, app_settings.COORDINATOR_GROUP)
        and user.has_perm("coaching.change_participant")
    )


def is_mentor(user) -> bool:
    return _in_group(user, app_settings.MENTOR_GROUP)


def coordinator_site_ids(user) -> set[int] | None:
    """Sites whose participants this user manages; None means every site (superusers)."""
    if not can_manage_participants(user):
        return set()
    if user.is_superuser:
        return None
    return set(StaffSiteAssignment.objects.filter(user=user).values_list("site_id", flat=True))


def scope_to_staff_sites(user, queryset: QuerySet, site_lookup: str = "site_id") -> QuerySet:
    """The one rule for "coordinators see only their own site(s)": every list and object
    lookup of the public staff pages and the Wagtail admin goes through here."""
    site_ids = coordinator_site_ids(user)
    if site_ids is None:
        return queryset
    return queryset.filter(**{f"{site_lookup}__in": site_ids})


def user_manages_site(user, site_id) -> bool:
    site_ids = coordinator_site_ids(user)
    return site_ids is None or site_id in site_ids


def user_manages_participant(user, participant: Participant) -> bool:
    return user_manages_site(user, participant.site_id)


def participants_for_staff(user) -> QuerySet[Participant]:
    """Participants a coordinator may see: those of their own site(s). Nobody else: none."""
    return scope_to_staff_sites(
        user, Participant.objects.select_related("user", "site", "cohort", "assigned_mentor")
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


def mentee_for_mentor_or_404(mentor, pk) -> Participant:
    """A mentor sees only participants assigned to them, and their progress only if the person
    agreed to share it: ``shared_with_mentor`` on the result says so (current consent)."""
    if not is_mentor(mentor):
        raise Http404
    try:
        participant = Participant.objects.select_related("user", "site").get(
            pk=pk, assigned_mentor=mentor
        )
    except (Participant.DoesNotExist, ValueError):
        raise Http404 from None
    participant.shared_with_mentor = consent_state(participant)[
        ConsentRecord.Kind.SHARE_WITH_MENTOR
    ]
    return participant


def consent_state(participant: Participant) -> dict[str, bool]:
    """The current answer for each kind of consent: the latest record wins."""
    state = dict.fromkeys(ConsentRecord.Kind.values, False)
    seen = set()
    for kind, granted in (
        ConsentRecord.objects.filter(participant=participant)
        .order_by("kind", "-created_at", "-pk")
        .values_list("kind", "granted")
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
        ConsentRecord.objects.filter(
            participant=OuterRef("participant"), kind=ConsentRecord.Kind.FOLLOW_UP_CONTACT
        )
        .order_by("-created_at", "-pk")
        .values("granted")[:1]
    )


def current_privacy_notice() -> PrivacyNotice | None:
    return (
        PrivacyNotice.objects.filter(published_at__lte=timezone.now())
        .order_by("-published_at")
        .first()
    )


def checklist_for(participant: Participant) -> list[ChecklistItem]:
    return list(
        ChecklistItem.objects.filter(stage=participant.stage)
        .filter(Q(site__isnull=True) | Q(site_id=participant.site_id))
        .order_by("sort_order", "pk")
    )


def dashboard_data(participant: Participant) -> dict:
    """Everything the dashboard shows about the participant, in a fixed number of queries."""
    stages = Stage.ordered()
    current = stages.index(Stage(participant.stage))
    return {
        "stages": [
            {"value": s.value, "label": s.label, "done": i < current, "current": i == current}
            for i, s in enumerate(stages)
        ],
        "checklist": checklist_for(participant),
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
    if can_manage_participants(user) and user_manages_participant(user, participant):
        return follow_up
    raise Http404


def user_has_participant_records(user) -> bool:
    """True when the account holds programme records that must outlive it (see erasure)."""
    return Participant.objects.filter(user=user).exists()
