"""The migration that adds the length limits first shortens what was typed before them,
so it runs on a database that already holds longer texts."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.coaching.factories import make_participant

BEFORE = ("coaching", "0006_accesslog_details")
LIMITS = ("coaching", "0007_text_limits_entry_answer_changes")
CUT_MARK = " […]"


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_longer_texts_are_shortened_before_the_limits_are_added():
    person = make_participant(status="submitted")
    exactly_the_limit = "e" * 2000
    try:
        apps = _migrate([BEFORE])
        Participant = apps.get_model("coaching", "Participant")
        Participant.objects.filter(pk=person.pk).update(
            decision_reason="Motivo " + "x" * 3000, erasure_reason=exactly_the_limit
        )
        stage_change = apps.get_model("coaching", "StageChange").objects.create(
            participant_id=person.pk,
            from_stage="orientation",
            to_stage="training",
            # The old column held at most 500 characters: within the new limit, kept as is.
            reason="r" * 500,
            created_at=timezone.now(),
        )
        consent = apps.get_model("coaching", "ConsentRecord").objects.create(
            participant_id=person.pk,
            kind="privacy_notice",
            granted=True,
            method="declaration",
            declaration="Spiegata a voce. " + "d" * 5000,
            created_at=timezone.now(),
        )

        apps = _migrate([LIMITS])

        person = apps.get_model("coaching", "Participant").objects.get(pk=person.pk)
        assert person.decision_reason == ("Motivo " + "x" * 3000)[:1996] + CUT_MARK
        assert len(person.decision_reason) == 2000
        assert person.erasure_reason == exactly_the_limit  # not too long: left alone
        reason = apps.get_model("coaching", "StageChange").objects.get(pk=stage_change.pk).reason
        assert reason == "r" * 500
        declaration = (
            apps.get_model("coaching", "ConsentRecord").objects.get(pk=consent.pk).declaration
        )
        assert declaration == ("Spiegata a voce. " + "d" * 5000)[:1996] + CUT_MARK
        with connection.cursor() as cursor:
            constraints = {
                **connection.introspection.get_constraints(cursor, "coaching_participant"),
                **connection.introspection.get_constraints(cursor, "coaching_stagechange"),
                **connection.introspection.get_constraints(cursor, "coaching_consentrecord"),
            }
        assert {
            "coaching_decision_reason_max_length",
            "coaching_erasure_reason_max_length",
            "coaching_stage_reason_max_length",
            "coaching_consent_declaration_max_length",
        } <= set(constraints)
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
