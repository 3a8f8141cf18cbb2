"""The coordinator's list of requests to change mentor in the Wagtail admin: their sites only,
each handled once."""

import pytest

from coaching.models import AccessLog
from mentors.models import ChangeRequest, Match
from mentors.services import requests
from tests.coaching.factories import assign, make_participant, sign_in
from tests.mentors.factories import make_match

pytestmark = pytest.mark.django_db
URL = "/admin/mentoring/change-requests/"


def _request(site=None, reason="Non ci capiamo"):
    match = make_match(site=site, participant=make_participant(site=site, status="eligible"))
    return requests.change_request_create(
        participant=match.participant, by=match.participant.user, reason=reason
    )


def test_coordinators_see_the_requests_of_their_sites_only(
    client, site, other_site, coordinator, user_with_role
):
    ours = _request(reason="Orari impossibili")
    theirs = _request(site=other_site, reason="Troppo lontano")
    sign_in(client, coordinator)
    html = client.get(URL).content.decode()
    assert "Orari impossibili" in html and "Troppo lontano" not in html
    assert AccessLog.objects.filter(
        actor=coordinator, participant=ours.participant, details__page="change_requests"
    ).exists()
    # Another site's request cannot be handled from here.
    client.post(URL, {"request": theirs.pk, "end_match": "on"})
    theirs.refresh_from_db()
    assert theirs.status == ChangeRequest.Status.OPEN
    assert theirs.match.status == Match.Status.ACCEPTED


def test_handling_from_the_list_ends_the_match_once(client, site, coordinator):
    change = _request()
    sign_in(client, coordinator)
    assert client.post(URL, {"request": change.pk, "end_match": "on"}).status_code == 302
    assert client.post(URL, {"request": change.pk, "end_match": "on"}).status_code == 302
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.DONE
    assert change.match.status == Match.Status.ENDED
    assert change.match.events.filter(status="ended").count() == 1
    assert "Orari" not in client.get(URL).content.decode()


def test_people_who_are_not_coordinators_are_kept_out(client, site, editor, user_with_role):
    _request()
    # An editor reaches the admin but not this page; a mentor not even the admin.
    mentor = assign(user_with_role("Mentor", is_staff=True), site)
    for user, sent_to in ((editor, "/admin/"), (mentor, "/it/account/profile/")):
        sign_in(client, user)
        response = client.get(URL)
        assert response.status_code == 302 and response["Location"] == sent_to
        assert "Non ci capiamo" not in client.get(URL, follow=True).content.decode()
