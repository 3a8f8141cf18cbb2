"""A small fake Stripe server, so payout tests run offline against the real stripe-python.

Why: the tests must prove what Stripe's own test mode cannot show offline, and cheaply:
that a retried payout never pays twice, that a restricted account is refused, that webhooks
are verified and survive duplicates and disorder. The fake speaks just enough of the API for
that, over real HTTP, so the code under test uses an ordinary ``stripe.StripeClient``::

    client = stripe.StripeClient(
        "sk_test_x", base_addresses={"api": fake.url}, max_network_retries=0
    )

(``base_addresses["api"]`` serves v1 and v2 alike.) ``client_for(fake)`` in ``fixtures``
builds that client, with a short timeout.

What it serves (nothing else):

- v1, form-encoded: ``POST /v1/transfers``, ``GET /v1/transfers`` (filter by
  ``transfer_group``, ``destination``; ``limit``), ``GET /v1/transfers/{id}``,
  ``POST /v1/transfers/{id}/reversals``, ``GET /v1/balance``. Transfers fail as Stripe's do:
  ``resource_missing`` (unknown destination), ``insufficient_capabilities_for_transfer``
  (``stripe_transfers`` not active), ``balance_insufficient`` (see ``set_balance``).
- v2, JSON: ``POST /v2/core/accounts``, ``GET``/``POST /v2/core/accounts/{id}``,
  ``POST /v2/core/account_links``, ``GET /v2/core/events/{id}``. An account that requests
  ``stripe_transfers`` starts ``restricted`` with requirements due.
- ``GET``/``POST /onboarding/<token>``: the account link's page. Submitting it clears the
  requirements, makes transfers ``active`` and answers 303 to the link's ``return_url``.
  A used or expired link goes to ``refresh_url``.

Behaviour shared by all API calls: a ``Bearer sk_test_…`` key is required (``sk_live_`` is
refused with 401); each request lands in ``fake.requests`` (method, path, params, the
Idempotency-Key / Stripe-Account / Stripe-Version headers, status, whether replayed);
POSTs honour ``Idempotency-Key`` for 24 hours of ``fake.now`` (same parameters: the stored
answer again with ``Idempotent-Replayed: true``; other parameters: ``idempotency_error``).

Test hooks on ``FakeStripe``: ``set_balance(cents, currency)``,
``set_account_balance(account_id, cents)``, ``complete_onboarding(account_id)``,
``require(account_id, description)``, ``fail_next(path_prefix, status=500 | "timeout",
after_acting=True, times=1)``, ``advance(seconds)`` (the clock; or pass ``clock=``),
``timeout_seconds`` (how long a "timeout" holds the answer), ``requests_to(method, path)``,
``reset()``.

Webhooks: ``add_webhook(url_or_callable, secret, kind="snapshot" | "thin")``. Events queue in
``fake.events`` — v1 snapshots ``transfer.created``, ``transfer.reversed``; thin v2
notifications ``v2.core.account[requirements].updated`` and
``v2.core.account[configuration.recipient].capability_status_updated`` — and go out only when
a test calls ``deliver(event_id, times=n)``, ``deliver_all(order="reverse")`` or
``deliver_pending()``, signed like Stripe's (``sign(payload, secret, timestamp)`` makes a
``Stripe-Signature`` by hand). A callable target receives ``(body_bytes, headers)``.

Using it from other tests (``tests/conftest.py`` does not register it): in the conftest of
the tests that need it, ``from tests.stripe_fake.fixtures import fake_stripe,
fake_stripe_client  # noqa: F401``; or, in a test module, bind them
(``fake_stripe = fixtures.fake_stripe``) so ruff does not report F811 on test arguments.
``fixtures.client_for(fake, timeout=..., retries=...)`` builds other clients.

Left out on purpose: pagination cursors, currencies per connected-account balance, Connect
routing of events to Connect endpoints, ``v2.core.account.created`` and other events, and
any endpoint not listed.
"""

from tests.stripe_fake.server import FakeStripe
from tests.stripe_fake.webhooks import sign

__all__ = ["FakeStripe", "sign"]
