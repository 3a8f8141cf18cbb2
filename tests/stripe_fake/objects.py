"""Builders for the JSON the fake answers with, shaped like Stripe's so stripe-python parses it.

Only the fields the project reads (and the library needs) are filled in; v1 objects carry
unix timestamps, v2 objects ISO 8601 strings, as the real API does.
"""

import secrets
from datetime import UTC, datetime

TRANSFERS_CAPABILITY = "stripe_balance.stripe_transfers"

ONBOARDING_REQUIREMENTS = (
    "identity.individual.given_name",
    "identity.individual.surname",
    "configuration.recipient.default_outbound_destination",
)


class ApiError(Exception):
    """A Stripe-shaped error: rendered as ``{"error": {...}}`` with its HTTP status."""

    def __init__(
        self, status, message, *, error_type="invalid_request_error", code=None, param=None
    ):
        super().__init__(message)
        self.status = status
        self.body = {
            "error": {"type": error_type, "code": code, "message": message, "param": param}
        }


def missing(kind: str, object_id: str) -> ApiError:
    return ApiError(404, f"No such {kind}: '{object_id}'", code="resource_missing", param="id")


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


def iso(timestamp: float) -> str:
    moment = datetime.fromtimestamp(timestamp, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def list_object(url: str, data: list, limit: int) -> dict:
    return {"object": "list", "data": data[:limit], "has_more": len(data) > limit, "url": url}


def balance(available: dict[str, int]) -> dict:
    return {
        "object": "balance",
        "available": [
            {"amount": amount, "currency": currency, "source_types": {"card": amount}}
            for currency, amount in available.items()
        ],
        "pending": [{"amount": 0, "currency": currency} for currency in available],
        "livemode": False,
    }


def requirement(description: str) -> dict:
    """One requirements entry that holds back the recipient's transfers capability."""
    return {
        "awaiting_action_from": "user",
        "description": description,
        "errors": [],
        "impact": {
            "restricts_capabilities": [
                {
                    "capability": TRANSFERS_CAPABILITY,
                    "configuration": "recipient",
                    "deadline": {"status": "currently_due"},
                }
            ]
        },
        "minimum_deadline": {"status": "currently_due"},
        "reference": None,
        "requested_reasons": [{"code": "routine_onboarding"}],
    }


def requirements(entries: list[dict]) -> dict:
    summary = {"minimum_deadline": {"status": "currently_due", "time": None}} if entries else None
    return {"entries": entries, "summary": summary}


def capability(entries: list[dict]) -> dict:
    """A requested capability: active once nothing is due, restricted until then."""
    if not entries:
        return {"requested": True, "status": "active", "status_details": []}
    detail = {"code": "requirements_past_due", "resolution": "provide_info"}
    return {"requested": True, "status": "restricted", "status_details": [detail]}


def thin_event(event_type: str, account_id: str, created: float) -> dict:
    """A v2 event notification: it names the account but carries none of its data."""
    return {
        "id": new_id("evt"),
        "object": "v2.core.event",
        "type": event_type,
        "created": iso(created),
        "livemode": False,
        "related_object": {
            "id": account_id,
            "type": "v2.core.account",
            "url": f"/v2/core/accounts/{account_id}",
        },
    }


def snapshot_event(event_type: str, data: dict, created: float, api_version: str) -> dict:
    return {
        "id": new_id("evt"),
        "object": "event",
        "type": event_type,
        "api_version": api_version,
        "created": int(created),
        "data": {"object": data},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
    }
