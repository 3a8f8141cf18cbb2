"""Hardening found by a security review: grant records in Wagtail's own site history stay
within their municipality (and their labels never become spreadsheet formulas), a webhook
signed with an empty secret is refused, a signed agreement keeps reading as signed, a draft
withdrawn before it was ever submitted stays the applicant's own and goes with an erasure."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.coaching.factories import sign_in
from tests.grants.factories import make_award, make_call, make_expense, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def storage(private_storage_root):
    return private_storage_root


@pytest.mark.parametrize("role", ["Coordinator", "Finance officer"])
def test_wagtail_site_history_does_not_show_other_sites_grant_records(
    client, site, other_site, role
):
    """Wagtail's site history lists the log entries of every content type the user holds a
    permission on: grant records log to ``GrantLogEntry``, scoped by site."""
    here = make_award(call=make_call(site=site))
    there = make_award(call=make_call(site=other_site, slug="altrove"))
    make_expense(here, supplier="Sartoria Qui")
    make_expense(there, supplier="Sartoria Altrove SECRET")
    sign_in(client, make_staff(role, site=site))
    response = client.get("/admin/reports/site-history/")
    assert response.status_code == 200
    html = response.content.decode()
    # Their own site's grant records are there; the other municipality's are not.
    assert str(here.application) in html
    assert "Sartoria Altrove SECRET" not in html
    assert str(there.application) not in html


def test_wagtail_site_history_export_neutralises_formulas(client, site):
    """The report's CSV export writes labels as they are: a grant record's label never
    starts a formula."""
    here = make_award(call=make_call(site=site))
    make_expense(here, supplier='=HYPERLINK("http://x","y")')
    sign_in(client, make_staff("Coordinator", site=site))
    response = client.get("/admin/reports/site-history/", {"export": "csv"})
    body = b"".join(response.streaming_content).decode() if response.streaming else ""
    body = body or response.content.decode()
    assert "'=HYPERLINK" in body
    assert "=HYPERLINK" not in body.replace("'=HYPERLINK", "")


def test_webhook_with_no_secret_configured_refuses_a_self_signed_event(client, settings):
    """STRIPE_WEBHOOK_SECRET is empty until configured: an event signed with the empty key
    is refused and nothing is stored."""
    import json
    import time

    import stripe

    from coaching.grants.models import StripeEvent

    settings.STRIPE_WEBHOOK_SECRET = ""
    body = json.dumps(
        {
            "id": "evt_forged",
            "object": "event",
            "type": "charge.succeeded",
            "data": {"object": {"id": "ch_1", "object": "charge"}},
        }
    )
    stamp = int(time.time())
    sig = stripe.WebhookSignature._compute_signature(f"{stamp}.{body}", "")
    response = client.post(
        "/stripe/webhooks/",
        body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=f"t={stamp},v1={sig}",
    )
    assert response.status_code == 400
    assert not StripeEvent.objects.filter(event_id="evt_forged").exists()


def test_signed_agreement_still_reads_as_signed_after_the_call_changes(site):
    """The terms of an accepted award are those signed (kept with it), not rebuilt from the
    call's current scheme or the participant's current name."""
    from coaching.grants.agreement import agreement_sha256, agreement_terms_html, signing_name
    from coaching.grants.models import Award, TrancheRule
    from coaching.grants.services.awards import award_accept

    call = make_call(site=site)
    award = make_award(call=call, amount="4500", accepted=False)
    award = Award.objects.get(pk=award.pk)
    award, _ = award_accept(
        award=award,
        signed_name=signing_name(award),
        fingerprint=agreement_sha256(award),
        by=award.application.participant.user,
    )
    # An editor adjusts the scheme for future applicants.
    rules = list(TrancheRule.objects.filter(page_id=call.pk).order_by("sort_order"))
    rules[0].percent, rules[1].percent = Decimal("50"), Decimal("50")
    for rule in rules:
        rule.save()
    participant = award.application.participant
    participant.legal_name = "Nome Cambiato"
    participant.save(update_fields=["legal_name"])
    award = Award.objects.get(pk=award.pk)
    assert agreement_sha256(award) == award.agreement_sha256
    assert "Nome Cambiato" not in agreement_terms_html(award)


def test_a_withdrawn_draft_stays_the_applicants_own(client, site):
    """A draft the applicant withdrew without submitting never reaches the coordinators, nor
    do its documents; a submitted then withdrawn one does."""
    from coaching.grants.services.applications import application_withdraw, document_add
    from tests.grants.factories import make_application

    application = make_application(call=make_call(site=site))
    user = application.participant.user
    document, _ = document_add(
        application=application,
        requirement=application.call.required_documents.first(),
        upload=SimpleUploadedFile("id-card.pdf", b"%PDF-1.4\n%%EOF\n"),
        by=user,
    )
    application_withdraw(application=application, by=user)
    sign_in(client, make_staff("Coordinator", site=site))
    assert client.get(f"/it/grants/documents/{document.pk}/").status_code == 404
    admin_page = f"/admin/grants/evaluation/application/{application.pk}/"
    assert client.get(admin_page, follow=True).status_code == 404
    submitted = make_application(call=make_call(site=site, slug="altro"), submitted=True)
    application_withdraw(application=submitted, by=submitted.participant.user)
    page = f"/admin/grants/evaluation/application/{submitted.pk}/"
    assert client.get(page).status_code == 200


def test_erasure_removes_a_withdrawn_never_submitted_draft(site):
    """Erasure deletes the applications never submitted, withdrawn ones included."""
    from coaching.grants.models import GrantApplication
    from coaching.grants.personal_data import GrantsPersonalData
    from coaching.grants.services.applications import application_withdraw
    from tests.grants.factories import make_application

    application = make_application(call=make_call(site=site))
    user = application.participant.user
    application_withdraw(application=application, by=user)
    GrantsPersonalData().erase(user=user, by=None, reason="request", now=timezone.now())
    assert not GrantApplication.objects.filter(pk=application.pk).exists()


def test_only_the_applicant_submits_their_draft(site):
    """The service itself refuses anyone else, whatever view or command calls it."""
    from django.core.exceptions import PermissionDenied

    from coaching.grants.models import GrantApplication
    from coaching.grants.services.applications import application_submit
    from tests.grants.factories import make_application

    application = make_application(call=make_call(site=site))
    for someone_else in (make_staff("Coordinator", site=site), make_staff("Evaluator", site=site)):
        with pytest.raises(PermissionDenied):
            application_submit(application=application, by=someone_else)
    assert GrantApplication.objects.get(pk=application.pk).status == "draft"


def test_grant_entries_stay_visible_whichever_log_model_is_asked_first(site):
    """Wagtail caches a user's permitted content types from the first log model asked (the
    site history asks them in a set's order): the grants' own rule does not depend on it."""
    from wagtail.models import ModelLogEntry

    from coaching.grants.models import GrantLogEntry
    from tests.grants.factories import make_expense

    here = make_award(call=make_call(site=site))
    make_expense(here, supplier="Sartoria Qui")
    coordinator = make_staff("Coordinator", site=site)
    alone = set(GrantLogEntry.objects.viewable_by_user(coordinator).values_list("pk", flat=True))
    assert alone
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)
    list(ModelLogEntry.objects.viewable_by_user(coordinator))
    after = set(GrantLogEntry.objects.viewable_by_user(coordinator).values_list("pk", flat=True))
    assert after == alone
