"""The migration that turns ``Participant.assigned_mentor`` into mentoring records, on a
database that holds assignments made before matches existed."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from coaching import services as coaching_services
from mentors.models import Match, MentorMembership, MentorProfile
from tests.coaching.factories import make_participant
from tests.factories import user_with_role
from tests.mentors.factories import make_match, make_mentor

BEFORE = [("mentors", "0002_session_no_overlap"), ("coaching", "0014_preferences_from_free_text")]
MOVED = [
    ("mentors", "0003_matches_from_assigned_mentor"),
    ("coaching", "0014_preferences_from_free_text"),
]
REASON = "assigned before mentoring records existed"


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def _leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_assigned_mentor_becomes_an_accepted_match(site, other_site):
    on_path = make_participant(status="eligible")
    also_on_path = make_participant(status="eligible")
    left = make_participant(status="eligible")
    coaching_services.participant_exit(participant=left, by=None, exit_date=timezone.localdate())
    already = make_participant(status="eligible")
    existing = make_match(participant=already)
    newcomer = user_with_role("Mentor", first_name="Nuova", last_name="Mentore")
    # A mentor with a profile already, working for the other site only so far.
    veteran = make_mentor(site=other_site, capacity=5)
    try:
        apps = _migrate(BEFORE)
        Participant = apps.get_model("coaching", "Participant")
        Participant.objects.filter(pk__in=[on_path.pk, left.pk]).update(
            assigned_mentor_id=newcomer.pk
        )
        Participant.objects.filter(pk=also_on_path.pk).update(assigned_mentor_id=veteran.user_id)
        Participant.objects.filter(pk=already.pk).update(assigned_mentor_id=newcomer.pk)

        apps = _migrate(MOVED)
        # Run twice (a migration re-run by hand): nothing more is made.
        module = importlib.import_module("mentors.migrations.0003_matches_from_assigned_mentor")
        module.forwards(apps, None)

        apps = _migrate(_leaves())
        profile = MentorProfile.objects.get(user=newcomer)
        assert profile.kind == MentorProfile.Kind.VOLUNTEER
        assert MentorMembership.objects.get(profile=profile, site=site).status == "approved"
        match = Match.objects.get(participant=on_path)
        assert (match.mentor, match.status) == (profile, Match.Status.ACCEPTED)
        assert list(match.events.values_list("status", "reason")) == [("accepted", REASON)]
        # The veteran keeps their profile and gains the participant's site.
        veteran.refresh_from_db()
        assert veteran.capacity == 5
        assert MentorMembership.objects.filter(profile=veteran, site=site).exists()
        assert Match.objects.get(participant=also_on_path).mentor == veteran
        # Off the path: the mentor had them, and sees them no more.
        gone = Match.objects.get(participant=left)
        assert gone.status == Match.Status.ENDED
        assert list(gone.events.values_list("status", flat=True)) == ["accepted", "ended"]
        # Someone with a match already keeps that one, and only that one.
        assert list(Match.objects.filter(participant=already)) == [existing]
        assert Match.objects.filter(events__reason=REASON).count() == 3
        columns = [
            column.name
            for column in connection.introspection.get_table_description(
                connection.cursor(), "coaching_participant"
            )
        ]
        assert "assigned_mentor_id" not in columns

        # Backwards: the field holds the accepted mentors again; the made matches go.
        apps = _migrate(BEFORE)
        Participant = apps.get_model("coaching", "Participant")
        assert Participant.objects.get(pk=on_path.pk).assigned_mentor_id == newcomer.pk
        assert not apps.get_model("mentors", "Match").objects.filter(participant_id=on_path.pk)
    finally:
        _migrate(_leaves())
