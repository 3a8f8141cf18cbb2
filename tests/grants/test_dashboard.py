""" "My grants": the beneficiary sees each of their awards with its figures, its tranches in
plain words, the way to their payout account and their expense reports; nobody else sees
any of it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from coaching.grants.models import ExpenseReport
from tests.coaching.factories import make_participant, sign_in
from tests.grants.factories import make_application, make_award, make_call, make_staff, pay_first

pytestmark = pytest.mark.django_db

URL = "grants:my_grants"


@pytest.fixture
def award(site):
    return make_award(call=make_call(site=site), amount="5000.00")


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def payouts_link() -> str:
    with translation.override("it"):
        return reverse("grants:payouts")


def test_the_beneficiary_sees_figures_tranches_and_reports(client, award):
    pay_first(award)
    ExpenseReport.objects.create(award=award)
    client.force_login(award.application.participant.user)
    response = client.get(reverse(URL))
    assert response.status_code == 200
    html = _main(response)
    assert "Bando microcredito 2027" in html
    # The page is in Italian: amounts as Italians write them, states in Italian words.
    assert "5.000,00 €" in html
    assert "3.500,00 €" in html and "1.500,00 €" in html  # paid, and still to be paid
    with translation.override("it"):
        assert translation.gettext("Paid.") in html
    assert "condition" not in html  # states in words, not codes
    assert payouts_link() in html
    assert reverse("grants:expense_report", args=[award.pk]) in html


def test_the_page_makes_a_fixed_number_of_queries(client, site, award):
    participant = award.application.participant
    client.force_login(participant.user)
    client.get(reverse(URL))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse(URL))
    second_call = make_call(site=site, slug="bando-bis", title="Bando bis")
    make_award(
        application=make_application(call=second_call, participant=participant, submitted=True)
    )
    with CaptureQueriesContext(connection) as two:
        client.get(reverse(URL))
    assert len(two) == len(one)


def test_another_participant_sees_none_of_it(client, site, award):
    stranger = make_participant(site=site, status="eligible").user
    client.force_login(stranger)
    html = _main(client.get(reverse(URL)))
    assert "Bando microcredito 2027" not in html
    assert reverse("grants:expense_report", args=[award.pk]) not in html


def test_staff_see_no_ones_grants_there(client, site, award):
    sign_in(client, make_staff("Coordinator", site=site))
    response = client.get(reverse(URL))
    assert response.status_code == 200
    assert "Bando microcredito 2027" not in _main(response)


def test_anonymous_people_are_sent_to_sign_in(client, award):
    response = client.get(reverse(URL))
    assert response.status_code == 302 and "login" in response["Location"]
