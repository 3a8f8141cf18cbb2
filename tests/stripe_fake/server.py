"""The fake Stripe server: in-memory state, a routing table and one method per endpoint.

The package docstring (``tests/stripe_fake/__init__.py``) explains what it covers and how
tests use it. Every request is answered under one lock, so the state stays consistent when
stripe-python, a live server and the test thread talk to the fake at once; only held-back
("timeout") answers and webhook deliveries happen outside it, so neither can deadlock.
"""

import copy
import functools
import json
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from tests.stripe_fake import objects, webhooks
from tests.stripe_fake.forms import decode_form
from tests.stripe_fake.objects import ApiError
from tests.stripe_fake.webhooks import Delivery, WebhookEndpoint

API_VERSION = "2026-10-28.endive"  # stripe-python 16.1's pinned version, stamped on v1 events
IDEMPOTENCY_KEY_LIFETIME = 24 * 60 * 60
ACCOUNT_LINK_LIFETIME = 5 * 60
RECORDED_HEADERS = ("Idempotency-Key", "Stripe-Account", "Stripe-Context", "Stripe-Version")
ACCOUNT_FIELDS = ("configuration", "contact_email", "dashboard", "display_name", "identity")
TRANSFERS_PATH = ("configuration", "recipient", "capabilities", "stripe_balance")


@dataclass(frozen=True)
class Route:
    method: str
    pattern: str
    endpoint: str
    public: bool = False  # the onboarding pages are opened by a browser, without an API key


ROUTES = [
    Route("POST", r"/v1/transfers", "create_transfer"),
    Route("GET", r"/v1/transfers", "list_transfers"),
    Route("GET", r"/v1/transfers/(?P<transfer_id>[^/]+)", "retrieve_transfer"),
    Route("POST", r"/v1/transfers/(?P<transfer_id>[^/]+)/reversals", "reverse_transfer"),
    Route("GET", r"/v1/balance", "retrieve_balance"),
    Route("POST", r"/v2/core/accounts", "create_account"),
    Route("GET", r"/v2/core/accounts/(?P<account_id>[^/]+)", "retrieve_account"),
    Route("POST", r"/v2/core/accounts/(?P<account_id>[^/]+)", "update_account"),
    Route("POST", r"/v2/core/account_links", "create_account_link"),
    Route("GET", r"/v2/core/events/(?P<event_id>[^/]+)", "retrieve_event"),
    Route("GET", r"/onboarding/(?P<token>[^/]+)", "onboarding_page", public=True),
    Route("POST", r"/onboarding/(?P<token>[^/]+)", "submit_onboarding", public=True),
]


@dataclass
class Request:
    method: str
    path: str
    params: dict
    headers: dict  # only RECORDED_HEADERS: the API key is never kept
    authorization: str = ""

    def fingerprint(self) -> tuple:
        """What must match for a reused idempotency key to count as the same request."""
        return self.method, self.path, json.dumps(self.params, sort_keys=True)


@dataclass(frozen=True)
class Response:
    """An answer already encoded, so a stored idempotent answer never changes afterwards."""

    status: int
    body: bytes
    content_type: str = "application/json"
    headers: dict = field(default_factory=dict)


@dataclass
class RecordedRequest:
    method: str
    path: str
    params: dict
    headers: dict
    status: int | str  # "timeout" when the fake held the answer back
    replayed: bool = False

    @property
    def idempotency_key(self) -> str | None:
        return self.headers.get("Idempotency-Key")

    @property
    def stripe_account(self) -> str | None:
        return self.headers.get("Stripe-Account")


@dataclass
class Failure:
    path_prefix: str
    status: int | str
    after_acting: bool
    times: int


@dataclass
class StoredResponse:
    fingerprint: tuple
    response: Response
    stored_at: float


@dataclass
class OnboardingLink:
    body: dict
    expires_at: float
    used: bool = False

    def usable(self, now: float) -> bool:
        """Stripe's links work once and for a few minutes; after that they go to refresh_url."""
        return not self.used and now < self.expires_at

    def url(self, name: str) -> str:
        use_case = self.body["use_case"]
        return use_case[use_case["type"]][name]


class FakeStripe:
    """An in-process Stripe for offline tests: ``with FakeStripe() as fake: ... fake.url``."""

    def __init__(self, clock: Callable[[], float] = time.time, port: int = 0):
        self.now = clock
        self.port = port
        self.timeout_seconds = 2.0
        self.url = ""
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.reset()

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> "FakeStripe":
        self._stopping.clear()
        self._server = _Server(self, self.port)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        # A short poll keeps stop() quick: shutdown() waits for the loop's next poll.
        serve = functools.partial(self._server.serve_forever, poll_interval=0.02)
        self._thread = threading.Thread(target=serve, name="fake-stripe", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # releases answers held back by a "timeout" failure
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    __enter__ = start

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def reset(self) -> None:
        """Forget everything: accounts, money, events, webhooks, requests and failures."""
        with self._lock:
            self.accounts: dict[str, dict] = {}
            self.account_balances: dict[str, int] = {}
            self.transfers: dict[str, dict] = {}
            self.account_links: dict[str, OnboardingLink] = {}
            self.balance: dict[str, int] = {"eur": 0}
            self.events: list[dict] = []
            self.v2_events: dict[str, dict] = {}
            self.webhook_endpoints: list[WebhookEndpoint] = []
            self.deliveries: list[Delivery] = []
            self.requests: list[RecordedRequest] = []
            self._delivered: set[str] = set()
            self._idempotent: dict[tuple, StoredResponse] = {}
            self._failures: list[Failure] = []

    # -- test hooks ------------------------------------------------------------------------

    def set_balance(self, cents: int, currency: str = "eur") -> None:
        """Set the platform's available balance, which transfers draw on."""
        with self._lock:
            self.balance[currency.lower()] = cents

    def set_account_balance(self, account_id: str, cents: int) -> None:
        """Set what a connected account holds (transfers add to it, reversals take from it)."""
        with self._lock:
            self.account_balances[account_id] = cents

    def advance(self, seconds: float) -> None:
        """Move the fake's clock on, e.g. past the 24 hours an idempotency key lives."""
        clock = self.now
        self.now = lambda: clock() + seconds

    def fail_next(self, path_prefix, status=500, *, after_acting=True, times=1) -> None:
        """Make the next ``times`` requests under ``path_prefix`` fail.

        ``status`` is an HTTP status or ``"timeout"``: hold the answer for
        ``timeout_seconds`` and then close the connection without one. With ``after_acting``
        the request takes effect (and its idempotent answer is stored) before failing.
        """
        with self._lock:
            self._failures.append(Failure(path_prefix, status, after_acting, times))

    def complete_onboarding(self, account_id: str) -> None:
        """What submitting the onboarding page does: nothing due, transfers active."""
        with self._lock:
            self._set_requirements(self._account(account_id), [])

    def require(
        self, account_id: str, description: str = "identity.individual.verification.document"
    ):
        """Put a requirement back on an account, which restricts its transfers again.
        ``description`` is a requirement's code, as Stripe's machine-readable field holds."""
        with self._lock:
            account = self._account(account_id)
            entries = [*account["requirements"]["entries"], objects.requirement(description)]
            self._set_requirements(account, entries)

    def requests_to(self, method: str, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == method and r.path == path]

    # -- webhooks --------------------------------------------------------------------------

    sign = staticmethod(webhooks.sign)

    def add_webhook(self, target, secret: str, kind: str = "snapshot") -> WebhookEndpoint:
        """Send ``kind`` events ("snapshot" v1 events or "thin" v2 ones) to a URL or callable."""
        endpoint = WebhookEndpoint(target, secret, kind)
        with self._lock:
            self.webhook_endpoints.append(endpoint)
        return endpoint

    def deliver(self, event_id: str, times: int = 1) -> list[Delivery]:
        """Deliver one event ``times`` times to each endpoint of its kind (to test duplicates)."""
        with self._lock:
            event = next(event for event in self.events if event["id"] == event_id)
            kind = "thin" if event["object"] == "v2.core.event" else "snapshot"
            endpoints = [e for e in self.webhook_endpoints if e.kind == kind]
            self._delivered.add(event_id)
        done = [webhooks.deliver(endpoint, event) for endpoint in endpoints for _ in range(times)]
        with self._lock:
            self.deliveries.extend(done)
        return done

    def deliver_all(self, order: str = "forward") -> list[Delivery]:
        """Deliver every event again, oldest first or (``order="reverse"``) newest first."""
        events = list(self.events)
        if order == "reverse":
            events.reverse()
        return self._deliver_each(events)

    def deliver_pending(self) -> list[Delivery]:
        """Deliver, oldest first, the events not delivered yet."""
        return self._deliver_each([e for e in self.events if e["id"] not in self._delivered])

    def _deliver_each(self, events: list[dict]) -> list[Delivery]:
        return [delivery for event in events for delivery in self.deliver(event["id"])]

    def _emit_snapshot(self, event_type: str, data: dict) -> None:
        data = copy.deepcopy(data)  # a snapshot: later changes to the object must not show
        self.events.append(objects.snapshot_event(event_type, data, self.now(), API_VERSION))

    def _emit_thin(self, event_type: str, account_id: str, data: dict | None = None) -> None:
        notification = objects.thin_event(event_type, account_id, self.now())
        self.events.append(notification)
        full_event = {**notification, "context": None, "reason": None}
        self.v2_events[notification["id"]] = {**full_event, "data": data} if data else full_event

    # -- serving ---------------------------------------------------------------------------

    def _serve(self, http: "_Handler") -> None:
        request = _read_request(http)
        response, failure = self._answer(request)
        status = failure.status if failure else response.status
        with self._lock:
            replayed = bool(response and response.headers.get("Idempotent-Replayed"))
            recorded = RecordedRequest(
                request.method, request.path, request.params, request.headers, status, replayed
            )
            self.requests.append(recorded)
        if failure is None:
            _send(http, response)
        elif failure.status == "timeout":
            self._stopping.wait(self.timeout_seconds)
            http.close_connection = True  # the client gets no answer at all
        else:
            message = "An injected failure from the fake Stripe server."
            _send(http, _error(ApiError(failure.status, message, error_type="api_error")))

    def _answer(self, request: Request) -> tuple[Response | None, Failure | None]:
        """Authenticate, route, inject a failure if one is due, and act at most once."""
        with self._lock:
            try:
                route, arguments = _route(request)
                if not route.public:
                    _authenticate(request.authorization)
            except ApiError as error:
                return _error(error), None
            failure = self._take_failure(request.path)
            if failure and not failure.after_acting:
                return None, failure
            endpoint = getattr(self, route.endpoint)
            if route.public or request.method != "POST":
                return self._run(endpoint, request, arguments), failure
            return self._run_once(endpoint, request, arguments), failure

    def _take_failure(self, path: str) -> Failure | None:
        for failure in self._failures:
            if failure.times > 0 and path.startswith(failure.path_prefix):
                failure.times -= 1
                return failure
        return None

    def _run_once(self, endpoint, request: Request, arguments: dict) -> Response:
        """Stripe's idempotency: a reused key replays the stored answer and does nothing else."""
        key = request.headers.get("Idempotency-Key")
        if not key:
            return self._run(endpoint, request, arguments)
        scope = (request.headers.get("Stripe-Account"), key)
        stored = self._idempotent.get(scope)
        if stored and self.now() - stored.stored_at < IDEMPOTENCY_KEY_LIFETIME:
            if stored.fingerprint != request.fingerprint():
                return _error(ApiError(400, _KEY_REUSED, error_type="idempotency_error"))
            replay_headers = {**stored.response.headers, "Idempotent-Replayed": "true"}
            return Response(**{**stored.response.__dict__, "headers": replay_headers})
        response = self._run(endpoint, request, arguments)
        self._idempotent[scope] = StoredResponse(request.fingerprint(), response, self.now())
        return response

    @staticmethod
    def _run(endpoint, request: Request, arguments: dict) -> Response:
        try:
            result = endpoint(request, **arguments)
        except ApiError as error:
            return _error(error)
        return result if isinstance(result, Response) else _json(200, result)

    # -- v1 endpoints ----------------------------------------------------------------------

    def create_transfer(self, request: Request) -> dict:
        params = request.params
        amount = _positive_amount(params.get("amount"))
        currency = _required(params, "currency").lower()
        destination = self._transfer_destination(_required(params, "destination"))
        if self.balance.get(currency, 0) < amount:
            raise ApiError(400, _NO_FUNDS, code="balance_insufficient")
        self.balance[currency] -= amount
        self.account_balances[destination] = self.account_balances.get(destination, 0) + amount
        transfer_id = objects.new_id("tr")
        transfer = {
            "id": transfer_id,
            "object": "transfer",
            "amount": amount,
            "amount_reversed": 0,
            "created": int(self.now()),
            "currency": currency,
            "description": params.get("description"),
            "destination": destination,
            "livemode": False,
            "metadata": params.get("metadata", {}),
            "reversals": objects.list_object(f"/v1/transfers/{transfer_id}/reversals", [], 10),
            "reversed": False,
            "transfer_group": params.get("transfer_group"),
        }
        self.transfers[transfer_id] = transfer
        self._emit_snapshot("transfer.created", transfer)
        return transfer

    def list_transfers(self, request: Request) -> dict:
        params = request.params
        filters = {key: params[key] for key in ("destination", "transfer_group") if key in params}
        matching = [
            transfer
            for transfer in reversed(self.transfers.values())
            if all(transfer[key] == value for key, value in filters.items())
        ]
        return objects.list_object("/v1/transfers", matching, int(params.get("limit", 10)))

    def retrieve_transfer(self, request: Request, transfer_id: str) -> dict:
        return self._transfer(transfer_id)

    def reverse_transfer(self, request: Request, transfer_id: str) -> dict:
        transfer = self._transfer(transfer_id)
        remaining = transfer["amount"] - transfer["amount_reversed"]
        amount = _positive_amount(request.params.get("amount", remaining))
        if amount > remaining:
            message = f"Amount ({amount}) is greater than what can be reversed ({remaining})."
            raise ApiError(400, message, param="amount")
        destination = transfer["destination"]
        if self.account_balances.get(destination, 0) < amount:
            raise ApiError(400, _ACCOUNT_NO_FUNDS, code="balance_insufficient")
        self.account_balances[destination] -= amount
        currency = transfer["currency"]
        self.balance[currency] = self.balance.get(currency, 0) + amount
        reversal = {
            "id": objects.new_id("trr"),
            "object": "transfer_reversal",
            "amount": amount,
            "created": int(self.now()),
            "currency": currency,
            "metadata": request.params.get("metadata", {}),
            "transfer": transfer_id,
        }
        transfer["amount_reversed"] += amount
        transfer["reversed"] = transfer["amount_reversed"] == transfer["amount"]
        transfer["reversals"]["data"].insert(0, reversal)
        self._emit_snapshot("transfer.reversed", transfer)
        return reversal

    def retrieve_balance(self, request: Request) -> dict:
        return objects.balance(self.balance)

    def _transfer(self, transfer_id: str) -> dict:
        if transfer_id not in self.transfers:
            raise objects.missing("transfer", transfer_id)
        return self.transfers[transfer_id]

    def _transfer_destination(self, account_id: str) -> str:
        if account_id not in self.accounts:
            message = f"No such destination: '{account_id}'"
            raise ApiError(400, message, code="resource_missing", param="destination")
        if _transfers_capability(self.accounts[account_id]).get("status") != "active":
            raise ApiError(
                400,
                _NO_CAPABILITY,
                code="insufficient_capabilities_for_transfer",
                param="destination",
            )
        return account_id

    # -- v2 endpoints ----------------------------------------------------------------------

    def create_account(self, request: Request) -> dict:
        account = {
            "id": objects.new_id("acct"),
            "object": "v2.core.account",
            "applied_configurations": [],
            "closed": False,
            "configuration": None,
            "contact_email": None,
            "created": objects.iso(self.now()),
            "dashboard": "none",
            "defaults": None,
            "display_name": None,
            "future_requirements": None,
            "identity": None,
            "livemode": False,
            "metadata": {},
            "requirements": objects.requirements([]),
        }
        self._change_account(account, request.params)
        self.accounts[account["id"]] = account
        return account

    def retrieve_account(self, request: Request, account_id: str) -> dict:
        return self._account(account_id)  # ``include`` is ignored: everything is always shown

    def update_account(self, request: Request, account_id: str) -> dict:
        account = self._account(account_id)
        self._change_account(account, request.params)
        return account

    def create_account_link(self, request: Request) -> dict:
        account_id = _required(request.params, "account")
        self._account(account_id)
        token = secrets.token_urlsafe(16)
        link = {
            "object": "v2.core.account_link",
            "account": account_id,
            "created": objects.iso(self.now()),
            "expires_at": objects.iso(self.now() + ACCOUNT_LINK_LIFETIME),
            "livemode": False,
            "url": f"{self.url}/onboarding/{token}",
            "use_case": _required(request.params, "use_case"),
        }
        self.account_links[token] = OnboardingLink(link, self.now() + ACCOUNT_LINK_LIFETIME)
        return link

    def retrieve_event(self, request: Request, event_id: str) -> dict:
        if event_id not in self.v2_events:
            raise objects.missing("event", event_id)
        return self.v2_events[event_id]

    def _account(self, account_id: str) -> dict:
        if account_id not in self.accounts:
            raise objects.missing("account", account_id)
        return self.accounts[account_id]

    def _change_account(self, account: dict, params: dict) -> None:
        """Merge the given fields in; a newly requested transfers capability starts restricted."""
        for name in ACCOUNT_FIELDS:
            if name in params:
                account[name] = _merged(account[name], params[name])
        account["metadata"] = _merged(account["metadata"], params.get("metadata", {}))
        account["applied_configurations"] = sorted(account["configuration"] or {})
        capability = _transfers_capability(account)
        if capability.get("requested") and "status" not in capability:
            entries = [objects.requirement(name) for name in objects.ONBOARDING_REQUIREMENTS]
            account["requirements"] = objects.requirements(entries)
            capability.update(objects.capability(entries))

    def _set_requirements(self, account: dict, entries: list[dict]) -> None:
        """Change what is due, and tell thin-event endpoints what changed."""
        capability = _transfers_capability(account)
        status_before = capability.get("status")
        account["requirements"] = objects.requirements(entries)
        if capability:
            capability.update(objects.capability(entries))
        self._emit_thin("v2.core.account[requirements].updated", account["id"])
        if capability.get("status") != status_before:
            self._emit_thin(
                "v2.core.account[configuration.recipient].capability_status_updated",
                account["id"],
                {"updated_capability": objects.TRANSFERS_CAPABILITY},
            )

    # -- onboarding pages ------------------------------------------------------------------

    def onboarding_page(self, request: Request, token: str) -> Response:
        link = self._onboarding_link(token)
        if not link.usable(self.now()):
            return _redirect(link.url("refresh_url"))
        account = self._account(link.body["account"])
        name = escape(account["display_name"] or account["id"])
        page = (
            "<!doctype html><title>Fake Stripe onboarding</title>"
            f"<h1>Onboarding {name}</h1>"
            '<form method="post"><button type="submit">Complete</button></form>'
        )
        return Response(200, page.encode(), "text/html; charset=utf-8")

    def submit_onboarding(self, request: Request, token: str) -> Response:
        link = self._onboarding_link(token)
        if not link.usable(self.now()):
            return _redirect(link.url("refresh_url"))
        link.used = True
        self._set_requirements(self._account(link.body["account"]), [])
        return _redirect(link.url("return_url"))

    def _onboarding_link(self, token: str) -> OnboardingLink:
        if token not in self.account_links:
            raise objects.missing("account link", token)
        return self.account_links[token]


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakeStripe, port: int = 0):
        super().__init__(("127.0.0.1", port), _Handler)
        self.fake = fake


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        self.server.fake._serve(self)

    do_POST = do_GET

    def log_message(self, *args) -> None:
        """Keep test output quiet: ``fake.requests`` is the log."""


_KEY_REUSED = (
    "Keys for idempotent requests can only be used with the same parameters they were first"
    " used with."
)
_NO_FUNDS = "You have insufficient available funds in your Stripe account."
_ACCOUNT_NO_FUNDS = "The connected account has insufficient funds to cover this reversal."
_NO_CAPABILITY = (
    "Your destination account needs to have at least one of the following capabilities"
    " enabled: transfers, crypto_transfers, legacy_payments"
)


def _read_request(http: BaseHTTPRequestHandler) -> Request:
    """Decode the body as stripe-python sends it: JSON for v2 POSTs, a form otherwise."""
    url = urlsplit(http.path)
    body = http.rfile.read(int(http.headers.get("Content-Length") or 0)).decode()
    if http.command == "POST" and url.path.startswith("/v2/"):
        params = json.loads(body or "{}")
    else:
        params = decode_form(body if http.command == "POST" else url.query)
    headers = {name: http.headers[name] for name in RECORDED_HEADERS if name in http.headers}
    return Request(http.command, url.path, params, headers, http.headers.get("Authorization", ""))


def _route(request: Request) -> tuple[Route, dict]:
    for route in ROUTES:
        match = re.fullmatch(route.pattern, request.path)
        if match and route.method == request.method:
            return route, match.groupdict()
    message = f"Unrecognized request URL ({request.method}: {request.path})."
    raise ApiError(404, message)


def _authenticate(authorization: str) -> None:
    """Only test-mode secret keys get in: the fake must never look like live Stripe."""
    scheme, _, key = authorization.partition(" ")
    if scheme != "Bearer" or not key:
        raise ApiError(401, "You did not provide an API key.", error_type="authentication_error")
    if key.startswith("sk_live_"):
        message = "The fake Stripe server is test mode only: use an sk_test_ key."
        raise ApiError(401, message, error_type="authentication_error")
    if not key.startswith("sk_test_"):
        raise ApiError(401, "Invalid API Key provided.", error_type="authentication_error")


def _required(params: dict, name: str):
    if params.get(name) in (None, ""):
        raise ApiError(
            400, f"Missing required param: {name}.", code="parameter_missing", param=name
        )
    return params[name]


def _positive_amount(value) -> int:
    """v1 forms carry numbers as text: accept a whole number above zero, as Stripe does."""
    if value is None:
        raise ApiError(400, "Missing required param: amount.", code="parameter_missing")
    if not str(value).isdigit() or int(value) <= 0:
        message = "This value must be greater than or equal to 1."
        raise ApiError(400, message, code="parameter_invalid_integer", param="amount")
    return int(value)


def _transfers_capability(account: dict) -> dict:
    """The account's ``stripe_transfers`` capability, or ``{}`` if it was never requested."""
    node = account
    for key in TRANSFERS_PATH:
        node = (node or {}).get(key)
    return (node or {}).get("stripe_transfers") or {}


def _merged(old, new):
    """Deep-merge an update into a value; ``None`` removes a key, as in v2 metadata updates."""
    if not (isinstance(old, dict) and isinstance(new, dict)):
        return copy.deepcopy(new)
    result = dict(old)
    for key, value in new.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = _merged(old.get(key), value)
    return result


def _json(status: int, data: dict) -> Response:
    return Response(
        status, json.dumps(data).encode(), headers={"Request-Id": objects.new_id("req")}
    )


def _error(error: ApiError) -> Response:
    return _json(error.status, error.body)


def _redirect(url: str) -> Response:
    return Response(303, b"", "text/plain", {"Location": url})


def _send(http: BaseHTTPRequestHandler, response: Response) -> None:
    http.send_response(response.status)
    http.send_header("Content-Type", response.content_type)
    http.send_header("Content-Length", str(len(response.body)))
    for name, value in response.headers.items():
        http.send_header(name, value)
    http.end_headers()
    http.wfile.write(response.body)
