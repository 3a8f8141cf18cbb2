"""Requests to change mentor: asked by the participant, handled by a coordinator of their site.

A participant asks for another mentor, with a reason, or for one who mentored them before
(``wanted_mentor``: one of ``mentors.selectors.previous_mentors_of``, nobody else). One request
is open at a time (the database's ``mentors_one_open_change_request`` says so too); the person
may withdraw it while it waits. A coordinator of the site handles it, and may at the same time
end the current match (the participant goes back to the pool) and, when a previous mentor was
asked for, propose and confirm that mentor at once (the mentor is then asked to accept).

Every step is a Wagtail log entry on the participant, titled with the reference only and
holding ids, never the reason (free text stays in the request, which erasure handles).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from coaching.models import Participant
from coaching.selectors import StaffRole, may_act_on_site
from mentors.models import REASON_MAX_LENGTH, ChangeRequest, MentorProfile
from mentors.selectors import open_match_of, previous_mentors_of
from mentors.services.matches import match_confirm, match_end, match_propose
from mentors.services.notify import change_request_notice_schedule

#: Wagtail log actions of change requests (labels in ``mentors.admin.matches_requests``).
LOG_CREATE = "mentors.change_request"
LOG_WITHDRAW = "mentors.change_request_withdraw"
LOG_HANDLE = "mentors.change_request_handle"


def _log(*, change: ChangeRequest, participant: Participant, action: str, by, now) -> None:
    log(
        instance=participant,
        action=action,
        user=by,
        title=participant.reference,
        data={"request": change.pk, "wanted_mentor": change.wanted_mentor_id},
        timestamp=now,
    )


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why, so the coordinator can find the right mentor for you.")}
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("Write at most %(limit)d characters.") % {"limit": REASON_MAX_LENGTH}}
        )
    return reason


def _same(change: ChangeRequest, *, reason: str, wanted_mentor) -> bool:
    return change.reason == reason and change.wanted_mentor_id == getattr(wanted_mentor, "pk", None)


@transaction.atomic
def change_request_create(
    *,
    participant: Participant,
    by,
    reason: str,
    wanted_mentor: MentorProfile | None = None,
    now=None,
) -> ChangeRequest:
    """Ask for another mentor (``wanted_mentor=None``: the person has an open match to change)
    or for a previous mentor again. The same request sent twice (a double click) returns the
    first; a different one while one waits is refused: withdraw it first. The site's
    coordinators are told once the request is stored."""
    now = now or timezone.now()
    reason = _clean_reason(reason)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    waiting = participant.mentor_change_requests.filter(status=ChangeRequest.Status.OPEN).first()
    if waiting is not None:
        if _same(waiting, reason=reason, wanted_mentor=wanted_mentor):
            return waiting
        raise ValidationError(
            _("You already have a request waiting: withdraw it first to ask something else.")
        )
    if participant.status != Participant.Status.ELIGIBLE:
        raise ValidationError(_("Only participants on the path can ask for a mentor."))
    current = open_match_of(participant)
    if wanted_mentor is None and current is None:
        raise ValidationError(_("You have no mentor to change yet."))
    if (
        wanted_mentor is not None
        and not previous_mentors_of(participant).filter(pk=wanted_mentor.pk).exists()
    ):
        raise ValidationError(
            {"wanted_mentor": _("You can ask again only for a mentor who mentored you before.")}
        )
    try:
        with transaction.atomic():
            change = ChangeRequest.objects.create(
                participant=participant, match=current, wanted_mentor=wanted_mentor, reason=reason
            )
    except IntegrityError as error:  # one open request per person: a concurrent submission
        raise ValidationError(_("You already have a request waiting.")) from error
    _log(change=change, participant=participant, action=LOG_CREATE, by=by, now=now)
    change_request_notice_schedule(change=change)
    return change


def _locked(change: ChangeRequest) -> ChangeRequest:
    return (
        ChangeRequest.objects.select_for_update(of=("self",))
        .select_related("participant", "wanted_mentor")
        .get(pk=change.pk)
    )


@transaction.atomic
def change_request_withdraw(*, change_request: ChangeRequest, by, now=None) -> ChangeRequest:
    """The participant takes back a request still waiting. Twice: nothing more happens."""
    now = now or timezone.now()
    change = _locked(change_request)
    if change.status == ChangeRequest.Status.WITHDRAWN:
        return change
    if change.status != ChangeRequest.Status.OPEN:
        raise ValidationError(_("The coordinator has already handled this request."))
    change.status = ChangeRequest.Status.WITHDRAWN
    change.handled_at, change.handled_by = now, by
    change.save(update_fields=["status", "handled_at", "handled_by"])
    _log(change=change, participant=change.participant, action=LOG_WITHDRAW, by=by, now=now)
    return change


@transaction.atomic
def change_request_handle(
    *,
    change_request: ChangeRequest,
    by,
    end_match: bool = False,
    propose_wanted: bool = False,
    now=None,
) -> ChangeRequest:
    """A coordinator of the participant's site handles the request.

    ``end_match`` ends the person's open match (the mentor loses access at once, the sessions
    to come are cancelled). ``propose_wanted`` proposes and
    confirms the mentor asked for again; it needs the person to have no open match left. A
    second click on a handled request changes nothing; a withdrawn one cannot be handled."""
    now = now or timezone.now()
    change = _locked(change_request)
    participant = change.participant
    if not may_act_on_site(by, participant.site_id, role=StaffRole.COORDINATOR):
        raise PermissionDenied
    if change.status == ChangeRequest.Status.DONE:
        return change
    if change.status != ChangeRequest.Status.OPEN:
        raise ValidationError(_("The participant withdrew this request."))
    if end_match:
        current = open_match_of(participant)
        if current is not None:
            # Not the person's own words: the mentor may read why the match ended.
            match_end(
                match=current, by=by, reason=_("The participant asked to change mentor."), now=now
            )
    if propose_wanted:
        if change.wanted_mentor is None:
            raise ValidationError(_("This request does not ask for a given mentor."))
        if open_match_of(participant) is not None:
            raise ValidationError(
                _("End the current match first: a participant has one mentor at a time.")
            )
        match = match_propose(
            participant=participant,
            mentor=change.wanted_mentor,
            by=by,
            reason=_("Asked for again by the participant."),
            now=now,
        )
        match_confirm(match=match, by=by, now=now)
    change.status = ChangeRequest.Status.DONE
    change.handled_at, change.handled_by = now, by
    change.save(update_fields=["status", "handled_at", "handled_by"])
    _log(change=change, participant=participant, action=LOG_HANDLE, by=by, now=now)
    return change
