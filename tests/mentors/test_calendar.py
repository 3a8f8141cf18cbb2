"""Sessions in calendars: the .ics invitation parses with icalendar and carries Europe/Rome;
only the session's two people download it; the private feed lists the person's own sessions
with no personal data beyond the other's first name; a revoked feed answers 404."""

import icalendar
import pytest

from mentors.models import CalendarFeed, Session
from mentors.services import matches as match_services
from mentors.services import sessions as services
from tests.factories import UserFactory
from tests.mentors.factories import make_match
from tests.mentors.session_factories import NOW, at, make_pair, session_at

pytestmark = pytest.mark.django_db


def _parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def test_the_invitation_parses_and_carries_europe_rome(client, site):
    match = make_pair()
    session = session_at(match, at(2027, 3, 31, 17))  # summer time: 15:00 UTC
    Session.objects.filter(pk=session.pk).update(sequence=3)
    client.force_login(match.participant.user)
    calendar = _parse(client.get(f"/en/mentoring/sessions/{session.pk}/invite.ics"))
    assert calendar["METHOD"] == "REQUEST"
    [zone] = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Rome"
    [event] = calendar.walk("VEVENT")
    start = event.decoded("DTSTART")
    assert (str(start.tzinfo), start.hour, start.utcoffset().total_seconds()) == (
        "Europe/Rome",
        17,
        7200,
    )
    assert event["DTSTART"].params["TZID"] == "Europe/Rome"
    assert event.decoded("DTEND") - start == at(2027, 3, 31, 18) - at(2027, 3, 31, 17)
    assert event["SEQUENCE"] == 3 and event["STATUS"] == "CONFIRMED"
    assert event["LOCATION"] == "https://meet.example.org/x"
    assert str(event["SUMMARY"]) == "Mentoring with Marta"
    uid = str(event["UID"])

    services.session_cancel(session=session, by=match.mentor.user, reason="Ill", now=NOW)
    cancelled = _parse(client.get(f"/en/mentoring/sessions/{session.pk}/invite.ics"))
    [event] = cancelled.walk("VEVENT")
    assert cancelled["METHOD"] == "CANCEL"
    assert (str(event["UID"]), event["SEQUENCE"], event["STATUS"]) == (uid, 4, "CANCELLED")


def test_another_person_cannot_download_an_invitation(client, site):
    match = make_pair()
    session = session_at(match, at(2027, 3, 31, 17))
    url = f"/en/mentoring/sessions/{session.pk}/invite.ics"
    for outsider in (UserFactory(), make_match(mentor=match.mentor).participant.user):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.force_login(match.mentor.user)
    assert client.get(url).status_code == 200
    match_services.match_end(match=match, by=match.participant.user, reason="Done")
    assert client.get(url).status_code == 404  # the ended match's mentor: no more
    client.logout()
    assert client.get(url).status_code == 302  # to sign in


def _feed_url(client, user) -> str:
    client.force_login(user)
    assert client.post("/en/mentoring/calendar/", {"action": "create"}).status_code == 302
    token = CalendarFeed.objects.get(user=user).token
    html = client.get("/en/mentoring/calendar/").content.decode()
    url = f"/en/mentoring/calendar/{token}.ics"
    assert f"http://testserver{url}" in html
    client.logout()
    return url


def test_the_feed_lists_my_sessions_only_and_no_personal_data(client, site):
    match = make_pair()
    second = make_match(mentor=match.mentor)
    mine = [
        session_at(match, at(2027, 3, 24, 17)),
        session_at(second, at(2027, 3, 31, 17), status=Session.Status.CANCELLED),
    ]
    elsewhere = session_at(make_pair(), at(2027, 3, 24, 17))
    url = _feed_url(client, match.mentor.user)
    body = client.get(url).content  # no sign-in: the token is the key
    calendar = _parse(client.get(url))
    events = calendar.walk("VEVENT")
    assert sorted(str(e["UID"]).split("@")[0] for e in events) == sorted(
        f"mentoring-session-{s.pk}" for s in mine
    )
    assert f"mentoring-session-{elsewhere.pk}@".encode() not in body
    assert {e["STATUS"] for e in events} == {"CONFIRMED", "CANCELLED"}
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Rome"
    people = [match.participant.user, second.participant.user]
    for person in people:
        assert person.email.encode() not in body
        assert person.last_name.encode() not in body
    assert match.mentor.user.email.encode() not in body
    assert {str(e["SUMMARY"]) for e in events} == {
        f"Mentoring with {second.participant.greeting_name}",
        "Mentoring with Paolo",
    }

    # The participant's own feed has their session only, named by the mentor's first name.
    participant_url = _feed_url(client, match.participant.user)
    [event] = _parse(client.get(participant_url)).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Mentoring with Marta"


def test_a_revoked_feed_answers_404_and_a_new_one_has_a_new_token(client, site):
    match = make_pair()
    session_at(match, at(2027, 3, 24, 17))
    url = _feed_url(client, match.participant.user)
    assert client.get(url).status_code == 200
    client.force_login(match.participant.user)
    client.post("/en/mentoring/calendar/", {"action": "create"})  # a second click: same URL
    assert CalendarFeed.objects.get().token in url
    assert client.post("/en/mentoring/calendar/", {"action": "revoke"}).status_code == 302
    client.logout()
    assert client.get(url).status_code == 404
    assert client.get("/en/mentoring/calendar/not-a-token.ics").status_code == 404
    new_url = _feed_url(client, match.participant.user)
    assert new_url != url and client.get(new_url).status_code == 200
    assert client.get(url).status_code == 404
