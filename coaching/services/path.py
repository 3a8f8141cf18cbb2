"""Moving along the path."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coaching.models import Participant, Stage, StageChange
from coaching.services.audit import participant_log_action
from coaching.services.notify import participant_notify


@transaction.atomic
def stage_change(
    *, participant: Participant, to_stage: str, by, reason: str = "", now=None, notify=True
) -> StageChange | None:
    """Move the participant to another stage, keeping the move in the history.

    Any stage may follow any other (people go back to training, skip funding...), but only
    participants on the path can move, and a move to the same stage records nothing. The
    exit stage is reached only by recording the exit (``participant_exit``), so stage and
    status never disagree.
    """
    if to_stage not in Stage.values:
        raise ValidationError(_("Unknown stage."))
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.stage == to_stage:
        return None
    if to_stage == Stage.EXIT and participant.status != Participant.Status.EXITED:
        raise ValidationError(_("Record the exit to move the person to the exit stage."))
    if to_stage != Stage.EXIT and participant.status != Participant.Status.ELIGIBLE:
        raise ValidationError(_("Only participants on the path can change stage."))
    now = now or timezone.now()
    change = StageChange.objects.create(
        participant=participant,
        from_stage=participant.stage,
        to_stage=to_stage,
        changed_by=by,
        reason=reason,
        created_at=now,
    )
    participant.stage = to_stage
    participant.save(update_fields=["stage", "updated_at"])
    participant_log_action(
        participant=participant,
        action="coaching.stage_change",
        by=by,
        data={"from": change.from_stage, "to": change.to_stage},
        now=now,
    )
    if notify:
        participant_notify(
            participant=participant,
            template="stage_changed",
            context={"stage": Stage(to_stage), "reason": reason},
            now=now,
        )
    return change
