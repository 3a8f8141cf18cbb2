"""Saving a section's text without ever losing words: the one rule for every save, with or
without JavaScript, from any tab or device."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coaching.plans.models import SECTION_MAX_LENGTH, PlanSection, SectionConflict


@dataclass(frozen=True)
class SaveResult:
    section: PlanSection
    #: Set when the save started from an older revision: the text is kept here instead.
    conflict: SectionConflict | None = None

    @property
    def saved(self) -> bool:
        return self.conflict is None


def _clean(text: str) -> str:
    # Browsers send CRLF from a textarea; store one form so revisions compare equal.
    text = text.replace("\r\n", "\n").replace("\x00", "")
    if len(text) > SECTION_MAX_LENGTH:
        raise ValidationError(
            _("This text has %(length)s characters; a section holds at most %(max)s.")
            % {"length": len(text), "max": SECTION_MAX_LENGTH},
            code="max_length",
        )
    return text


@transaction.atomic
def section_save(
    *, section: PlanSection, text: str, base_revision: int, done: bool | None, by
) -> SaveResult:
    """Save ``text`` if it was written on the section's current revision.

    A save started from an older revision (another tab saved in between) does not overwrite:
    its text becomes a ``SectionConflict`` that the person sees beside the newer text. The
    same text saved twice (a retried request) changes nothing and is no conflict. Raises
    ``ValidationError`` when the plan may not be edited now or the text is too long.
    """
    text = _clean(text)
    locked = PlanSection.objects.select_for_update().select_related("plan").get(pk=section.pk)
    if not locked.plan.is_editable:
        raise ValidationError(
            _("This plan is %(status)s: it cannot be changed now.")
            % {"status": locked.plan.get_status_display().lower()},
            code="not_editable",
        )
    if locked.text == text and (done is None or locked.done == done):
        return SaveResult(section=locked)
    if base_revision != locked.revision:
        conflict, _created = SectionConflict.objects.get_or_create(
            section=locked,
            text=text,
            resolved_at=None,
            defaults={"base_revision": base_revision, "created_by": by},
        )
        return SaveResult(section=locked, conflict=conflict)
    locked.text = text
    if done is not None:
        locked.done = done
    locked.revision += 1
    locked.updated_by = by
    locked.save(update_fields=["text", "done", "revision", "updated_by", "updated_at"])
    locked.plan.save(update_fields=["updated_at"])
    return SaveResult(section=locked)


@transaction.atomic
def conflict_resolve(*, conflict: SectionConflict, by, keep: str, text: str | None = None):
    """Settle a conflict: ``keep="mine"`` saves the kept text over the current one,
    ``"current"`` lets the kept text go, ``"merged"`` saves ``text`` (both put together by the
    person). The current revision is read under a lock, so the save cannot itself conflict."""
    conflict = (
        SectionConflict.objects.select_for_update().select_related("section").get(pk=conflict.pk)
    )
    if conflict.resolved_at is not None:
        return conflict.section
    section = conflict.section
    if keep == "mine":
        result = section_save(
            section=section, text=conflict.text, base_revision=section.revision, done=None, by=by
        )
    elif keep == "merged":
        result = section_save(
            section=section, text=text or "", base_revision=section.revision, done=None, by=by
        )
    elif keep == "current":
        result = SaveResult(section=section)
    else:
        raise ValueError(keep)
    conflict.resolved_at = timezone.now()
    conflict.save(update_fields=["resolved_at"])
    return result.section
