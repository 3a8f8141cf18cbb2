"""The migration that turns the free-text mentor preferences into codes, then drops the text:
what it understands, and what it keeps for the coordinators when it does not."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from coaching.models import Language
from tests.coaching.factories import make_participant

migration = importlib.import_module("coaching.migrations.0014_preferences_from_free_text")

BEFORE = ("coaching", "0013_structured_preferences")
AFTER = ("coaching", "0014_preferences_from_free_text")
MON_FRI = range(5)
WHOLE_DAY = ["morning", "afternoon", "evening"]


def _codes(days, parts):
    return [f"{d}-{p}" for d in days for p in parts]


@pytest.mark.parametrize(
    ("text", "codes", "unknown"),
    [
        ("Francese", ["fr"], []),
        ("arabo, italiano", ["it", "ar"], []),
        ("Italiano/Inglese", ["it", "en"], []),
        ("italiano e un po' di inglese", ["it", "en"], []),
        ("English and French", ["en", "fr"], []),
        ("ROMENO o Wolof", ["ro", "wo"], []),
        ("lingua araba", ["ar"], []),
        ("IT, fr", ["it", "fr"], []),
        ("Lingua rom", ["rom"], []),
        ("serbo-croato", [], ["serbo", "croato"]),
        ("", [], []),
    ],
)
def test_languages_from_text(text, codes, unknown):
    assert migration.languages_from_text(text) == (codes, unknown)


@pytest.mark.parametrize("language", ["it", "en"])
def test_every_language_is_found_by_its_italian_and_english_name(language):
    with translation.override(language):
        for code, label in Language.choices:
            assert migration.languages_from_text(str(label)) == ([code], []), label
            assert migration.languages_from_text(str(label).upper()) == ([code], []), label


def test_the_frozen_vocabulary_is_the_models_one():
    assert tuple(Language.values) == migration.LANGUAGE_ORDER


@pytest.mark.parametrize(
    ("text", "codes", "unknown"),
    [
        # A part without days: every weekday; days without a part: the whole day.
        ("Mattina", _codes(MON_FRI, ["morning"]), []),
        ("sera", _codes(MON_FRI, ["evening"]), []),
        ("weekday mornings", _codes(MON_FRI, ["morning"]), []),
        ("mattina e pomeriggio", _codes(MON_FRI, ["morning", "afternoon"]), []),
        ("sabato", _codes([5], WHOLE_DAY), []),
        ("weekend", _codes([5, 6], WHOLE_DAY), []),
        ("Fine settimana", _codes([5, 6], WHOLE_DAY), []),
        ("fine-settimana mattina", _codes([5, 6], ["morning"]), []),
        ("lunedì mattina e giovedì sera", ["0-morning", "3-evening"], []),
        ("lunedì e martedì mattina", ["0-morning", "1-morning"], []),
        ("Monday to Wednesday afternoons", _codes([0, 1, 2], ["afternoon"]), []),
        ("sera dal lunedì al venerdì", _codes(MON_FRI, ["evening"]), []),
        ("venerdì-lunedì sera", _codes([0, 4, 5, 6], ["evening"]), []),
        (
            "mattina, lunedì pomeriggio",
            ["0-morning", "0-afternoon", *_codes(range(1, 5), ["morning"])],
            [],
        ),
        ("lun/mer sera", ["0-evening", "2-evening"], []),
        ("tutti i giorni", _codes(range(7), WHOLE_DAY), []),
        ("in settimana la sera", _codes(MON_FRI, ["evening"]), []),
        # What is not understood is reported, and what is understood still mapped.
        ("Lunedì-venerdì 9-13", _codes(MON_FRI, WHOLE_DAY), ["9", "13"]),
        ("tutti i giorni tranne il lunedì", _codes(range(7), WHOLE_DAY), ["tranne"]),
        ("quando posso", [], ["quando", "posso"]),
    ],
)
def test_availability_from_text(text, codes, unknown):
    assert migration.availability_from_text(text) == (codes, unknown)


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_maps_the_text_and_notes_what_it_could_not_read():
    understood = make_participant(status="submitted")
    partly = make_participant(status="submitted")
    empty = make_participant(status="submitted")
    erased = make_participant(status="submitted")
    try:
        apps = _migrate([BEFORE])
        Participant = apps.get_model("coaching", "Participant")
        Participant.objects.filter(pk=understood.pk).update(
            mentor_language="arabo, italiano",
            mentor_availability="Mattina",
            preferred_languages=[],
            availability=[],
        )
        Participant.objects.filter(pk=partly.pk).update(
            mentor_language="Francese",
            mentor_availability="Lunedì dalle 9 alle 12",
            preferred_languages=[],
            availability=[],
        )
        Participant.objects.filter(pk=empty.pk).update(
            mentor_language="", mentor_availability="", preferred_languages=[], availability=[]
        )
        # Erasure left no text; a stray one is not read, nor noted.
        Participant.objects.filter(pk=erased.pk).update(
            mentor_language="Tedesco", erased_at=understood.created_at, preferred_languages=[]
        )

        apps = _migrate([AFTER])

        Participant = apps.get_model("coaching", "Participant")
        CaseNote = apps.get_model("coaching", "CaseNote")
        person = Participant.objects.get(pk=understood.pk)
        assert person.preferred_languages == ["it", "ar"]
        assert person.availability == _codes(MON_FRI, ["morning"])
        assert not CaseNote.objects.filter(participant_id=understood.pk).exists()

        person = Participant.objects.get(pk=partly.pk)
        assert person.preferred_languages == ["fr"]
        assert person.availability == _codes([0], ["morning", "afternoon", "evening"])
        note = CaseNote.objects.get(participant_id=partly.pk)
        # The original words, for the coordinators to check with the person; in the site's
        # language (Italian); no author: nobody wrote it.
        assert "“Lunedì dalle 9 alle 12”" in note.text
        assert "Controllate con lei le nuove scelte." in note.text
        assert "Francese" not in note.text  # understood entirely
        assert note.author_id is None

        assert Participant.objects.get(pk=empty.pk).preferred_languages == []
        assert Participant.objects.get(pk=erased.pk).preferred_languages == []
        assert CaseNote.objects.filter(participant_id__in=[empty.pk, erased.pk]).count() == 0
        columns = {
            c.name
            for c in connection.introspection.get_table_description(
                connection.cursor(), "coaching_participant"
            )
        }
        assert "mentor_language" not in columns and "mentor_availability" not in columns

        # Backwards, the columns come back empty.
        apps = _migrate([BEFORE])
        person = apps.get_model("coaching", "Participant").objects.get(pk=partly.pk)
        assert (person.mentor_language, person.mentor_availability) == ("", "")
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
