"""Asking to be erased: a confirmation page first, one request per ask, withdrawable until a
coordinator acts, and only ever the person's own."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail import hooks

from coaching import services
from coaching.models import ErasureRequest, Participant
from coaching.personal_data import HOOK_NAME
from tests.coaching.factories import make_participant

pytestmark = pytest.mark.django_db

URL = "/it/path/erasure/"
WITHDRAW = "/it/path/erasure/withdraw/"


def _requests(person):
    return list(ErasureRequest.objects.filter(participant=person).values_list("status", flat=True))


def test_the_dashboard_links_to_a_confirmation_that_files_nothing(client, site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    client.force_login(person.user)
    dashboard = client.get("/it/path/dashboard/").content.decode()
    assert f'href="{URL}"' in dashboard
    assert f'action="{URL}"' not in dashboard  # no one-tap form any more

    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Chiedi di cancellare i miei dati</h1>" in html
    assert "Cosa viene cancellato" in html and "Cosa viene conservato, e perché" in html
    # What is kept says why: the ESF+ audit and the access log.
    assert "Regolamento UE 2021/1060, articolo 82" in html
    assert "Il registro degli accessi e la traccia della cancellazione" in html
    assert "GDPR art. 5, par. 2" in html
    # The library's plan is walked through the registry too.
    assert "Attestati: corso e data" in html
    assert "Sì, chiedo di cancellare i miei dati" in html
    assert _requests(person) == []
    assert Participant.objects.get(pk=person.pk).erasure_requested_at is None


def test_the_confirmation_page_is_in_english_on_the_english_site(client, site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    client.force_login(person.user)
    html = client.get("/en/path/erasure/").content.decode()
    assert "<h1>Ask to delete my data</h1>" in html
    assert "What is kept, and why" in html
    assert "Yes, ask to delete my data" in html
    assert "Cosa viene" not in html


def test_confirming_twice_files_one_request(client, site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    client.force_login(person.user)
    first = client.post(URL)
    assert first.status_code == 302 and first["Location"] == URL
    when = Participant.objects.get(pk=person.pk).erasure_requested_at
    assert when is not None
    assert client.post(URL).status_code == 302  # a double submit
    assert _requests(person) == ["requested"]
    assert Participant.objects.get(pk=person.pk).erasure_requested_at == when
    page = client.get(URL).content.decode()
    assert "Ritira la mia richiesta" in page
    assert "Abbiamo ricevuto la tua richiesta" in page


def test_the_person_withdraws_until_a_coordinator_acts(client, site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    client.force_login(person.user)
    client.post(URL)
    response = client.post(WITHDRAW)
    assert response.status_code == 302 and response["Location"] == URL
    assert _requests(person) == ["withdrawn"]
    assert Participant.objects.get(pk=person.pk).erasure_requested_at is None
    assert "Hai ritirato la richiesta" in client.get(URL).content.decode()
    client.post(WITHDRAW)  # a double submit changes nothing
    assert _requests(person) == ["withdrawn"]
    # Withdrawn, the request no longer allows a coordinator to erase without a reason.
    with pytest.raises(ValidationError):
        services.participant_erase(participant=person, by=site_coordinator)

    # Asked again, then carried out: the request is done and can no longer be taken back.
    client.post(URL)
    assert sorted(_requests(person)) == ["requested", "withdrawn"]
    services.participant_erase(participant=person, by=site_coordinator)
    assert sorted(_requests(person)) == ["done", "withdrawn"]
    with pytest.raises(ValidationError) as refused:
        services.participant_withdraw_erasure(participant=person)
    assert refused.value.code == "already_erased"
    assert sorted(_requests(person)) == ["done", "withdrawn"]


def test_after_erasure_the_page_says_so_and_offers_nothing(client, site_coordinator, other_site):
    person = make_participant(status="eligible", by=site_coordinator)
    # A participation elsewhere keeps the account open, so the person can still sign in.
    make_participant(user=person.user, site=other_site)
    services.participant_request_erasure(participant=person)
    services.participant_erase(participant=person, by=site_coordinator)
    client.force_login(person.user)
    html = client.get(URL).content.decode()
    assert "I tuoi dati in questo programma sono stati cancellati il" in html
    assert "Ritira la mia richiesta" not in html and "Sì, chiedo" not in html
    response = client.post(WITHDRAW, follow=True)
    assert "la richiesta non si può più ritirare" in response.content.decode()


def test_another_participant_can_neither_see_nor_withdraw_the_request(client, site_coordinator):
    owner = make_participant(status="eligible", by=site_coordinator)
    other = make_participant(status="eligible", by=site_coordinator)
    client.force_login(owner.user)
    client.post(URL)
    asked = Participant.objects.get(pk=owner.pk).erasure_requested_at

    client.force_login(other.user)
    page = client.get(URL).content.decode()
    assert "Ritira la mia richiesta" not in page and "Sì, chiedo" in page
    client.post(WITHDRAW)
    assert _requests(owner) == ["requested"]
    assert Participant.objects.get(pk=owner.pk).erasure_requested_at == asked
    assert _requests(other) == []


def test_without_a_participation_or_signed_in_there_is_nothing_to_ask(client, user):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    client.force_login(user)
    assert client.get(URL).status_code == 404
    assert client.post(WITHDRAW).status_code == 404


def test_an_app_s_erasure_plan_is_shown_before_the_request(client, site_coordinator):
    class Bookings:
        key = "bookings"

        def export(self, *, user, by):
            return []

        def erase(self, *, user, by, reason, now):
            return self.erasure_plan(user=user)

        def erasure_plan(self, *, user):
            return [
                {"action": "deleted", "what": "Booked appointments"},
                {"action": "kept", "what": "Invoices", "why": "Tax law: ten years"},
            ]

    person = make_participant(status="eligible", by=site_coordinator)
    client.force_login(person.user)
    with hooks.register_temporarily(HOOK_NAME, Bookings):
        html = client.get(URL).content.decode()
    assert "Booked appointments" in html
    assert "<dt>Invoices</dt><dd>Tax law: ten years</dd>" in html


def test_asking_again_after_erasure_says_it_is_done_not_received(
    client, site_coordinator, other_site
):
    person = make_participant(status="eligible", by=site_coordinator)
    make_participant(user=person.user, site=other_site)
    services.participant_request_erasure(participant=person)
    services.participant_erase(participant=person, by=site_coordinator)
    client.force_login(person.user)

    page = client.post(URL, follow=True).content.decode()

    assert "I tuoi dati su questo percorso sono già stati cancellati." in page
    assert "Abbiamo ricevuto la tua richiesta" not in page
