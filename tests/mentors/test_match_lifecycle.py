"""A match's life, moved only by ``mentors.services.matches``."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from wagtail.models import ModelLogEntry

from mentors import selectors
from mentors.models import Match, MentorMembership, Session
from mentors.services import matches
from tests.coaching.factories import make_participant
from tests.mentors.factories import make_match, make_mentor

pytestmark = pytest.mark.django_db


def test_proposed_confirmed_accepted_ended_with_history(site, coordinator):
    mentor = make_mentor()
    person = make_participant(status="eligible")
    match = matches.match_propose(participant=person, mentor=mentor, by=coordinator, score=3.5)
    match = matches.match_confirm(match=match, by=coordinator)
    match = matches.match_accept(match=match, by=mentor.user)
    match = matches.match_end(match=match, by=person.user, reason="I found a job")
    assert match.status == Match.Status.ENDED
    assert match.end_reason == "I found a job"
    events = list(match.events.values_list("status", "by", "reason"))
    assert events == [
        ("proposed", coordinator.pk, ""),
        ("confirmed", coordinator.pk, ""),
        ("accepted", mentor.user.pk, ""),
        ("ended", person.user.pk, "I found a job"),
    ]
    actions = ModelLogEntry.objects.filter(object_id=str(person.pk)).values_list(
        "action", flat=True
    )
    assert {"mentors.match_propose", "mentors.match_end"} <= set(actions)


def test_a_second_click_changes_nothing_more(site, coordinator):
    match = make_match(status=Match.Status.PROPOSED)
    matches.match_confirm(match=match, by=coordinator)
    matches.match_confirm(match=match, by=coordinator)
    assert match.events.filter(status="confirmed").count() == 1


def test_moves_not_allowed_are_refused(site, coordinator):
    match = make_match(status=Match.Status.PROPOSED)
    with pytest.raises(ValidationError):
        matches.match_accept(match=match, by=match.mentor.user)
    with pytest.raises(ValidationError):
        matches.match_decline(
            match=matches.match_confirm(match=match, by=coordinator),
            by=match.mentor.user,
            reason="  ",
        )


def test_one_open_match_per_participant(site, coordinator):
    match = make_match()
    with pytest.raises(ValidationError):
        matches.match_propose(participant=match.participant, mentor=make_mentor(), by=coordinator)


def test_only_approved_mentors_of_the_site_are_proposed(site, other_site, coordinator):
    person = make_participant(status="eligible")
    for mentor in (
        make_mentor(status=MentorMembership.Status.PAUSED),
        make_mentor(site=other_site),
    ):
        with pytest.raises(ValidationError):
            matches.match_propose(participant=person, mentor=mentor, by=coordinator)


def test_declined_goes_back_to_the_pool(site, coordinator):
    match = make_match(status=Match.Status.CONFIRMED)
    matches.match_decline(match=match, by=match.mentor.user, reason="Too far")
    again = matches.match_propose(
        participant=match.participant, mentor=make_mentor(), by=coordinator
    )
    assert again.status == Match.Status.PROPOSED


def test_ending_cancels_sessions_to_come_only(site):
    match = make_match()
    now = timezone.now()

    def session(start, status=Session.Status.CONFIRMED):
        return Session.objects.create(
            match=match,
            mentor=match.mentor,
            participant=match.participant,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            mode="remote",
            status=status,
        )

    past = session(now - timedelta(days=2), Session.Status.HELD)
    coming = session(now + timedelta(days=2))
    matches.match_end(match=match, by=match.mentor.user, reason="Moving away")
    past.refresh_from_db()
    coming.refresh_from_db()
    assert past.status == Session.Status.HELD
    assert coming.status == Session.Status.CANCELLED
    assert coming.sequence == 1


def test_a_mentor_who_leaves_flags_and_ends_their_matches(site, coordinator):
    match = make_match()
    count = matches.matches_flag_for_rematch(
        mentor=match.mentor,
        site_id=match.participant.site_id,
        by=match.mentor.user,
        reason="Leaving",
        end=True,
    )
    match.refresh_from_db()
    assert count == 1
    assert match.needs_rematch and match.status == Match.Status.ENDED


def test_a_paused_mentor_keeps_the_match_but_flags_it(site):
    match = make_match()
    matches.matches_flag_for_rematch(
        mentor=match.mentor, site_id=match.participant.site_id, by=None, reason="Pause", end=False
    )
    match.refresh_from_db()
    assert match.needs_rematch and match.status == Match.Status.ACCEPTED


def test_leaving_the_path_ends_the_mentoring(site, coordinator):
    import datetime

    from coaching.services import participant_exit

    match = make_match()
    participant_exit(participant=match.participant, by=coordinator, exit_date=datetime.date.today())
    match.refresh_from_db()
    assert match.status == Match.Status.ENDED
    assert match.end_reason == "Fuori dal percorso"  # in the site's language, Italian
    with pytest.raises(Http404):
        selectors.mentee_for_mentor_or_404(match.mentor.user, match.participant_id)


def test_a_full_mentor_gets_no_more_proposals(site, coordinator):
    mentor = make_mentor(capacity=1)
    make_match(mentor=mentor)
    with pytest.raises(ValidationError):
        matches.match_propose(
            participant=make_participant(status="eligible"), mentor=mentor, by=coordinator
        )
