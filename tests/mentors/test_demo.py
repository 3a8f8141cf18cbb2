"""load_demo's mentoring: the skills list and the plan of the site in Italian and English, the
demo mentor with an accepted mentee (Marco) and their sessions, the same after a second run."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Site

from mentors.demo import MILESTONES, SKILLS
from mentors.models import (
    ActionItem,
    Match,
    MatchEvent,
    MentorMembership,
    MentorProfile,
    Milestone,
    Session,
    Skill,
)

pytestmark = pytest.mark.django_db


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Skill,
            Milestone,
            MentorProfile,
            MentorMembership,
            Match,
            MatchEvent,
            Session,
            ActionItem,
        )
    }


def test_load_demo_builds_the_mentoring_demo_and_can_run_twice():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = _counts()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _counts() == first

    site = Site.objects.get(is_default_site=True)
    for model, rows in ((Skill, SKILLS), (Milestone, MILESTONES)):
        italian = model.objects.filter(site=site, locale__language_code="it")
        english = model.objects.filter(site=site, locale__language_code="en")
        assert italian.count() == english.count() == len(rows)
        assert set(italian.values_list("translation_key", flat=True)) == set(
            english.values_list("translation_key", flat=True)
        )
    assert all(skill.meets_needs for skill in Skill.objects.all())
    assert Milestone.objects.filter(locale__language_code="en", name="Business registered").get()
    assert Milestone.objects.exclude(stage="").count() == 6  # three per language

    match = Match.objects.get(participant__user__email="marco.demo@example.org")
    assert match.status == Match.Status.ACCEPTED
    assert list(match.events.values_list("status", flat=True)) == [
        "proposed",
        "confirmed",
        "accepted",
    ]
    profile = match.mentor
    assert profile.user.email == "mentore@avvio.example"
    assert profile.windows.count() == 2 and profile.skills.count() == 3
    assert profile.memberships.get(site=site).status == MentorMembership.Status.APPROVED
    held = match.sessions.get(status=Session.Status.HELD)
    assert held.summary and held.minutes_held and held.action_items.count() == 1
    upcoming = match.sessions.get(status=Session.Status.CONFIRMED)
    assert upcoming.starts_at > timezone.now()
