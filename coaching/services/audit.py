"""The audit trail of who looked at or changed a participant's personal data and signed forms."""

from django.utils import timezone
from django.utils.translation import gettext
from wagtail.log_actions import log

from coaching.models import AccessLog, Participant

#: The state changes written to Wagtail's log entries (labels in ``wagtail_hooks``).
PARTICIPANT_LOG_ACTIONS = (
    "coaching.accept",
    "coaching.decline",
    "coaching.stage_change",
    "coaching.exit",
    "coaching.entry_correction",
    "coaching.erase",
)


def participant_log_action(
    *, participant: Participant, action: str, by, data: dict | None = None, now=None
):
    """Record a change of the participant's state in Wagtail's log entries.

    Shown in the participant's admin history and in the site history report. The entry is
    titled with the reference only: a name in the log would outlive the person's erasure.
    ``data`` holds codes (stages, field names), never answers or free text.
    """
    if action not in PARTICIPANT_LOG_ACTIONS:
        raise ValueError(f"Unknown participant log action {action!r}")
    return log(
        instance=participant,
        action=action,
        user=by,
        title=participant.reference,
        data=data or {},
        timestamp=now or timezone.now(),
    )


def access_log_record(
    *,
    actor,
    participant: Participant | None,
    action: str,
    details: dict | None = None,
    now=None,
) -> AccessLog:
    """Write one audit entry. Every staff view of personal data calls this before showing it.

    ``participant`` is None only for an export of the list, which covers many participants.
    """
    return AccessLog.objects.create(
        actor=actor,
        participant=participant,
        action=action,
        details=details or {},
        created_at=now or timezone.now(),
    )


def export_filters_describe(*, form, active_filters) -> dict:
    """The filters that narrowed an exported list: their value in the URL and as shown.

    ``form`` is the list's bound filter form, ``active_filters`` what the listing shows as
    applied (Wagtail's ``IndexView.active_filters``: ``auto_id`` and ``value``). A filter left
    at its default value did not narrow the list and is not named; yes/no filters are in words.
    """
    if form is None:
        return {}
    shown = {}
    for active in active_filters:
        shown.setdefault(active.auto_id, []).append(str(active.value))
    applied = {}
    for name in form.changed_data:
        labels = shown.get(form[name].auto_id)
        if not labels:
            continue
        if isinstance(form.cleaned_data[name], bool):
            labels = [gettext("Yes") if form.cleaned_data[name] else gettext("No")]
        values = form.data.getlist(name)
        applied[name] = {
            "value": values[0] if len(values) == 1 else values,
            "label": ", ".join(labels),
        }
    return applied


def access_log_export(
    *,
    actor,
    export_format: str,
    rows: int,
    filter_form=None,
    active_filters=(),
    search: str = "",
    now=None,
) -> AccessLog:
    """Log a download of the participant list: its format, row count and what narrowed it.

    The filters are kept as ``{"value": <as in the URL>, "label": <as shown>}`` per filter
    applied (``export_filters_describe``), so the entry stays readable after a cohort or
    municipality is renamed. ``filter_form`` is None when the list was not filtered.
    """
    details = {
        "format": export_format,
        "rows": rows,
        "filters": export_filters_describe(form=filter_form, active_filters=active_filters),
    }
    if search:
        details["search"] = search
    return access_log_record(
        actor=actor,
        participant=None,
        action=AccessLog.Action.EXPORT_PARTICIPANTS,
        details=details,
        now=now,
    )
