"""Factories for mentoring tests: mentors with a profile on a site, and matches."""

import factory
from django.utils import timezone
from wagtail.models import Site

from mentors.models import Match, MatchEvent, MentorMembership, MentorProfile
from tests.coaching.factories import make_participant
from tests.factories import user_with_role


class MentorProfileFactory(factory.django.DjangoModelFactory):
    user = factory.LazyFunction(lambda: user_with_role("Mentor"))
    kind = MentorProfile.Kind.VOLUNTEER
    languages = ["it"]
    meeting_modes = ["in_person", "remote"]
    sectors = ["food"]
    capacity = 3

    class Meta:
        model = MentorProfile


def make_mentor(*, site=None, status=MentorMembership.Status.APPROVED, **profile) -> MentorProfile:
    """A mentor with a profile and a membership of ``site`` (the default site) in ``status``."""
    site = site or Site.objects.get(is_default_site=True)
    mentor = MentorProfileFactory(**profile)
    MentorMembership.objects.create(profile=mentor, site=site, status=status)
    return mentor


def make_match(*, mentor=None, participant=None, status=Match.Status.ACCEPTED, site=None):
    """A match of an eligible participant with a mentor, in ``status``, with its history."""
    site = site or Site.objects.get(is_default_site=True)
    mentor = mentor or make_mentor(site=site)
    participant = participant or make_participant(site=site, status="eligible")
    now = timezone.now()
    match = Match.objects.create(
        participant=participant,
        mentor=mentor,
        status=status,
        accepted_at=now if status == Match.Status.ACCEPTED else None,
        ended_at=now if status == Match.Status.ENDED else None,
    )
    MatchEvent.objects.create(match=match, status=status, at=now)
    return match
