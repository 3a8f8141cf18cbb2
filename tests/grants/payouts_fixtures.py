"""Shared set-up of the payout tests: the gateway aimed at the fake Stripe server, an accepted
award whose beneficiary has a ready recipient account at the fake, and two finance officers.

Bind the fixtures in a test module (``stripe_settings = payouts_fixtures.stripe_settings``)
as ``tests.stripe_fake``'s docstring says, so ruff does not report redefinitions.
"""

import uuid
from dataclasses import dataclass

import pytest
from wagtail.models import Site

from coaching.grants import stripe_gateway as gateway
from coaching.grants.models import Award, LedgerEntry, PayeeAccount, Tranche
from coaching.grants.services import payouts
from tests.grants.factories import make_award, make_call, make_staff
from tests.stripe_fake import fixtures

fake_stripe = fixtures.fake_stripe

SECRET = "whsec_snapshot_test"
THIN_SECRET = "whsec_thin_test"
BALANCE = 10_000_000  # 100,000 € on the platform


@pytest.fixture
def stripe_settings(settings, fake_stripe):
    settings.STRIPE_SECRET_KEY = "sk_test_avvio"
    settings.STRIPE_API_BASE = fake_stripe.url
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    settings.STRIPE_THIN_WEBHOOK_SECRET = THIN_SECRET
    return settings


@dataclass
class World:
    award: Award
    tranche: Tranche
    payee: PayeeAccount
    coordinator: object
    finance: object
    other_finance: object

    def refresh(self) -> Tranche:
        self.tranche.refresh_from_db()
        return self.tranche

    def ledger(self):
        return LedgerEntry.objects.filter(tranche=self.tranche, kind=LedgerEntry.Kind.PAYOUT)


def ready_recipient(fake, participant) -> PayeeAccount:
    """A recipient account at the fake that finished onboarding, on record for ``participant``."""
    state = gateway.recipient_create(
        email=participant.user.email,
        name="Amina",
        idempotency_key=f"test-account-{participant.pk}",
        metadata={},
    )
    fake.complete_onboarding(state.id)
    return PayeeAccount.objects.create(
        participant=participant, stripe_account_id=state.id, can_receive=True
    )


def make_world(fake, *, site=None, ready=True, approved=False) -> World:
    site = site or Site.objects.get(is_default_site=True)
    award = make_award(call=make_call(site=site, slug=f"bando-{uuid.uuid4().hex[:8]}"))
    participant = award.application.participant
    payee = ready_recipient(fake, participant) if ready else None
    world = World(
        award=award,
        tranche=award.tranches.get(number=1),
        payee=payee,
        coordinator=make_staff("Coordinator", site=site),
        finance=make_staff("Finance officer", site=site),
        other_finance=make_staff("Finance officer", site=site),
    )
    if approved:
        approve(world)
    return world


def approve(world: World) -> Tranche:
    payouts.tranche_request(tranche=world.tranche, by=world.coordinator)
    payouts.tranche_approve(tranche=world.tranche, by=world.finance)
    return world.refresh()


@pytest.fixture
def world(stripe_settings, fake_stripe, site) -> World:
    """An accepted award, its first tranche due, a ready account, money on the platform."""
    fake_stripe.set_balance(BALANCE, "eur")
    return make_world(fake_stripe)
