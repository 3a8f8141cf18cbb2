"""Who may see which mentoring record: the access rules, written once.

- A mentor sees a participant only through an accepted match of theirs (``Match.Status.
  ACCEPTED``): ended, declined or merely proposed matches give no access, so an ended match
  loses the mentor's access at once. What they see of the person's progress depends on the
  person's current consent to share it (``shared_with_mentor``); special-category data never.
- A participant sees their own matches, sessions and action items.
- Coordinators see the records of their sites (``coaching.selectors.scope_to_sites``).
"""

from django.http import Http404

from coaching.models import ConsentRecord, Participant
from coaching.selectors import StaffRole, consent_state, may_act_on_site, scope_to_sites
from mentors.models import Match, MentorMembership, MentorProfile


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
