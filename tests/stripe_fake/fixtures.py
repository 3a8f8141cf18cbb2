"""Pytest fixtures for the fake Stripe server (register them as the package docstring says)."""

import pytest
import stripe

from tests.stripe_fake.server import FakeStripe


def client_for(fake: FakeStripe, *, timeout: float = 5, retries: int = 0) -> stripe.StripeClient:
    """A real ``StripeClient`` aimed at the fake; retries off unless a test is about them."""
    return stripe.StripeClient(
        "sk_test_fake",
        base_addresses={"api": fake.url},
        max_network_retries=retries,
        http_client=stripe.RequestsClient(timeout=timeout),
    )


@pytest.fixture
def fake_stripe():
    """A fresh fake Stripe server for one test, stopped afterwards."""
    with FakeStripe() as fake:
        yield fake


@pytest.fixture
def fake_stripe_client(fake_stripe) -> stripe.StripeClient:
    return client_for(fake_stripe)
