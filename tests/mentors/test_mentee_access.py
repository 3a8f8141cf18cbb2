"""What a mentor sees of a participant, now that assignments are matches (moved from the
coaching tests when ``Participant.assigned_mentor`` went): only their own accepted mentees,
only what each consented to share, never special-category data or case notes. Coaching keeps
no mentee page, and its manage page learns the mentor only through the mentors app's panel."""

import pytest
from django.core.exceptions import ValidationError

from coaching import services as coaching_services
from coaching.services.notes import case_note_add
from mentors.models import Match
from mentors.services import matches
from tests.coaching.factories import assign, make_participant, sign_in
from tests.mentors.factories import make_match, make_mentor

pytestmark = pytest.mark.django_db


def _url(match):
    return f"/it/mentoring/mentees/{match.participant_id}/"


def _with_special(person):
    coaching_services.intake_save_step(
        participant=person,
        step="special",
        data={"disability": "yes", "minority": "roma_sinti_camminanti"},
        by=person.user,
    )


def test_only_the_mentor_of_an_accepted_match_opens_the_mentee_page(
    client, site, other_site, coordinator, user_with_role
):
    match = make_match()
    proposed_to = make_match(status=Match.Status.CONFIRMED).mentor.user
    refused = {
        "owner": match.participant.user,
        "other_participant": make_participant(status="eligible").user,
        "other_mentor": make_mentor().user,
        "other_site_mentor": make_mentor(site=other_site).user,
        "mentor_of_a_request_not_accepted": proposed_to,
        "plain_mentor_group_member": user_with_role("Mentor"),
    }
    assert client.get(_url(match)).status_code == 302  # anonymous: sign in first
    for role, user in refused.items():
        client.force_login(user)
        assert client.get(_url(match)).status_code == 404, role
    client.force_login(match.mentor.user)
    assert client.get(_url(match)).status_code == 200
    matches.match_end(match=match, by=match.participant.user, reason="Finito")
    assert client.get(_url(match)).status_code == 404  # ended: access lost at once


def test_coaching_has_no_mentee_page_any_more(client, site):
    match = make_match()
    client.force_login(match.mentor.user)
    assert client.get(f"/it/path/mentees/{match.participant_id}/").status_code == 404


def test_the_mentor_sees_only_what_was_shared_and_never_special_data(client, site):
    match = make_match()
    person = match.participant
    _with_special(person)
    client.force_login(match.mentor.user)
    html = client.get(_url(match)).content.decode()
    assert "Street food" in html
    # No trace of the minority answer: the page is read without the people's own (random)
    # names and addresses, which may contain "rom" by chance.
    visible = html.lower().replace("romano", "")
    for user in (person.user, match.mentor.user):
        for text in (user.first_name, user.last_name, user.email, str(user)):
            visible = visible.replace(text.lower(), "")
    assert "rom" not in visible
    assert "sinti" not in visible and "camminanti" not in visible
    coaching_services.consent_record(
        participant=person, kind="share_with_mentor", granted=False, by=person.user
    )
    html = client.get(_url(match)).content.decode()
    assert "Street food" not in html


def test_case_notes_never_reach_the_mentor(client, site, coordinator):
    match = make_match()
    assign(coordinator, site)
    case_note_add(participant=match.participant, text="Segreto del caso", by=coordinator)
    client.force_login(match.mentor.user)
    assert "Segreto del caso" not in client.get(_url(match)).content.decode()


def test_only_the_sites_mentors_can_be_proposed(site, other_site, coordinator):
    person = make_participant(status="eligible")
    with pytest.raises(ValidationError):
        matches.match_propose(participant=person, mentor=make_mentor(site=other_site), by=None)
    assert not Match.objects.filter(participant=person).exists()


def test_the_manage_page_shows_the_mentor_to_the_sites_coordinators_only(
    client, site, other_site, coordinator, user_with_role
):
    mentor = make_mentor(user=user_with_role("Mentor", first_name="Ornella", last_name="Nostra"))
    match = make_match(mentor=mentor)
    url = f"/admin/coaching/participant/{match.participant_id}/manage/"
    sign_in(client, coordinator)
    html = client.get(url).content.decode()
    assert "Ornella Nostra" in html
    assert "/admin/mentoring/change-requests/" in html
    intruder = assign(user_with_role("Coordinator", is_staff=True), other_site)
    sign_in(client, intruder)
    response = client.get(url, follow=True)
    assert response.status_code == 404
    assert "Ornella Nostra" not in response.content.decode()
