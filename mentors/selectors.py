"""Who may see which mentoring record: the access rules, written once.

- A mentor sees a participant only through an accepted match of theirs (``Match.Status.
  ACCEPTED``): ended, declined or merely proposed matches give no access, so an ended match
  loses the mentor's access at once. What they see of the person's progress depends on the
  person's current consent to share it (``shared_with_mentor``); special-category data never.
- A participant sees their own matches, sessions and action items.
- Coordinators see the records of their sites (``coaching.selectors.scope_to_sites``).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.http import Http404
from django.utils.translation import get_language

from coaching.models import ConsentRecord, Participant
from coaching.selectors import (
    StaffRole,
    consent_state,
    consents_latest_first,
    may_act_on_site,
    scope_to_sites,
)
from mentors.models import (
    ActionItem,
    ChangeRequest,
    Match,
    MentorMembership,
    MentorNote,
    MentorProfile,
    Message,
    Milestone,
    MilestoneDone,
    Session,
    SessionFeedback,
    Skill,
)


def profile_of(user) -> MentorProfile | None:
    """The user's mentor profile, if they have one (cached on the user object)."""
    if not user.is_authenticated:
        return None
    if "_mentor_profile" not in user.__dict__:
        user.__dict__["_mentor_profile"] = (
            MentorProfile.objects.filter(user=user).select_related("user").first()
        )
    return user.__dict__["_mentor_profile"]


def is_active_mentor(user, site_id=None) -> bool:
    """An approved member of ``site_id`` (or of any site when ``site_id`` is None)."""
    profile = profile_of(user)
    if profile is None:
        return False
    memberships = profile.memberships.filter(status=MentorMembership.Status.APPROVED)
    if site_id is not None:
        memberships = memberships.filter(site_id=site_id)
    return memberships.exists()


def approved_mentors(site_id):
    """The mentors who may receive new mentees on the site: approved, not paused."""
    return (
        MentorProfile.objects.filter(
            memberships__site_id=site_id, memberships__status=MentorMembership.Status.APPROVED
        )
        .select_related("user")
        .prefetch_related("skills", "windows")
    )


def open_match_of(participant: Participant) -> Match | None:
    """The participant's one open match (proposed, confirmed or accepted), if any."""
    return (
        participant.mentor_matches.filter(status__in=Match.OPEN)
        .select_related("mentor__user")
        .first()
    )


def active_match_of(participant: Participant) -> Match | None:
    """The participant's accepted match: their mentor, if they have one now."""
    return (
        participant.mentor_matches.filter(status=Match.Status.ACCEPTED)
        .select_related("mentor__user")
        .first()
    )


def mentee_matches(user):
    """The accepted matches of the mentor ``user``: their mentees now."""
    return Match.objects.filter(mentor__user=user, status=Match.Status.ACCEPTED).select_related(
        "participant__user", "participant__site", "mentor__user"
    )


def _with_consent(match: Match) -> Match:
    match.shared_with_mentor = consent_state(match.participant)[
        ConsentRecord.Kind.SHARE_WITH_MENTOR
    ]
    return match


def match_for_mentor_or_404(user, pk) -> Match:
    """The mentor's accepted match ``pk``; ``shared_with_mentor`` says whether the person agrees
    now to share their progress. Anyone else, or an ended match: 404."""
    match = mentee_matches(user).filter(pk=pk).first()
    if match is None:
        raise Http404
    return _with_consent(match)


def mentee_for_mentor_or_404(user, participant_pk) -> Match:
    """The mentor's accepted match with the participant ``participant_pk``, as above."""
    match = mentee_matches(user).filter(participant_id=participant_pk).first()
    if match is None:
        raise Http404
    return _with_consent(match)


def match_for_participant_or_404(user, pk) -> Match:
    """A match of the signed-in participant's own (any status: their history is theirs)."""
    match = (
        Match.objects.filter(pk=pk, participant__user=user)
        .select_related("participant__user", "mentor__user")
        .first()
    )
    if match is None:
        raise Http404
    return match


def match_for_person_or_404(user, pk) -> Match:
    """An accepted match ``pk`` whose mentor or participant is ``user``; anyone else: 404.
    What both sides share (sessions, messages, action items) is read through this."""
    match = (
        Match.objects.filter(pk=pk, status=Match.Status.ACCEPTED)
        .select_related("participant__user", "participant__site", "mentor__user")
        .first()
    )
    if match is None or user.pk not in (match.mentor.user_id, match.participant.user_id):
        raise Http404
    return match


def matches_for_staff(user):
    """The matches of the coordinator's sites."""
    return scope_to_sites(
        user,
        Match.objects.select_related("participant__user", "mentor__user"),
        role=StaffRole.COORDINATOR,
        site_lookup="participant__site_id",
    )


def staff_may_act_on_match(user, match: Match) -> bool:
    return may_act_on_site(user, match.participant.site_id, role=StaffRole.COORDINATOR)


def shared_with_mentor_of(participant_ids) -> dict[int, bool]:
    """Whether each participant agrees now to share their progress with their mentor, in one
    query for any number of them (the same "latest answer wins" rule as ``consent_state``)."""
    shared = dict.fromkeys(participant_ids, False)
    seen = set()
    for participant_id, granted in consents_latest_first(
        participant_id__in=list(shared), kind=ConsentRecord.Kind.SHARE_WITH_MENTOR
    ).values_list("participant_id", "granted"):
        if participant_id not in seen:
            shared[participant_id] = granted
            seen.add(participant_id)
    return shared


# --- The mentoring plan ----------------------------------------------------------------------


def may_tick_milestones(user, participant: Participant) -> bool:
    """The one rule of who ticks a participant's milestones: the person themselves, or their
    mentor while the match is accepted. Coordinators do not: the plan is the pair's."""
    if not user.is_authenticated:
        return False
    if participant.user_id == user.pk:
        return True
    return mentee_matches(user).filter(participant_id=participant.pk).exists()


def milestones_by_site(site_ids) -> dict[int, list[Milestone]]:
    """Each site's milestones in order, in the active language; a milestone not translated
    yet is shown in the default language. One query for any number of sites."""
    active, default = get_language(), settings.LANGUAGE_CODE

    def rank(milestone):
        code = milestone.locale.language_code
        return 0 if code == active else 1 if code == default else 2

    chosen: dict[tuple, Milestone] = {}
    for milestone in Milestone.objects.filter(site_id__in=set(site_ids)).select_related("locale"):
        key = (milestone.site_id, milestone.translation_key)
        if key not in chosen or rank(milestone) < rank(chosen[key]):
            chosen[key] = milestone
    by_site: dict[int, list[Milestone]] = {site_id: [] for site_id in site_ids}
    for milestone in sorted(chosen.values(), key=lambda m: (m.sort_order, m.pk)):
        by_site.setdefault(milestone.site_id, []).append(milestone)
    return by_site


@dataclass
class PlanStep:
    milestone: Milestone
    done: bool


@dataclass
class PlanProgress:
    """A participant's milestones, each ticked or not: "2 of 5"."""

    steps: list[PlanStep] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def done_count(self) -> int:
        return sum(1 for step in self.steps if step.done)


def plan_progress_of(participants) -> dict[int, PlanProgress]:
    """The plan of each participant (their site's milestones, ticked or not), in two queries
    whatever their number."""
    participants = list(participants)
    milestones = milestones_by_site({p.site_id for p in participants})
    done: dict[int, set] = {p.pk: set() for p in participants}
    for participant_id, key in MilestoneDone.objects.filter(
        participant_id__in=list(done)
    ).values_list("participant_id", "milestone_key"):
        done[participant_id].add(key)
    return {
        p.pk: PlanProgress(
            [
                PlanStep(milestone=m, done=m.translation_key in done[p.pk])
                for m in milestones.get(p.site_id, [])
            ]
        )
        for p in participants
    }


# --- The people's side of a match: the mentor's answer, the participant's mentor -------------


def offer_for_mentor_or_404(user, pk) -> Match:
    """A match offered to the mentor ``user``: confirmed by a coordinator and waiting for their
    answer, or already answered by them (the page then only says so). ``shared_with_mentor``
    says what the person agrees to share. Anyone else's match, a proposal not confirmed yet or
    an ended match: 404."""
    match = (
        Match.objects.filter(
            pk=pk,
            mentor__user=user,
            status__in=(Match.Status.CONFIRMED, Match.Status.ACCEPTED, Match.Status.DECLINED),
        )
        .select_related("participant__user", "participant__site", "mentor__user")
        .first()
    )
    if match is None:
        raise Http404
    return _with_consent(match)


def match_history_of(participant: Participant):
    """All the participant's matches, newest first, with their mentors: theirs to read."""
    return participant.mentor_matches.select_related("mentor__user").order_by("-created_at", "-pk")


def previous_mentors_of(participant: Participant):
    """Whom the participant may ask for again: mentors who did mentor them (a match accepted,
    then ended) and still take mentees on their site, except the mentor of their open match."""
    current = participant.mentor_matches.filter(status__in=Match.OPEN).values("mentor_id")
    return (
        MentorProfile.objects.filter(
            matches__participant=participant,
            matches__status=Match.Status.ENDED,
            matches__accepted_at__isnull=False,
            memberships__site_id=participant.site_id,
            memberships__status=MentorMembership.Status.APPROVED,
        )
        .exclude(pk__in=current)
        .select_related("user")
        .distinct()
    )


def open_change_request_of(participant: Participant) -> ChangeRequest | None:
    return (
        participant.mentor_change_requests.filter(status=ChangeRequest.Status.OPEN)
        .select_related("wanted_mentor__user")
        .first()
    )


def change_requests_for_staff(user):
    """Open requests to change mentor of the coordinator's sites, the oldest first."""
    return scope_to_sites(
        user,
        ChangeRequest.objects.filter(status=ChangeRequest.Status.OPEN)
        .select_related(
            "participant__user", "participant__site", "match__mentor__user", "wanted_mentor__user"
        )
        .order_by("created_at", "pk"),
        role=StaffRole.COORDINATOR,
        site_lookup="participant__site_id",
    )


def match_to_end_or_404(user, pk) -> Match:
    """An accepted match ``pk`` of which ``user`` is the mentor or the participant, or one of
    theirs already ended (a second click: the page only says so). Anyone else: 404."""
    match = (
        Match.objects.filter(pk=pk, status__in=(Match.Status.ACCEPTED, Match.Status.ENDED))
        .select_related("participant__user", "participant__site", "mentor__user")
        .first()
    )
    if match is None or user.pk not in (match.mentor.user_id, match.participant.user_id):
        raise Http404
    return match


# --- Profiles and memberships ----------------------------------------------------------------


def in_reader_language(objects) -> list:
    """One copy of each translatable object (``TranslatableMixin``): the one in the active
    language, else the default language's, else any. Objects must have ``locale`` loaded."""
    active, default = get_language(), settings.LANGUAGE_CODE

    def rank(obj):
        code = obj.locale.language_code
        return 0 if code == active else 1 if code == default else 2

    chosen: dict = {}
    for obj in objects:
        current = chosen.get(obj.translation_key)
        if current is None or rank(obj) < rank(current):
            chosen[obj.translation_key] = obj
    return list(chosen.values())


def skills_of_sites(site_ids) -> list[Skill]:
    """The skills coordinators listed for these sites, each once, in the reader's language,
    in their order. One query."""
    skills = in_reader_language(
        Skill.objects.filter(site_id__in=set(site_ids)).select_related("locale")
    )
    return sorted(skills, key=lambda skill: (skill.sort_order, skill.name.casefold(), skill.pk))


def memberships_of(user):
    """The person's standing with each site they applied to."""
    return MentorMembership.objects.filter(profile__user=user).select_related("site", "profile")


def membership_of_person_or_404(user, pk) -> MentorMembership:
    """The signed-in mentor's own membership ``pk``; anyone else's: 404."""
    membership = memberships_of(user).filter(pk=pk).first()
    if membership is None:
        raise Http404
    return membership


def memberships_for_staff(user):
    """The applications and memberships of the coordinator's sites."""
    return scope_to_sites(
        user,
        MentorMembership.objects.select_related("profile__user", "site", "decided_by"),
        role=StaffRole.COORDINATOR,
    )


# --- After a session, and the messages of a match --------------------------------------------


def _sessions():
    return Session.objects.select_related(
        "match", "participant__user", "participant__site", "mentor__user"
    )


def session_for_mentor_or_404(user, pk) -> Session:
    """A session of an accepted match of the mentor ``user``: the report is theirs to write.
    Anyone else (the participant, a coordinator, another mentor), or a session of a match that
    has ended: 404."""
    session = (
        _sessions().filter(pk=pk, mentor__user=user, match__status=Match.Status.ACCEPTED).first()
    )
    if session is None:
        raise Http404
    return session


def session_for_participant_or_404(user, pk) -> Session:
    """A session of the signed-in participant's own, whatever became of the match: their
    sessions, summaries and action items are theirs to read. Anyone else: 404."""
    session = _sessions().filter(pk=pk, participant__user=user).first()
    if session is None:
        raise Http404
    return session


def mentor_note_of(*, session: Session, user) -> MentorNote | None:
    """The private note the mentor ``user`` wrote on ``session``. The only way a note is read:
    nobody but its author, while they are the session's mentor, ever gets one (not the
    participant, not a coordinator, not another mentor)."""
    if not user.is_authenticated or session.mentor.user_id != user.pk:
        return None
    return MentorNote.objects.filter(session=session, author=user).first()


def action_items_of_session(session: Session):
    """The action items written after ``session``, open ones first, by due date."""
    return ActionItem.objects.filter(session=session).select_related("match")


def action_item_for_person_or_404(user, pk) -> ActionItem:
    """An action item of an accepted match whose mentor or participant is ``user`` (either may
    tick it); anyone else, or a match that has ended: 404."""
    item = (
        ActionItem.objects.filter(pk=pk, match__status=Match.Status.ACCEPTED)
        .select_related("match__participant", "match__mentor", "session")
        .first()
    )
    if item is None or user.pk not in (item.match.mentor.user_id, item.match.participant.user_id):
        raise Http404
    return item


def feedback_of(session: Session) -> SessionFeedback | None:
    return SessionFeedback.objects.filter(session=session).first()


def thread_of(match: Match):
    """The messages of ``match``, oldest first (the newest at the bottom), with their senders."""
    return Message.objects.filter(match=match).select_related("sender").order_by("created_at", "pk")
