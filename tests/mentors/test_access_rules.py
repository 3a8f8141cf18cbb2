"""The mentoring access rules of ``mentors.selectors``: who sees which match."""

import pytest
from django.http import Http404

from mentors import selectors
from mentors.models import Match
from tests.mentors.factories import make_match, make_mentor

pytestmark = pytest.mark.django_db


def test_a_mentor_sees_their_accepted_mentee(site):
    match = make_match()
    found = selectors.mentee_for_mentor_or_404(match.mentor.user, match.participant_id)
    assert found == match
    assert found.shared_with_mentor is True  # the demo answers consent to sharing


@pytest.mark.parametrize(
    "status", [Match.Status.PROPOSED, Match.Status.CONFIRMED, Match.Status.ENDED]
)
def test_no_access_unless_the_match_is_accepted(site, status):
    match = make_match(status=status)
    with pytest.raises(Http404):
        selectors.mentee_for_mentor_or_404(match.mentor.user, match.participant_id)
    with pytest.raises(Http404):
        selectors.match_for_person_or_404(match.mentor.user, match.pk)


def test_another_mentor_sees_nothing(site):
    match = make_match()
    other = make_mentor()
    with pytest.raises(Http404):
        selectors.mentee_for_mentor_or_404(other.user, match.participant_id)
    with pytest.raises(Http404):
        selectors.match_for_mentor_or_404(other.user, match.pk)
    with pytest.raises(Http404):
        selectors.match_for_person_or_404(other.user, match.pk)


def test_both_people_of_a_match_read_it_and_nobody_else(site, user):
    match = make_match()
    assert selectors.match_for_person_or_404(match.participant.user, match.pk) == match
    assert selectors.match_for_person_or_404(match.mentor.user, match.pk) == match
    with pytest.raises(Http404):
        selectors.match_for_person_or_404(user, match.pk)
    with pytest.raises(Http404):
        selectors.match_for_participant_or_404(user, match.pk)


def test_coordinators_see_only_their_sites_matches(site, other_site, coordinator, user_with_role):
    from coaching.models import StaffSiteAssignment

    here = make_match()
    elsewhere_coordinator = user_with_role("Coordinator", is_staff=True)
    StaffSiteAssignment.objects.create(user=elsewhere_coordinator, site=other_site)
    assert list(selectors.matches_for_staff(coordinator)) == [here]
    assert list(selectors.matches_for_staff(elsewhere_coordinator)) == []
    assert selectors.staff_may_act_on_match(coordinator, here)
    assert not selectors.staff_may_act_on_match(elsewhere_coordinator, here)
