"""Every state change of a grant record goes into Wagtail's log entries: who, when, what.

The actions are registered (with their labels) in ``wagtail_hooks``; the admin's history
reports show them, and ``views.admin_ledger`` exports them."""

from wagtail.log_actions import log


def grant_log(*, instance, action: str, by, data: dict | None = None) -> None:
    """Log ``action`` (``"grants.…"``) on ``instance`` by ``by`` with ``data`` (JSON-ready:
    the state before and after, amounts as strings)."""
    log(
        instance=instance,
        action=action,
        user=by if getattr(by, "pk", None) else None,
        data=data or {},
    )
