"""Ticking the mentoring plan's milestones: the one place that does it.

The participant or their mentor (``mentors.selectors.may_tick_milestones``) ticks a milestone
of the participant's site. A tick is kept once per milestone, whatever the language it was
ticked in (``MilestoneDone.milestone_key`` is the milestone's ``translation_key``), so a double
click or the other person ticking the same step records nothing more. A milestone with a
``stage`` later on the path than the participant's moves them on through
``coaching.services.stage_change`` (kept in the stage history, the person notified); never
back, neither when ticking an earlier step nor when unticking.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from coaching.models import Participant, Stage
from coaching.services import stage_change
from mentors.models import Milestone, MilestoneDone
from mentors.selectors import may_tick_milestones

#: The Wagtail log actions of the plan (labels registered in ``mentors.admin.plan``).
TICK_ACTION = "mentors.milestone_tick"
UNTICK_ACTION = "mentors.milestone_untick"


def _checked(*, participant: Participant, milestone: Milestone, by) -> Participant:
    if not may_tick_milestones(by, participant):
        raise PermissionDenied
    if milestone.site_id != participant.site_id:
        raise ValidationError(_("This step is not part of this person's plan."))
    locked = Participant.objects.select_for_update().get(pk=participant.pk)
    if locked.status != Participant.Status.ELIGIBLE:
        raise ValidationError(_("The plan can be changed only while the person is on the path."))
    return locked


def _log(*, participant: Participant, action: str, milestone: Milestone, by, now) -> None:
    log(
        instance=participant,
        action=action,
        user=by,
        title=participant.reference,
        data={"milestone": str(milestone.translation_key)},
        timestamp=now,
    )


def _moves_forward(current: str, to: str) -> bool:
    """Whether ``to`` comes later on the path than ``current``. The exit stage is reached only
    by recording the exit (``participant_exit``), never by a milestone."""
    if not to or to == Stage.EXIT:
        return False
    stages = Stage.ordered()
    return stages.index(Stage(to)) > stages.index(Stage(current))


@transaction.atomic
def milestone_tick(
    *, participant: Participant, milestone: Milestone, by, now=None
) -> MilestoneDone:
    """Tick ``milestone`` for ``participant``; returns the record (the first one when it was
    ticked already). Refused to anyone but the person and their mentor."""
    now = now or timezone.now()
    participant = _checked(participant=participant, milestone=milestone, by=by)
    try:
        with transaction.atomic():
            done, created = MilestoneDone.objects.get_or_create(
                participant=participant,
                milestone_key=milestone.translation_key,
                defaults={"done_by": by, "done_at": now},
            )
    except IntegrityError:  # ticked at the same moment by the other person: theirs stands
        return MilestoneDone.objects.get(
            participant=participant, milestone_key=milestone.translation_key
        )
    if created:
        _log(participant=participant, action=TICK_ACTION, milestone=milestone, by=by, now=now)
    # The path stage is the programme's record: the mentor's tick moves it, the person's own
    # tick is their progress until the mentor ticks it too.
    if by.pk != participant.user_id and _moves_forward(participant.stage, milestone.stage):
        stage_change(
            participant=participant,
            to_stage=milestone.stage,
            by=by,
            reason=_("Step of the mentoring plan reached: %(step)s") % {"step": milestone.name},
            now=now,
        )
    return done


@transaction.atomic
def milestone_untick(*, participant: Participant, milestone: Milestone, by, now=None) -> bool:
    """Take a tick back (ticked by mistake). The path stage stays where it is. Returns whether
    there was a tick to take back."""
    now = now or timezone.now()
    participant = _checked(participant=participant, milestone=milestone, by=by)
    deleted, _rows = MilestoneDone.objects.filter(
        participant=participant, milestone_key=milestone.translation_key
    ).delete()
    if deleted:
        _log(participant=participant, action=UNTICK_ACTION, milestone=milestone, by=by, now=now)
    return bool(deleted)
