"""The people's side of a match: the mentor answers, the participant sees their mentor and
asks for a change or for a previous mentor again, either ends the match. Each page acts only
on the signed-in person's own records; a second click changes nothing more; each notice
leaves once."""

import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import translation
from PIL import Image

from coaching import services as coaching_services
from coaching.models import AccessLog, Notification, Participant
from mentors import selectors
from mentors.models import ChangeRequest, Match
from mentors.services import matches, requests
from tests.coaching.factories import assign, make_participant
from tests.mentors.factories import make_match, make_mentor

pytestmark = pytest.mark.django_db

#: What matching stores on a proposal (``mentors.services.matching.terms_json``).
TERMS = [
    {"code": "language", "value": 1.0, "weight": 1.0, "contribution": 1.0, "facts": ["ar"]},
    {"code": "sector", "value": 1.0, "weight": 2.0, "contribution": 2.0, "facts": ["food"]},
]
#: Words of the special categories' labels, as whole words: "rom" inside a random name
#: ("Romano", "Girometta") or a town ("Roma") is not the category "Rom".
SPECIAL_MARKERS = (r"\brom\b", r"\bsinti\b", "camminanti", "disab")


def _english(user):
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    return user


def _person(**kwargs):
    person = make_participant(status="eligible", **kwargs)
    Participant.objects.filter(pk=person.pk).update(
        preferred_languages=["ar", "fr"], meeting_modes=["remote"], availability=["1-morning"]
    )
    person.refresh_from_db()
    return person


def _offer(coordinator, capture, *, mentor=None, person=None):
    """A match proposed with reasons and confirmed by the coordinator (notices sent)."""
    mentor = mentor or make_mentor()
    person = person or _person()
    with capture(execute=True):
        match = matches.match_propose(
            participant=person, mentor=mentor, by=coordinator, score=3.0, terms=TERMS
        )
        match = matches.match_confirm(match=match, by=coordinator)
    return match


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "orange").save(buffer, "PNG")
    return buffer.getvalue()


def _url(match):
    return f"/en/mentoring/requests/{match.pk}/"


# --- The mentor's answer ---------------------------------------------------------------------


def test_the_mentor_is_told_once_of_a_confirmed_match(
    site, coordinator, user_with_role, mailoutbox, django_capture_on_commit_callbacks
):
    mentor = make_mentor(
        user=user_with_role("Mentor", email="mentor-en@example.org", preferred_language="en")
    )
    match = _offer(coordinator, django_capture_on_commit_callbacks, mentor=mentor)
    assert [m.to for m in mailoutbox] == [["mentor-en@example.org"]]
    assert mailoutbox[0].subject == "A participant is waiting for your answer"
    assert f"/en/mentoring/requests/{match.pk}/" in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        matches.match_confirm(match=match, by=coordinator)  # a second click
    assert len(mailoutbox) == 1


def test_the_respond_page_shows_what_is_shared_and_why(
    client, site, coordinator, django_capture_on_commit_callbacks
):
    match = _offer(coordinator, django_capture_on_commit_callbacks)
    person = match.participant
    coaching_services.intake_save_step(
        participant=person,
        step="special",
        data={"disability": "yes", "minority": "roma_sinti_camminanti"},
        by=person.user,
    )
    client.force_login(match.mentor.user)
    html = client.get(_url(match)).content.decode()
    with translation.override("en"):
        sector = str(person.get_idea_sector_display())
    assert person.greeting_name in html
    assert "speaks Arabic" in html  # the reason of the score's language term
    assert sector in html and "Arabic" in html and "Online" in html and "Tuesday" in html
    assert person.user.last_name not in html and person.user.email not in html
    visible = html.lower().replace(person.greeting_name.lower(), "")
    assert not [marker for marker in SPECIAL_MARKERS if re.search(marker, visible)]
    assert AccessLog.objects.filter(
        actor=match.mentor.user, participant=person, details__page="match_respond"
    ).exists()

    # Without the consent to share: the first name, languages, modes and availability only.
    coaching_services.consent_record(
        participant=person, kind="share_with_mentor", granted=False, by=person.user
    )
    html = client.get(_url(match)).content.decode()
    assert sector not in html
    assert person.greeting_name in html and "Arabic" in html and "Tuesday" in html


def test_nobody_else_sees_or_answers_the_offer(
    client, site, coordinator, participant, django_capture_on_commit_callbacks
):
    match = _offer(coordinator, django_capture_on_commit_callbacks)
    for intruder in (make_mentor().user, match.participant.user, participant):
        client.force_login(intruder)
        assert client.get(_url(match)).status_code == 404
        assert client.post(_url(match), {"decision": "accept"}).status_code == 404
    match.refresh_from_db()
    assert match.status == Match.Status.CONFIRMED
    # A proposal the coordinator has not confirmed is not the mentor's to see yet.
    proposal = make_match(status=Match.Status.PROPOSED)
    client.force_login(proposal.mentor.user)
    assert client.get(_url(proposal)).status_code == 404


def test_accepting_twice_accepts_once_and_tells_the_participant_once(
    client, site, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    match = _offer(coordinator, django_capture_on_commit_callbacks)
    person = match.participant
    _english(person.user)
    mailoutbox.clear()
    client.force_login(match.mentor.user)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(_url(match), {"decision": "accept"})
        second = client.post(_url(match), {"decision": "accept"})
    assert first.status_code == 302 and first["Location"].endswith(f"/mentees/{person.pk}/")
    assert second.status_code == 302 and second["Location"].endswith("/mentoring/")
    match.refresh_from_db()
    assert match.status == Match.Status.ACCEPTED
    assert match.events.filter(status="accepted").count() == 1
    assert [m.to for m in mailoutbox] == [[person.user.email]]
    assert mailoutbox[0].subject == "You have a mentor"
    assert "/en/mentoring/my-mentor/" in mailoutbox[0].body
    assert Notification.objects.filter(participant=person, subject="You have a mentor").count() == 1


def test_declining_needs_a_reason_and_tells_the_coordinators_once(
    client,
    site,
    other_site,
    coordinator,
    user_with_role,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    # Only the coordinators of the participant's site hear of it.
    assign(user_with_role("Coordinator", is_staff=True), other_site)
    match = _offer(coordinator, django_capture_on_commit_callbacks)
    mailoutbox.clear()
    client.force_login(match.mentor.user)
    response = client.post(_url(match), {"decision": "decline", "reason": "  "})
    assert response.status_code == 400
    assert "Say why" in response.content.decode()
    match.refresh_from_db()
    assert match.status == Match.Status.CONFIRMED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(match), {"decision": "decline", "reason": "Too far for me"})
        client.post(_url(match), {"decision": "decline", "reason": "Too far for me"})
    match.refresh_from_db()
    assert match.status == Match.Status.DECLINED and match.end_reason == "Too far for me"
    assert match.events.filter(status="declined").count() == 1
    assert [m.to for m in mailoutbox] == [[coordinator.email]]
    assert match.participant.reference in mailoutbox[0].subject
    assert selectors.open_match_of(match.participant) is None  # back in the pool


# --- The participant's mentor -----------------------------------------------------------------


def test_my_mentor_shows_the_mentor_once_they_accepted(
    client, site, private_storage_root, django_capture_on_commit_callbacks, coordinator
):
    mentor = make_mentor(
        bio="Ho aperto un forno nel 2015.",
        organisation="Forno Sociale",
        languages=["it", "ar"],
        photo_alt="Lea sorride davanti al forno",
    )
    mentor.photo = SimpleUploadedFile("lea.png", _png(), "image/png")
    mentor.save()
    match = _offer(coordinator, django_capture_on_commit_callbacks, mentor=mentor)
    client.force_login(match.participant.user)
    html = client.get("/en/mentoring/my-mentor/").content.decode()
    assert str(mentor) not in html  # not before they accept
    assert "A mentor has been asked" in html
    matches.match_accept(match=match, by=mentor.user)
    html = client.get("/en/mentoring/my-mentor/").content.decode()
    assert str(mentor) in html and "Forno Sociale" in html and "Ho aperto un forno" in html
    assert 'alt="Lea sorride davanti al forno"' in html
    assert "Arabic" in html and "Volunteer" in html
    assert f"/en/mentoring/matches/{match.pk}/end/" in html


def test_my_mentor_is_only_for_participants(client, site, mentor):
    client.force_login(mentor)
    assert client.get("/en/mentoring/my-mentor/").status_code == 404


def test_asking_to_change_twice_makes_one_request_and_one_notice(
    client, site, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    match = make_match()
    client.force_login(match.participant.user)
    data = {"action": "change", "change-reason": "We never find a time"}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/en/mentoring/my-mentor/", data).status_code == 302
        assert client.post("/en/mentoring/my-mentor/", data).status_code == 302
    change = ChangeRequest.objects.get(participant=match.participant)
    assert change.status == ChangeRequest.Status.OPEN and change.match == match
    assert [m.to for m in mailoutbox] == [[coordinator.email]]
    html = client.get("/en/mentoring/my-mentor/").content.decode()
    assert "you asked for another mentor" in html
    # Something else while one waits: refused, with the reason kept in the form.
    response = client.post(
        "/en/mentoring/my-mentor/", {"action": "change", "change-reason": "Another reason"}
    )
    assert response.status_code == 400
    assert "withdraw it first" in response.content.decode()
    assert ChangeRequest.objects.filter(participant=match.participant).count() == 1


def test_a_reason_is_needed_and_nothing_is_stored_without(client, site):
    match = make_match()
    client.force_login(match.participant.user)
    response = client.post("/en/mentoring/my-mentor/", {"action": "change", "change-reason": ""})
    assert response.status_code == 400
    assert "Say why" in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_withdrawing_is_the_owners_alone(client, site, participant):
    match = make_match()
    change = requests.change_request_create(
        participant=match.participant, by=match.participant.user, reason="Troppo lontano"
    )
    other = make_participant(user=participant, status="eligible")
    client.force_login(other.user)
    client.post("/en/mentoring/my-mentor/", {"action": "withdraw"})
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.OPEN
    client.force_login(match.participant.user)
    client.post("/en/mentoring/my-mentor/", {"action": "withdraw"})
    client.post("/en/mentoring/my-mentor/", {"action": "withdraw"})
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.WITHDRAWN
    assert change.handled_by == match.participant.user


def _with_past_mentor():
    """A participant whose first mentor ended, now with a second one."""
    person = make_participant(status="eligible")
    before = make_match(participant=person, status=Match.Status.ACCEPTED)
    matches.match_end(match=before, by=person.user, reason="Moved to another city")
    now = make_match(participant=person)
    return person, before.mentor, now


def test_asking_for_a_previous_mentor_offers_only_the_persons_own(client, site):
    person, previous, current = _with_past_mentor()
    stranger = make_mentor()
    client.force_login(person.user)
    html = client.get("/en/mentoring/my-mentor/").content.decode()
    assert str(previous) in html and str(stranger) not in html
    response = client.post(
        "/en/mentoring/my-mentor/",
        {"action": "again", "again-wanted_mentor": stranger.pk, "again-reason": "Mi piaceva"},
    )
    assert response.status_code == 400
    assert not ChangeRequest.objects.exists()
    with pytest.raises(ValidationError):
        requests.change_request_create(
            participant=person, by=person.user, reason="Mi piaceva", wanted_mentor=stranger
        )
    # The current mentor is no "previous" one to ask for.
    with pytest.raises(ValidationError):
        requests.change_request_create(
            participant=person, by=person.user, reason="x", wanted_mentor=current.mentor
        )
    response = client.post(
        "/en/mentoring/my-mentor/",
        {"action": "again", "again-wanted_mentor": previous.pk, "again-reason": "Mi piaceva"},
    )
    assert response.status_code == 302
    change = ChangeRequest.objects.get(participant=person)
    assert change.wanted_mentor == previous and change.match == current
    html = client.get("/en/mentoring/my-mentor/").content.decode()
    assert "My past mentors" in html and str(previous) in html


def test_a_coordinator_of_the_site_handles_a_request_once(
    site, other_site, coordinator, user_with_role, mailoutbox, django_capture_on_commit_callbacks
):
    person, previous, current = _with_past_mentor()
    change = requests.change_request_create(
        participant=person, by=person.user, reason="Mi piaceva", wanted_mentor=previous
    )
    stranger = assign(user_with_role("Coordinator", is_staff=True), other_site)
    with pytest.raises(PermissionDenied):
        requests.change_request_handle(change_request=change, by=stranger, end_match=True)
    current.refresh_from_db()
    assert current.status == Match.Status.ACCEPTED
    with django_capture_on_commit_callbacks(execute=True):
        requests.change_request_handle(
            change_request=change, by=coordinator, end_match=True, propose_wanted=True
        )
        requests.change_request_handle(
            change_request=change, by=coordinator, end_match=True, propose_wanted=True
        )
    change.refresh_from_db()
    current.refresh_from_db()
    assert change.status == ChangeRequest.Status.DONE and change.handled_by == coordinator
    assert current.status == Match.Status.ENDED
    assert "Mi piaceva" not in current.end_reason  # the person's words stay with the staff
    again = selectors.open_match_of(person)
    assert again.mentor == previous and again.status == Match.Status.CONFIRMED
    # The mentor asked for again hears of it, once.
    assert [m.to for m in mailoutbox] == [[previous.user.email]]


def test_a_withdrawn_request_cannot_be_handled(site, coordinator):
    match = make_match()
    change = requests.change_request_create(
        participant=match.participant, by=match.participant.user, reason="x"
    )
    requests.change_request_withdraw(change_request=change, by=match.participant.user)
    with pytest.raises(ValidationError):
        requests.change_request_handle(change_request=change, by=coordinator, end_match=True)
    match.refresh_from_db()
    assert match.status == Match.Status.ACCEPTED


# --- Ending a match ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["participant", "mentor"])
def test_either_person_ends_the_match_once_and_the_mentor_loses_access(client, site, who):
    match = make_match()
    user = match.participant.user if who == "participant" else match.mentor.user
    client.force_login(user)
    url = f"/en/mentoring/matches/{match.pk}/end/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": ""}).status_code == 400
    first = client.post(url, {"reason": "We reached the goal"})
    second = client.post(url, {"reason": "We reached the goal"})
    assert first.status_code == 302 and second.status_code == 302
    match.refresh_from_db()
    assert match.status == Match.Status.ENDED and match.end_reason == "We reached the goal"
    assert match.events.filter(status="ended").count() == 1
    with pytest.raises(Http404):
        selectors.mentee_for_mentor_or_404(match.mentor.user, match.participant_id)


def test_nobody_else_ends_a_match(client, site, participant):
    match = make_match()
    for intruder in (make_mentor().user, make_participant(status="eligible").user, participant):
        client.force_login(intruder)
        url = f"/en/mentoring/matches/{match.pk}/end/"
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "Intrusione"}).status_code == 404
    match.refresh_from_db()
    assert match.status == Match.Status.ACCEPTED
