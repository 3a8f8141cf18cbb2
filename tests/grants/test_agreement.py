"""The grant agreement and the beneficiary's answer: a PDF made from the award (beneficiary,
call, amount, tranches, obligations, how expenses are reported) in the beneficiary's
language, fetching nothing; its fingerprint follows the terms; the beneficiary accepts it on
their award page by typing their full name and ticking "I accept" (once, making the tranches)
or declines it; nobody else sees or answers their award."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import formats, timezone, translation
from pypdf import PdfReader

from coaching.grants.agreement import agreement_pdf, agreement_sha256, signing_name
from coaching.grants.models import Award, BudgetLine, GrantLogEntry, Tranche
from coaching.grants.services.awards import award_accept, award_decline, award_grant, committed
from coaching.models import Participant
from tests import http_listener
from tests.coaching.factories import make_participant, sign_in
from tests.grants.factories import make_application, make_award, make_call, make_staff
from tests.grants.pages import italian, page_text
from tests.grants.test_evaluation import evaluate

pytestmark = pytest.mark.django_db

listener = http_listener.listener


def _text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    pages = [page.extract_text() for page in PdfReader(BytesIO(content)).pages]
    return " ".join(" ".join(pages).split())


@pytest.fixture
def call(site):
    return make_call(site=site)


@pytest.fixture
def award(call):
    """An offered award of 4 500 € (70 % on signing, 30 % after expenses)."""
    return make_award(call=call, amount="4500", accepted=False)


def _speaks(award, language):
    user = award.application.participant.user
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])


def _fresh(award) -> Award:
    return Award.objects.select_related("application__participant__user").get(pk=award.pk)


# --- The document -----------------------------------------------------------------------------


def test_the_pdf_holds_the_beneficiary_the_call_the_amount_tranches_and_rules(award):
    _speaks(award, "en")
    text = _text(agreement_pdf(_fresh(award)))
    application = award.application
    for expected in (
        signing_name(award),
        application.participant.reference,
        application.call.title,
        application.reference,
        "4,500.00 €",  # the amount, in the beneficiary's language
        "3,150.00 €",  # 70 %
        "1,350.00 €",  # 30 %
        "When the agreement is signed",
        "The beneficiary's obligations",
        "Reporting expenses",
        "Forno e banco",  # a budget line
        agreement_sha256(_fresh(award)),
    ):
        assert expected in text, expected


def test_the_agreement_is_in_the_beneficiarys_language(award):
    _speaks(award, "it")
    italian = _text(agreement_pdf(_fresh(award)))
    assert "4.500,00 €" in italian
    _speaks(award, "en")
    english = _text(agreement_pdf(_fresh(award)))
    assert "4,500.00 €" in english
    assert agreement_sha256(_fresh(award)) != ""


def test_the_fingerprint_follows_the_terms(award):
    before = agreement_sha256(_fresh(award))
    assert agreement_sha256(_fresh(award)) == before  # no clock in the terms
    Award.objects.filter(pk=award.pk).update(amount=Decimal("4000"))
    changed = agreement_sha256(_fresh(award))
    assert changed != before
    Participant.objects.filter(pk=award.application.participant_id).update(
        legal_name="Amina Grace Diallo"
    )
    assert agreement_sha256(_fresh(award)) not in (before, changed)


def test_what_the_applicant_typed_cannot_make_the_pdf_fetch_anything(award, listener):
    url, asked = listener
    BudgetLine.objects.filter(application=award.application).update(
        description=f'<img src="{url}/leak"><link rel="stylesheet" href="{url}/x.css">'
    )
    text = _text(agreement_pdf(_fresh(award)))
    assert asked == []
    assert "<img" in text  # shown as text


# --- The award page ---------------------------------------------------------------------------


def test_the_beneficiary_reads_the_agreement_and_downloads_it(client, award):
    client.force_login(award.application.participant.user)
    page = client.get(reverse("grants:award", args=[award.pk]))
    assert page.status_code == 200
    text = page_text(page)
    assert award.application.call.title in text and "4.500,00 €" in text
    assert agreement_sha256(_fresh(award)) in text  # the fingerprint the form carries
    assert "private" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]

    pdf = client.get(reverse("grants:award_agreement", args=[award.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment;")
    assert pdf.content.startswith(b"%PDF")


def _others(site, other_site):
    return {
        "another participant": make_participant(site=site, status="eligible").user,
        "a participant elsewhere": make_participant(site=other_site, status="eligible").user,
        "a coordinator": make_staff("Coordinator", site=site),
        "a finance officer": make_staff("Finance officer", site=site),
    }


def test_nobody_else_sees_or_answers_the_award(client, award, site, other_site):
    fingerprint = agreement_sha256(_fresh(award))
    for who, user in _others(site, other_site).items():
        sign_in(client, user)
        for name in ("grants:award", "grants:award_agreement"):
            assert client.get(reverse(name, args=[award.pk])).status_code == 404, who
        accepted = client.post(
            reverse("grants:award_accept", args=[award.pk]),
            {"signed_name": signing_name(award), "accept": "on", "fingerprint": fingerprint},
        )
        assert accepted.status_code == 404, who
        declined = client.post(reverse("grants:award_decline", args=[award.pk]), {"confirm": "on"})
        assert declined.status_code == 404, who
    assert _fresh(award).status == Award.Status.OFFERED
    with pytest.raises(PermissionDenied):  # the service's own check, past the views
        award_decline(award=award, by=make_participant(site=site).user)


def test_anonymous_people_are_sent_to_sign_in(client, award):
    for name in ("grants:award", "grants:award_agreement"):
        response = client.get(reverse(name, args=[award.pk]))
        assert response.status_code == 302 and "login" in response["Location"]
    response = client.post(reverse("grants:award_accept", args=[award.pk]), {})
    assert response.status_code == 302 and "login" in response["Location"]


# --- Accepting --------------------------------------------------------------------------------


def test_accepting_signs_makes_the_tranches_and_a_second_click_changes_nothing(client, award):
    client.force_login(award.application.participant.user)
    url = reverse("grants:award_accept", args=[award.pk])
    fingerprint = agreement_sha256(_fresh(award))

    wrong = client.post(
        url, {"signed_name": "Mario Rossi", "accept": "on", "fingerprint": fingerprint}
    )
    assert wrong.status_code == 400
    text = page_text(wrong)
    assert (
        italian(
            "Type your full name as the agreement names you: %(name)s. If it is "
            "wrong, write to the programme before signing.",
            name=signing_name(award),
        )
        in text
    )
    assert 'value="Mario Rossi"' in text  # kept as typed
    unticked = client.post(
        url, {"signed_name": signing_name(award), "accept": "", "fingerprint": fingerprint}
    )
    assert unticked.status_code == 400
    assert italian("Tick “I accept” to accept the agreement.") in page_text(unticked)
    assert _fresh(award).status == Award.Status.OFFERED and not Tranche.objects.exists()

    # The name typed in other capitals and spaces is the same name.
    typed = "  " + signing_name(award).upper().replace(" ", "   ") + " "
    data = {"signed_name": typed, "accept": "on", "fingerprint": fingerprint}
    assert client.post(url, data).status_code == 302
    again = client.post(url, data, follow=True)
    assert italian("You had already accepted this agreement.") in page_text(again)

    signed = _fresh(award)
    assert signed.status == Award.Status.ACCEPTED and signed.signed_at is not None
    assert signed.agreement_sha256 == fingerprint
    assert " ".join(typed.split()) == signed.signed_name
    tranches = list(signed.tranches.order_by("number"))
    assert [(t.amount, t.status) for t in tranches] == [
        (Decimal("3150.00"), Tranche.Status.DUE),
        (Decimal("1350.00"), Tranche.Status.WAITING),
    ]
    assert GrantLogEntry.objects.filter(action="grants.award_accept").count() == 1
    with translation.override("it"):
        when = formats.date_format(timezone.localtime(signed.signed_at), "DATETIME_FORMAT")
    assert italian(
        "You accepted the agreement on %(when)s, signed as %(name)s.",
        when=when,
        name=signed.signed_name,
    ) in page_text(client.get(reverse("grants:award", args=[award.pk])))


def test_a_page_opened_before_the_terms_changed_cannot_sign(client, award):
    client.force_login(award.application.participant.user)
    old = agreement_sha256(_fresh(award))
    Award.objects.filter(pk=award.pk).update(amount=Decimal("4000"))
    response = client.post(
        reverse("grants:award_accept", args=[award.pk]),
        {"signed_name": signing_name(award), "accept": "on", "fingerprint": old},
    )
    assert response.status_code == 400
    assert italian(
        "The agreement has changed since you opened this page. Read it again "
        "(download it once more) and then sign."
    ) in page_text(response)
    assert _fresh(award).status == Award.Status.OFFERED


def test_declining_gives_the_budget_back_and_the_award_can_no_longer_be_accepted(client, award):
    call = award.application.call
    client.force_login(award.application.participant.user)
    url = reverse("grants:award_decline", args=[award.pk])
    unticked = client.post(url, {})
    assert unticked.status_code == 400
    assert italian("Tick the box to decline the grant.") in page_text(unticked)
    assert committed(call) == Decimal("4500")
    assert client.post(url, {"confirm": "on"}).status_code == 302
    again = client.post(url, {"confirm": "on"}, follow=True)
    assert italian("You had already declined this grant.") in page_text(again)
    assert _fresh(award).status == Award.Status.DECLINED and committed(call) == 0
    response = client.post(
        reverse("grants:award_accept", args=[award.pk]),
        {
            "signed_name": signing_name(award),
            "accept": "on",
            "fingerprint": agreement_sha256(_fresh(award)),
        },
    )
    with translation.override("it"):
        declined = _fresh(award).get_status_display().lower()
    assert response.status_code == 400
    assert italian(
        "This award is %(status)s: it can no longer be accepted.", status=declined
    ) in page_text(response)
    assert GrantLogEntry.objects.filter(action="grants.award_decline").count() == 1


def test_the_service_accepts_once_under_a_double_call(award):
    user = award.application.participant.user
    fingerprint = agreement_sha256(_fresh(award))
    _a, first = award_accept(
        award=award, signed_name=signing_name(award), fingerprint=fingerprint, by=user
    )
    _b, second = award_accept(
        award=award, signed_name=signing_name(award), fingerprint=fingerprint, by=user
    )
    assert first and not second
    assert Tranche.objects.filter(award=award).count() == 2


def test_an_award_made_by_the_service_is_offered_on_the_page(client, site):
    call = make_call(site=site)
    coordinator = make_staff("Coordinator", site=site)
    application = make_application(call=call, submitted=True)
    for _ in range(2):
        evaluate(application, make_staff("Evaluator", site=site), (8, 5), by=coordinator)
    award, _created = award_grant(application=application, amount=Decimal("5000"), by=coordinator)
    sign_in(client, application.participant.user)
    page = page_text(client.get(reverse("grants:award", args=[award.pk])))
    assert italian("Sign and accept") in page and "5.000,00 €" in page
