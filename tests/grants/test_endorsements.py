"""The mentor's endorsement: the applicant asks their mentor now (once), the mentor sees only
the call's title, the applicant's first name and their own text box, never the application,
and gives it once. Another mentor, a former mentor, the applicant and anonymous people get
nothing."""

import html
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext
from wagtail.log_actions import registry as log_registry

from coaching.grants.models import Endorsement, GrantApplication
from mentors.models import Match
from tests.coaching.factories import make_participant, sign_in
from tests.grants.factories import make_application, make_call, make_staff
from tests.mentors.factories import make_match

pytestmark = pytest.mark.django_db

SUMMARY = "Forno segreto con ricetta della nonna"


def _client(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


@pytest.fixture
def matched(site):
    """An applicant (Giulia) with an accepted mentor and a draft with a summary and amount
    the mentor must never read."""
    participant = make_participant(site=site, status="eligible")
    participant.user.first_name = "Giulia"
    participant.user.last_name = "Bianchi"
    participant.user.save(update_fields=["first_name", "last_name"])
    match = make_match(participant=participant, site=site)
    application = make_application(call=make_call(site=site), participant=participant)
    GrantApplication.objects.filter(pk=application.pk).update(
        project_summary=SUMMARY, requested_amount=Decimal("4321.00")
    )
    application.refresh_from_db()
    return application, match.mentor.user


def _ask(application):
    return _client(application.participant.user).post(
        f"/it/grants/applications/{application.pk}/endorsement/"
    )


def _actions(application):
    return list(log_registry.get_logs_for_instance(application).values_list("action", flat=True))


def test_the_applicant_asks_their_mentor_once_and_the_mentor_is_told(
    matched, django_capture_on_commit_callbacks
):
    application, mentor = matched
    with django_capture_on_commit_callbacks(execute=True):
        assert _ask(application).status_code == 302
        assert _ask(application).status_code == 302
    endorsement = Endorsement.objects.get()
    assert (endorsement.application, endorsement.mentor, endorsement.given_at) == (
        application,
        mentor,
        None,
    )
    assert [message.to for message in mail.outbox] == [[mentor.email]]
    assert "Giulia" in mail.outbox[0].subject
    assert SUMMARY not in mail.outbox[0].body and "Bianchi" not in mail.outbox[0].body
    assert _actions(application).count("grants.endorsement_request") == 1


def test_without_a_mentor_nobody_is_asked(site):
    application = make_application(call=make_call(site=site))
    response = _ask(application)
    assert response.status_code == 302
    assert not Endorsement.objects.exists()
    page = _client(application.participant.user).get(response["Location"]).content.decode()
    with translation.override("it"):
        reason = gettext("You have no mentor now, so there is nobody to ask for an endorsement.")
    assert reason in html.unescape(page)


def test_the_mentor_sees_the_call_and_first_name_only_and_gives_it_once(matched):
    application, mentor = matched
    _ask(application)
    endorsement = Endorsement.objects.get()
    client = _client(mentor)
    listing = client.get("/it/grants/endorsements/").content.decode()
    page = client.get(f"/it/grants/endorsements/{endorsement.pk}/").content.decode()
    for shown in (listing, page):
        assert application.call.title in shown
        assert "Giulia" in shown
        for secret in (SUMMARY, "Bianchi", application.reference, "4321", "Forno e banco"):
            assert secret not in shown
    assert 'name="text"' in page

    url = f"/it/grants/endorsements/{endorsement.pk}/"
    assert client.post(url, {"text": ""}).status_code == 400
    assert client.post(url, {"text": "Giulia ha lavorato con costanza."}).status_code == 302
    assert client.post(url, {"text": "Un altro testo"}).status_code == 302
    endorsement.refresh_from_db()
    assert endorsement.text == "Giulia ha lavorato con costanza."
    assert endorsement.given_at is not None
    assert _actions(application).count("grants.endorsement_give") == 1
    assert 'name="text"' not in client.get(url).content.decode()


def test_another_mentor_the_applicant_staff_and_anonymous_cannot(matched, site):
    application, _mentor = matched
    _ask(application)
    endorsement = Endorsement.objects.get()
    url = f"/it/grants/endorsements/{endorsement.pk}/"
    others = [
        make_match(site=site).mentor.user,
        application.participant.user,
        make_staff("Coordinator", site=site),
        make_staff("Editor", site=site),
    ]
    for user in others:
        client = _client(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"text": "Non mio"}).status_code == 404
        assert application.call.title not in client.get("/it/grants/endorsements/").content.decode()
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/account/login/" in anonymous["Location"]
    endorsement.refresh_from_db()
    assert endorsement.given_at is None and endorsement.text == ""


def test_a_mentor_whose_match_ended_can_no_longer_give_it(matched):
    application, mentor = matched
    _ask(application)
    endorsement = Endorsement.objects.get()
    Match.objects.filter(mentor__user=mentor).update(status=Match.Status.ENDED)
    response = _client(mentor).post(
        f"/it/grants/endorsements/{endorsement.pk}/", {"text": "Troppo tardi"}
    )
    assert response.status_code == 400
    endorsement.refresh_from_db()
    assert endorsement.given_at is None


def test_a_withdrawn_application_takes_no_endorsement(matched):
    application, mentor = matched
    _ask(application)
    endorsement = Endorsement.objects.get()
    GrantApplication.objects.filter(pk=application.pk).update(
        status=GrantApplication.Status.WITHDRAWN
    )
    client = _client(mentor)
    url = f"/it/grants/endorsements/{endorsement.pk}/"
    assert 'name="text"' not in client.get(url).content.decode()
    client.post(url, {"text": "Dopo il ritiro"})
    endorsement.refresh_from_db()
    assert endorsement.given_at is None


def test_only_the_applicant_asks(matched, site):
    application, mentor = matched
    for user in (make_participant(site=site, status="eligible").user, mentor):
        response = _client(user).post(f"/it/grants/applications/{application.pk}/endorsement/")
        assert response.status_code == 404
    assert not Endorsement.objects.exists()
