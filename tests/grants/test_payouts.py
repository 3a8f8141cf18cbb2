"""Paying tranches exactly once, against the fake Stripe server over HTTP: request, approval by
another finance officer (four eyes), payment with the tranche's idempotency key, failures
Stripe answered for certain (a new key next time) and ones it may have acted on (the same key,
reconciled), concurrent clicks and runs, repayments, and the admin screens' access rules."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from coaching.grants.models import GrantLogEntry, LedgerEntry, Tranche
from coaching.grants.services import accounts, payouts
from tests.coaching.factories import sign_in
from tests.concurrency import at_once
from tests.grants import payouts_fixtures
from tests.grants.factories import make_staff
from tests.grants.payouts_fixtures import BALANCE, approve, make_world

fake_stripe = payouts_fixtures.fake_stripe
stripe_settings = payouts_fixtures.stripe_settings
world = payouts_fixtures.world

ADMIN = "/admin/grants/payments/"


def _logs(tranche, action):
    return GrantLogEntry.objects.filter(object_id=str(tranche.pk), action=action)


def _run_at_once(*functions):
    """Run each function in its own thread (so its own database connection), all released
    together; the exceptions they raised, if any."""
    return [result for result in at_once(*functions) if isinstance(result, Exception)]


# --- The path of one payment -------------------------------------------------------------


@pytest.mark.django_db
def test_a_tranche_requested_approved_and_paid_is_one_transfer_and_one_ledger_entry(
    world, fake_stripe
):
    tranche = approve(world)
    assert tranche.status == Tranche.Status.APPROVED
    paid = payouts.tranche_pay(tranche=tranche)
    assert paid.status == Tranche.Status.SENT and paid.sent_at and paid.sending_at
    [transfer] = fake_stripe.transfers.values()
    assert transfer["amount"] == 350_000  # 70 % of 5,000.00 €, in cents
    assert transfer["destination"] == world.payee.stripe_account_id
    assert transfer["transfer_group"] == f"avvio-award-{world.award.pk}"
    assert transfer["metadata"] == {"tranche": str(tranche.pk), "award": str(world.award.pk)}
    assert paid.transfer_id == transfer["id"]
    [entry] = world.ledger()
    assert (entry.amount_cents, entry.transfer_id, entry.site_id) == (
        350_000,
        transfer["id"],
        world.award.site_id,
    )
    [post] = fake_stripe.requests_to("POST", "/v1/transfers")
    assert post.idempotency_key == f"avvio-tranche-{tranche.pk}-1"
    for action in ("grants.tranche_request", "grants.tranche_approve", "grants.tranche_sent"):
        assert _logs(tranche, action).count() == 1
    # Paid again (a retry, the nightly run): nothing more happens.
    assert payouts.tranche_pay(tranche=paid).status == Tranche.Status.SENT
    assert payouts.payouts_run().paid == []
    assert len(fake_stripe.requests_to("POST", "/v1/transfers")) == 1
    assert world.ledger().count() == 1


@pytest.mark.django_db
def test_only_a_due_tranche_is_requested_and_only_by_a_coordinator_of_its_site(world, other_site):
    second = world.award.tranches.get(number=2)
    with pytest.raises(ValidationError):
        payouts.tranche_request(tranche=second, by=world.coordinator)  # still waiting
    with pytest.raises(PermissionDenied):
        payouts.tranche_request(tranche=world.tranche, by=world.finance)
    with pytest.raises(PermissionDenied):
        payouts.tranche_request(
            tranche=world.tranche, by=make_staff("Coordinator", site=other_site)
        )
    with pytest.raises(PermissionDenied):
        payouts.tranche_approve(
            tranche=world.tranche, by=make_staff("Finance officer", site=other_site)
        )
    assert world.refresh().status == Tranche.Status.DUE


@pytest.mark.django_db
def test_the_same_approval_clicked_twice_is_one_approval(world):
    payouts.tranche_request(tranche=world.tranche, by=world.coordinator)
    first, made = payouts.tranche_approve(tranche=world.tranche, by=world.finance)
    again, made_again = payouts.tranche_approve(tranche=world.tranche, by=world.finance)
    assert (made, made_again) == (True, False)
    assert again.status == Tranche.Status.APPROVED and again.approved_at == first.approved_at
    assert _logs(world.tranche, "grants.tranche_approve").count() == 1
    # A colleague's approval a moment later is the same one too.
    _tranche, colleague = payouts.tranche_approve(tranche=world.tranche, by=world.other_finance)
    assert not colleague and world.refresh().approved_by == world.finance


@pytest.mark.django_db
def test_a_finance_officer_never_approves_what_they_requested(world, site):
    both = make_staff("Coordinator", site=site)
    from django.contrib.auth.models import Group

    both.groups.add(Group.objects.get(name="Finance officer"))
    payouts.tranche_request(tranche=world.tranche, by=both)
    with pytest.raises(ValidationError) as refused:
        payouts.tranche_approve(tranche=world.tranche, by=both)
    assert refused.value.code == "four_eyes"
    assert world.refresh().status == Tranche.Status.REQUESTED
    assert not payouts.may_approve(world.tranche, both)
    assert payouts.may_approve(world.tranche, world.finance)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_finance_officers_paying_at_once_make_one_transfer(stripe_settings, fake_stripe, site):
    fake_stripe.set_balance(BALANCE, "eur")
    world = make_world(fake_stripe, approved=True)
    results = []

    def pay(by):
        return lambda: results.append(
            payouts.tranche_pay(tranche=Tranche(pk=world.tranche.pk), by=by)
        )

    assert _run_at_once(pay(world.finance), pay(world.other_finance)) == []
    assert len(fake_stripe.transfers) == 1
    assert len(fake_stripe.requests_to("POST", "/v1/transfers")) == 1
    assert world.ledger().count() == 1
    assert world.refresh().status == Tranche.Status.SENT
    # One click paid; the other found the tranche being paid and left it.
    assert sorted(r.status for r in results) in (
        ["sending", "sent"],
        ["sent", "sent"],
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_finance_officers_approving_at_once_make_one_approval(
    stripe_settings, fake_stripe, site
):
    world = make_world(fake_stripe)
    payouts.tranche_request(tranche=world.tranche, by=world.coordinator)
    made = []

    def approve_as(by):
        return lambda: made.append(payouts.tranche_approve(tranche=world.tranche, by=by)[1])

    assert _run_at_once(approve_as(world.finance), approve_as(world.other_finance)) == []
    assert sorted(made) == [False, True]
    assert _logs(world.tranche, "grants.tranche_approve").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_payout_runs_at_once_pay_each_tranche_once(stripe_settings, fake_stripe, site):
    fake_stripe.set_balance(BALANCE, "eur")
    worlds = [make_world(fake_stripe, approved=True) for _ in range(3)]
    assert _run_at_once(payouts.payouts_run, payouts.payouts_run) == []
    assert len(fake_stripe.transfers) == 3
    assert LedgerEntry.objects.filter(kind="payout").count() == 3
    assert {w.refresh().status for w in worlds} == {Tranche.Status.SENT}


# --- Failures ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_low_balance_fails_with_what_to_do_then_pays_once_with_a_new_key(world, fake_stripe):
    fake_stripe.set_balance(100, "eur")
    tranche = payouts.tranche_pay(tranche=approve(world))
    assert tranche.status == Tranche.Status.FAILED
    assert tranche.problem == "insufficient_balance" and tranche.attempt == 2
    with translation.override("en"):
        assert "top it up, then pay again" in payouts.problem_words(tranche)
    assert fake_stripe.transfers == {} and world.ledger().count() == 0
    # Not paid until someone approves it again.
    assert payouts.payouts_run().paid == []
    fake_stripe.set_balance(BALANCE, "eur")
    payouts.tranche_approve(tranche=tranche, by=world.other_finance)
    assert payouts.payouts_run().paid == [tranche.pk]
    assert world.refresh().status == Tranche.Status.SENT and world.tranche.problem == ""
    assert len(fake_stripe.transfers) == 1 and world.ledger().count() == 1
    keys = [r.idempotency_key for r in fake_stripe.requests_to("POST", "/v1/transfers")]
    assert keys == [f"avvio-tranche-{tranche.pk}-1", f"avvio-tranche-{tranche.pk}-2"]


@pytest.mark.django_db
def test_an_account_not_ready_fails_with_what_stripe_needs_in_words(
    stripe_settings, fake_stripe, site
):
    fake_stripe.set_balance(BALANCE, "eur")
    world = make_world(fake_stripe, ready=False)
    participant = world.award.application.participant
    payee = accounts.payee_account_open(participant=participant, by=participant.user)
    fake_stripe.complete_onboarding(payee.stripe_account_id)
    fake_stripe.require(payee.stripe_account_id, "identity.individual.verification.document")
    tranche = payouts.tranche_pay(tranche=approve(world))
    assert tranche.status == Tranche.Status.FAILED
    assert tranche.problem == "account_not_ready" and tranche.attempt == 2
    with translation.override("en"):
        words = payouts.problem_words(tranche)
    assert "they must finish what Stripe asks for" in words
    assert "a photo of your identity document" in words
    with translation.override("it"):
        assert "una foto del tuo documento d'identità" in payouts.problem_words(tranche)
    assert fake_stripe.transfers == {}


@pytest.mark.django_db
def test_no_account_at_all_fails_before_asking_stripe(stripe_settings, fake_stripe, site):
    world = make_world(fake_stripe, ready=False)
    tranche = payouts.tranche_pay(tranche=approve(world))
    assert (tranche.status, tranche.problem, tranche.attempt) == ("failed", "account_not_ready", 1)
    assert fake_stripe.requests_to("POST", "/v1/transfers") == []
    with translation.override("en"):
        assert "to set up how they receive the money" in payouts.problem_words(tranche)


@pytest.mark.django_db
def test_payments_not_set_up_fail_and_keep_the_key(world, fake_stripe, stripe_settings):
    tranche = approve(world)
    stripe_settings.STRIPE_SECRET_KEY = ""
    tranche = payouts.tranche_pay(tranche=tranche)
    assert (tranche.status, tranche.problem, tranche.attempt) == ("failed", "not_configured", 1)
    with translation.override("en"):
        assert (
            payouts.problem_words(tranche) == "Payments through Stripe are not set up on this site."
        )
    stripe_settings.STRIPE_SECRET_KEY = "sk_test_avvio"
    payouts.tranche_approve(tranche=tranche, by=world.finance)
    assert payouts.tranche_pay(tranche=tranche).status == Tranche.Status.SENT
    [post] = fake_stripe.requests_to("POST", "/v1/transfers")
    assert post.idempotency_key == f"avvio-tranche-{tranche.pk}-1"


@pytest.mark.django_db
def test_stripes_own_error_after_paying_is_unknown_and_never_paid_with_a_new_key(
    world, fake_stripe
):
    fake_stripe.fail_next("/v1/transfers", status=500, after_acting=True, times=3)
    tranche = payouts.tranche_pay(tranche=approve(world))
    assert tranche.status == Tranche.Status.UNKNOWN and tranche.attempt == 1
    assert len(fake_stripe.transfers) == 1 and world.ledger().count() == 0
    # Neither the run nor a finance officer can pay it again before it is reconciled.
    assert payouts.payouts_run().paid == []
    _tranche, made = payouts.tranche_approve(tranche=tranche, by=world.other_finance)
    assert not made
    assert payouts.payouts_reconcile().sent == [tranche.pk]
    assert world.refresh().status == Tranche.Status.SENT
    assert len(fake_stripe.transfers) == 1 and world.ledger().count() == 1


# --- Repayments ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_repayment_is_a_negative_ledger_entry_never_more_than_was_paid(world, fake_stripe):
    from decimal import Decimal

    payouts.tranche_pay(tranche=approve(world))
    entry = payouts.repayment_record(
        award=world.award, amount=Decimal("500.00"), note="Bonifico 12", by=world.finance
    )
    assert (entry.kind, entry.amount_cents) == ("repayment", -50_000)
    assert payouts.net_paid_cents(world.award) == 300_000
    with pytest.raises(ValidationError):
        payouts.repayment_record(
            award=world.award, amount=Decimal("3000.01"), note="x", by=world.finance
        )
    with pytest.raises(PermissionDenied):
        payouts.repayment_record(
            award=world.award, amount=Decimal("1"), note="x", by=world.coordinator
        )
    assert (
        fake_stripe.requests_to("POST", f"/v1/transfers/{world.tranche.transfer_id}/reversals")
        == []
    )


# --- The admin screens ---------------------------------------------------------------------


@pytest.fixture
def elsewhere(stripe_settings, fake_stripe, other_site):
    """Another municipality's award with a due tranche."""
    return make_world(fake_stripe, site=other_site)


@pytest.mark.django_db
def test_a_coordinator_lists_and_requests_their_sites_tranches_only(client, world, elsewhere):
    sign_in(client, world.coordinator)
    page = client.get(ADMIN)
    assert page.status_code == 200
    assert world.award.application.participant.reference in page.content.decode()
    assert elsewhere.award.application.participant.reference not in page.content.decode()
    url = f"{ADMIN}{world.tranche.pk}/request/"
    assert client.get(url).status_code == 200
    client.post(url)
    client.post(url)  # a double click
    assert world.refresh().status == Tranche.Status.REQUESTED
    assert _logs(world.tranche, "grants.tranche_request").count() == 1
    there = f"{ADMIN}{elsewhere.tranche.pk}/request/"
    assert client.get(there, follow=True).status_code == 404
    assert client.post(there, follow=True).status_code == 404
    assert elsewhere.refresh().status == Tranche.Status.DUE
    # A coordinator neither approves nor pays.
    assert client.post(f"{ADMIN}{world.tranche.pk}/approve/", follow=True).status_code == 404
    assert world.refresh().status == Tranche.Status.REQUESTED


@pytest.mark.django_db
def test_a_finance_officer_approves_twice_once_and_pays_now_through_a_task(
    client, world, fake_stripe, django_capture_on_commit_callbacks
):
    payouts.tranche_request(tranche=world.tranche, by=world.coordinator)
    sign_in(client, world.finance)
    url = f"{ADMIN}{world.tranche.pk}/approve/"
    confirm = client.get(url)
    assert confirm.status_code == 200 and confirm.context["step"] == "approve"
    assert not confirm.context["four_eyes"]
    client.post(url)
    client.post(url)
    assert world.refresh().status == Tranche.Status.APPROVED
    assert _logs(world.tranche, "grants.tranche_approve").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{ADMIN}{world.tranche.pk}/pay/")
    assert world.refresh().status == Tranche.Status.SENT
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{ADMIN}{world.tranche.pk}/pay/", follow=True)
    assert response.status_code == 200
    assert len(fake_stripe.transfers) == 1 and world.ledger().count() == 1


@pytest.mark.django_db
def test_the_admin_refuses_the_finance_officer_who_requested(client, world, site):
    from django.contrib.auth.models import Group

    both = make_staff("Coordinator", site=site)
    both.groups.add(Group.objects.get(name="Finance officer"))
    sign_in(client, both)
    client.post(f"{ADMIN}{world.tranche.pk}/request/")
    assert client.get(f"{ADMIN}{world.tranche.pk}/approve/").context["four_eyes"]
    response = client.post(f"{ADMIN}{world.tranche.pk}/approve/", follow=True)
    assert response.status_code == 200
    assert world.refresh().status == Tranche.Status.REQUESTED


@pytest.mark.django_db
def test_another_sites_finance_officer_sees_and_changes_nothing(client, world, elsewhere):
    payouts.tranche_request(tranche=world.tranche, by=world.coordinator)
    sign_in(client, elsewhere.finance)
    page = client.get(ADMIN).content.decode()
    assert world.award.application.participant.reference not in page
    for step in ("approve", "pay"):
        assert client.post(f"{ADMIN}{world.tranche.pk}/{step}/", follow=True).status_code == 404
    repay = f"{ADMIN}awards/{world.award.pk}/repayment/"
    assert client.get(repay, follow=True).status_code == 404
    assert world.refresh().status == Tranche.Status.REQUESTED


@pytest.mark.django_db
def test_a_repayment_form_records_once_and_keeps_what_was_typed(client, world):
    payouts.tranche_pay(tranche=approve(world))
    sign_in(client, world.finance)
    url = f"{ADMIN}awards/{world.award.pk}/repayment/"
    form = client.get(url)
    assert form.status_code == 200
    key = form.context["form"]["key"].value()
    too_much = client.post(url, {"amount": "9999.00", "note": "Bonifico 7", "key": key})
    assert too_much.status_code == 200 and "Bonifico 7" in too_much.content.decode()
    data = {"amount": "250.00", "note": "Bonifico 7", "key": key}
    client.post(url, data)
    client.post(url, data)  # a double submit
    [entry] = LedgerEntry.objects.filter(kind="repayment")
    assert entry.amount_cents == -25_000 and entry.recorded_by == world.finance
    bad = client.post(url, {"amount": "abc", "note": "", "key": str(key)})
    assert bad.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["Editor", "Evaluator"])
def test_editors_and_evaluators_get_nothing(client, world, role):
    sign_in(client, make_staff(role))
    for url in (ADMIN, f"{ADMIN}{world.tranche.pk}/request/"):
        response = client.get(url)
        assert response.status_code == 403 or response.get("Location") == "/admin/"
    assert client.post(f"{ADMIN}{world.tranche.pk}/request/").status_code in (302, 403)
    assert world.refresh().status == Tranche.Status.DUE


@pytest.mark.django_db
def test_participants_and_mentors_are_kept_out_and_anonymous_sent_to_sign_in(client, world, mentor):
    participant = world.award.application.participant.user
    for user in (None, participant, mentor):
        client.logout()
        if user is not None:
            sign_in(client, user)
        response = client.get(ADMIN)
        # Anonymous people to sign in; signed-in people without admin access out of it.
        assert response.status_code == 302
        assert ("login" in response["Location"]) == (user is None)
        assert not response["Location"].startswith("/admin/")
        client.post(f"{ADMIN}{world.tranche.pk}/request/")
    assert world.refresh().status == Tranche.Status.DUE
