"""A match's life: proposed, confirmed, accepted or declined, ended. The one place that moves it.

Every move checks ``Match.TRANSITIONS``, writes a ``MatchEvent`` (who, when, why) and a Wagtail
log entry on the participant (titled with the reference only, like coaching's), inside one
transaction with the match row locked, so two coordinators (or a double click) cannot move the
same match twice. A declined or ended match sends the participant back to the pool: they have
no open match, so matching proposes them again.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from coaching.models import Participant
from mentors.models import Match, MatchEvent, MentorMembership, MentorProfile
from mentors.services.notify import match_notice_schedule

#: The Wagtail log actions of matches (labels registered in ``mentors.wagtail_hooks``).
MATCH_LOG_ACTIONS = {
    Match.Status.PROPOSED: "mentors.match_propose",
    Match.Status.CONFIRMED: "mentors.match_confirm",
    Match.Status.ACCEPTED: "mentors.match_accept",
    Match.Status.DECLINED: "mentors.match_decline",
    Match.Status.ENDED: "mentors.match_end",
}


def _record(*, match: Match, status: str, by, reason: str, now) -> None:
    MatchEvent.objects.create(match=match, status=status, by=by, reason=reason, at=now)
    log(
        instance=match.participant,
        action=MATCH_LOG_ACTIONS[status],
        user=by,
        title=match.participant.reference,
        data={"match": match.pk, "mentor": match.mentor_id},
        timestamp=now,
    )


@transaction.atomic
def _move(*, match: Match, to: str, by, reason: str = "", now=None) -> Match:
    now = now or timezone.now()
    locked = Match.objects.select_for_update().select_related("participant").get(pk=match.pk)
    if locked.status == to:
        # A second click of the same button: already done, nothing more to do.
        return locked
    if to not in Match.TRANSITIONS[locked.status]:
        raise ValidationError(
            _("This match is %(status)s: it cannot be changed that way.")
            % {"status": locked.get_status_display().lower()}
        )
    locked.status = to
    fields = ["status"]
    if to == Match.Status.ACCEPTED:
        locked.accepted_at = now
        fields.append("accepted_at")
    if to in (Match.Status.ENDED, Match.Status.DECLINED):
        locked.ended_at = now
        locked.end_reason = reason
        fields += ["ended_at", "end_reason"]
    locked.save(update_fields=fields)
    _record(match=locked, status=to, by=by, reason=reason, now=now)
    # The mentor hears of a request, the participant of a yes, coordinators of a no.
    match_notice_schedule(match=locked, status=to)
    return locked


@transaction.atomic
def match_propose(
    *,
    participant: Participant,
    mentor: MentorProfile,
    by,
    score: float = 0.0,
    terms: list | None = None,
    reason: str = "",
    now=None,
) -> Match:
    """Propose ``mentor`` for ``participant``. Refused when the participant is not on the
    path, already has an open match, or the mentor is not an approved mentor of their site."""
    now = now or timezone.now()
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.status != Participant.Status.ELIGIBLE:
        raise ValidationError(_("Only participants on the path can get a mentor."))
    approved = MentorMembership.objects.filter(
        profile=mentor, site_id=participant.site_id, status=MentorMembership.Status.APPROVED
    ).exists()
    if not approved:
        raise ValidationError(_("This mentor does not take new mentees in this municipality."))
    if participant.mentor_matches.filter(status__in=Match.OPEN).exists():
        raise ValidationError(_("This participant already has a mentor or a proposal."))
    # The mentor's row is locked so that two proposals at once cannot both take the last place.
    mentor = MentorProfile.objects.select_for_update().get(pk=mentor.pk)
    if Match.objects.filter(mentor=mentor, status__in=Match.OPEN).count() >= mentor.capacity:
        raise ValidationError(_("This mentor has no free place for a new mentee."))
    try:
        with transaction.atomic():
            match = Match.objects.create(
                participant=participant,
                mentor=mentor,
                score=score,
                terms=terms or [],
                proposed_by=by,
            )
    except IntegrityError as error:  # the one-open-match constraint: a concurrent proposal
        raise ValidationError(_("This participant already has a mentor or a proposal.")) from error
    _record(match=match, status=Match.Status.PROPOSED, by=by, reason=reason, now=now)
    return match


def match_confirm(*, match: Match, by, now=None) -> Match:
    """A coordinator confirms a proposal: the mentor is asked to accept."""
    return _move(match=match, to=Match.Status.CONFIRMED, by=by, now=now)


def match_accept(*, match: Match, by, now=None) -> Match:
    """The mentor accepts: from now on they see the participant (``mentors.selectors``)."""
    return _move(match=match, to=Match.Status.ACCEPTED, by=by, now=now)


def match_decline(*, match: Match, by, reason: str, now=None) -> Match:
    """The mentor declines, with a reason: the participant goes back to the pool."""
    if not reason.strip():
        raise ValidationError(_("Say why, so the coordinator can find a better mentor."))
    return _move(match=match, to=Match.Status.DECLINED, by=by, reason=reason.strip(), now=now)


@transaction.atomic
def match_end(*, match: Match, by, reason: str, now=None) -> Match:
    """End a match (anyone of it, or a coordinator), with a reason. The mentor loses access at
    once, the sessions still to come are cancelled, and the participant goes back to the pool."""
    from mentors.services.sessions import session_cancel_upcoming

    if not reason.strip():
        raise ValidationError(_("Say why the mentoring ends."))
    ended = _move(match=match, to=Match.Status.ENDED, by=by, reason=reason.strip(), now=now)
    session_cancel_upcoming(match=ended, by=by, reason=reason.strip(), now=now)
    return ended


@transaction.atomic
def matches_flag_for_rematch(
    *, mentor: MentorProfile, site_id: int, by, reason: str, end: bool, now=None
) -> int:
    """The mentor paused (``end=False``) or left (``end=True``) the site: their open matches
    there are flagged for a new mentor, and ended too when they left. Returns how many."""
    matches = list(
        Match.objects.select_for_update()
        .filter(mentor=mentor, participant__site_id=site_id, status__in=Match.OPEN)
        .select_related("participant")
    )
    for match in matches:
        Match.objects.filter(pk=match.pk).update(needs_rematch=True)
        if end:
            match_end(match=match, by=by, reason=reason, now=now)
    return len(matches)


@transaction.atomic
def matches_end_for_participant(*, participant: Participant, by, reason: str, now=None) -> int:
    """End the participant's open matches (they left the path): the mentor loses access and
    the sessions still to come are cancelled. Returns how many."""
    matches = list(Match.objects.filter(participant=participant, status__in=Match.OPEN))
    for match in matches:
        match_end(match=match, by=by, reason=reason, now=now)
    return len(matches)
