"""The beneficiary's "receive the money" page: setting up the Stripe account on Stripe's hosted
onboarding (through the fake's own pages), coming back, an expired link, the account's state
in words, and nobody else getting the page."""

from urllib.parse import urlsplit

import pytest
import requests

from coaching.grants.models import PayeeAccount
from tests.coaching.factories import make_participant, sign_in
from tests.grants import payouts_fixtures
from tests.grants.factories import make_staff
from tests.grants.payouts_fixtures import make_world

fake_stripe = payouts_fixtures.fake_stripe
stripe_settings = payouts_fixtures.stripe_settings

pytestmark = pytest.mark.django_db

PAGE = "/it/grants/payments/"
START = "/it/grants/payments/start/"
DONE = "/it/grants/payments/done/"
AGAIN = "/it/grants/payments/again/"


@pytest.fixture
def beneficiary(stripe_settings, fake_stripe, site):
    """A participant with an accepted award and no payment account yet."""
    world = make_world(fake_stripe, ready=False)
    return world.award.application.participant


def test_setting_up_goes_to_stripe_and_back_ready(client, beneficiary, fake_stripe):
    sign_in(client, beneficiary.user)
    page = client.get(PAGE)
    assert page.status_code == 200 and page.context["payee"] is None
    # Browsers check the form's redirect to Stripe against the page's form-action.
    policy = page["Content-Security-Policy"]
    form_action = next(d for d in policy.split(";") if d.strip().startswith("form-action"))
    assert form_action.split()[1:] == ["'self'", fake_stripe.url]
    response = client.post(START)
    assert response.status_code == 302
    link = response["Location"]
    assert link.startswith(f"{fake_stripe.url}/onboarding/")
    payee = PayeeAccount.objects.get(participant=beneficiary)
    assert not payee.can_receive and payee.stripe_account_id in fake_stripe.accounts
    # A second click: the same account, a new link.
    again = client.post(START)
    assert again.status_code == 302 and again["Location"] != link
    assert len(fake_stripe.accounts) == 1
    # The beneficiary fills in Stripe's page; Stripe sends them back to us.
    back = requests.post(link, allow_redirects=False, timeout=5)
    assert back.status_code == 303
    return_url = urlsplit(back.headers["Location"])
    assert return_url.path == DONE
    done = client.get(return_url.path)
    assert done.status_code == 302 and done["Location"] == PAGE
    payee.refresh_from_db()
    assert payee.can_receive and payee.needs == [] and payee.synced_at
    page = client.get(PAGE)
    assert page.context["payee"].can_receive
    assert START not in page.content.decode()  # nothing left to set up


def test_what_stripe_needs_is_said_in_the_readers_language(client, beneficiary, fake_stripe):
    sign_in(client, beneficiary.user)
    client.post(START)
    english = client.get("/en/grants/payments/").content.decode()
    assert "a bank account for the money" in english
    assert "your name and personal details" in english
    italian = client.get(PAGE).context["needs"]
    assert italian[0] == "il tuo nome e i tuoi dati personali" and len(italian) == 2


def test_an_expired_link_gets_a_new_one(client, beneficiary, fake_stripe):
    sign_in(client, beneficiary.user)
    link = client.post(START)["Location"]
    fake_stripe.advance(10 * 60)  # Stripe's links last minutes
    back = requests.get(link, allow_redirects=False, timeout=5)
    assert urlsplit(back.headers["Location"]).path == AGAIN
    fresh = client.get(AGAIN)
    assert fresh.status_code == 302 and fresh["Location"].startswith(fake_stripe.url)
    assert fresh["Location"] != link


def test_payments_not_set_up_say_so_in_words_without_an_error_page(
    client, beneficiary, stripe_settings
):
    stripe_settings.STRIPE_SECRET_KEY = ""
    sign_in(client, beneficiary.user)
    response = client.post(START, follow=True)
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert messages and PayeeAccount.objects.count() == 0


def test_start_is_a_post_only(client, beneficiary):
    sign_in(client, beneficiary.user)
    assert client.get(START).status_code == 405
    assert PayeeAccount.objects.count() == 0


def test_anonymous_people_are_sent_to_sign_in(client, beneficiary):
    for url in (PAGE, DONE, AGAIN):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    assert client.post(START).status_code == 302
    assert PayeeAccount.objects.count() == 0


def test_nobody_else_has_the_page(client, beneficiary, fake_stripe, site, other_site, mentor):
    """Another participant (without an award), a beneficiary of another municipality, staff
    and mentors: 404, and nothing made at Stripe."""
    elsewhere = make_world(fake_stripe, site=other_site, ready=False).award.application
    people = [
        make_participant(site=site, status="eligible").user,
        elsewhere.participant.user,
        make_staff("Coordinator", site=site),
        make_staff("Finance officer", site=site),
        mentor,
    ]
    for person in people:
        client.logout()
        sign_in(client, person)
        for url in (PAGE, DONE, AGAIN):
            assert client.get(url).status_code == 404, (person, url)
        assert client.post(START).status_code == 404
    assert PayeeAccount.objects.count() == 0 and fake_stripe.accounts == {}


def test_each_beneficiary_sees_their_own_account_only(client, beneficiary, fake_stripe, site):
    other = make_world(fake_stripe, ready=True).award.application.participant
    sign_in(client, beneficiary.user)
    page = client.get(PAGE)
    assert page.context["payee"] is None  # not the other beneficiary's ready account
    client.logout()
    sign_in(client, other.user)
    assert client.get(PAGE).context["payee"] == other.payee_account
