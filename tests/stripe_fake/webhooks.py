"""Signing and delivering webhooks the way Stripe does, so receivers verify them unchanged.

A delivery target is either a URL (a Django live server, say), posted to with urllib, or a
callable ``target(body: bytes, headers: dict)`` so Django test-client tests can feed events
to a view without running a server.
"""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Target = str | Callable[[bytes, dict], Any]


def sign(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """Return a ``Stripe-Signature`` header: ``t=<unix>,v1=<HMAC-SHA256 of "t.payload">``.

    The timestamp defaults to the real wall clock, not the fake's clock, because stripe-python
    checks the signature's age against ``time.time()``.
    """
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


@dataclass
class WebhookEndpoint:
    """Where events of one kind go: ``snapshot`` (v1 events) or ``thin`` (v2 notifications)."""

    target: Target
    secret: str
    kind: str = "snapshot"


@dataclass
class Delivery:
    """One attempt to deliver an event: what the target answered (an HTTP status for URLs)."""

    event_id: str
    endpoint: WebhookEndpoint
    result: Any


def deliver(endpoint: WebhookEndpoint, event: dict) -> Delivery:
    """Sign ``event`` with the endpoint's secret and hand it to the endpoint's target."""
    body = json.dumps(event).encode()
    headers = {
        "Content-Type": "application/json",
        "Stripe-Signature": sign(body, endpoint.secret),
        "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
    }
    if callable(endpoint.target):
        result = endpoint.target(body, headers)
    else:
        result = _post(endpoint.target, body, headers)
    return Delivery(event["id"], endpoint, result)


def _post(url: str, body: bytes, headers: dict) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
