"""The mentor preferences typed as free text become choices from lists, then the text goes.

``mentor_language`` ("Francese", "arabo, italiano") becomes ``preferred_languages`` and
``mentor_availability`` ("Mattina", "lunedì e giovedì sera") becomes ``availability``, as
lists of the codes of ``coaching.models.preferences``. The vocabulary is copied here, frozen,
so the migration reads the same words however the models change later.

Nothing is dropped silently: when some words of a text mean nothing here ("dalle 9 alle 13",
"tranne il lunedì"), the original text is kept in a case note for the coordinators of the
person's site (private to them, shown to the person in their own data export), asking them to
check the new choices with the person. Erased participations hold no text and are skipped.
"""

import re
import unicodedata

from django.conf import settings
from django.db import migrations
from django.utils import timezone, translation
from django.utils.translation import gettext

#: Italian and English names (masculine and feminine, as in "lingua italiana") and ISO codes,
#: written without accents and in lower case, as ``_words`` leaves them.
LANGUAGE_WORDS = {
    "it": ("italiano", "italiana", "italian", "it"),
    "en": ("inglese", "english", "en"),
    "fr": ("francese", "french", "fr"),
    "es": ("spagnolo", "spagnola", "spanish", "castigliano", "es"),
    "pt": ("portoghese", "portuguese", "pt"),
    "de": ("tedesco", "tedesca", "german", "de"),
    "ro": ("rumeno", "rumena", "romeno", "romena", "romanian", "ro"),
    "sq": ("albanese", "albanian", "sq"),
    "uk": ("ucraino", "ucraina", "ukrainian", "uk"),
    "ru": ("russo", "russa", "russian", "ru"),
    "pl": ("polacco", "polacca", "polish", "pl"),
    "ar": ("arabo", "araba", "arabic", "ar"),
    "zh": ("cinese", "chinese", "mandarino", "mandarin", "zh"),
    "bn": ("bengalese", "bengali", "bangla", "bn"),
    "ur": ("urdu", "ur"),
    "pa": ("punjabi", "panjabi", "pa"),
    "hi": ("hindi", "hi"),
    "tl": ("tagalog", "filippino", "filipino", "tl"),
    "wo": ("wolof", "wo"),
    "rom": ("romani", "romanes", "rom"),
}
#: The order of ``Language``: codes are stored in it, as the intake's check stores them.
LANGUAGE_ORDER = tuple(LANGUAGE_WORDS)
LANGUAGE_BY_WORD = {word: code for code, words in LANGUAGE_WORDS.items() for word in words}
#: Words that say nothing about a language, and the ways to say "no preference".
LANGUAGE_FILLERS = frozenset({
    "e", "ed", "and", "o", "or", "oppure", "un", "una", "uno", "po", "poco", "pochino", "bit",
    "little", "a", "some", "lingua", "lingue", "language", "languages", "madrelingua", "native",
    "mother", "tongue", "parlo", "speak", "i", "il", "la", "di", "in", "anche", "also", "solo",
    "only", "preferibilmente", "preferably", "meglio", "better", "bene", "well", "base",
    "basic", "livello", "level", "fluente", "fluent", "indifferente", "qualsiasi", "any",
})  # fmt: skip

MONDAY_TO_FRIDAY = (0, 1, 2, 3, 4)
EVERY_DAY = (0, 1, 2, 3, 4, 5, 6)
PARTS = ("morning", "afternoon", "evening")
DAY_WORDS = {
    (0,): ("lunedi", "lun", "monday", "mondays", "mon"),
    (1,): ("martedi", "mar", "tuesday", "tuesdays", "tue", "tues"),
    (2,): ("mercoledi", "mer", "wednesday", "wednesdays", "wed"),
    (3,): ("giovedi", "gio", "thursday", "thursdays", "thu", "thur", "thurs"),
    (4,): ("venerdi", "ven", "friday", "fridays", "fri"),
    (5,): ("sabato", "sabati", "sab", "saturday", "saturdays", "sat"),
    (6,): ("domenica", "domeniche", "dom", "sunday", "sundays", "sun"),
    (5, 6): ("weekend", "weekends"),
    MONDAY_TO_FRIDAY: ("feriali", "feriale", "weekday", "weekdays", "infrasettimanale"),
    EVERY_DAY: ("alldays", "sempre", "always", "anytime", "whenever", "flessibile", "flexible"),
}
DAYS_BY_WORD = {word: days for days, words in DAY_WORDS.items() for word in words}
PART_WORDS = {
    "morning": ("mattina", "mattine", "mattino", "mattinata", "mattinate", "mattutino",
                "mattutina", "mattutini", "mattutine", "morning", "mornings"),
    "afternoon": ("pomeriggio", "pomeriggi", "pomeridiano", "pomeridiana", "pomeridiani",
                  "pomeridiane", "afternoon", "afternoons"),
    "evening": ("sera", "sere", "serata", "serate", "serale", "serali", "evening", "evenings"),
}  # fmt: skip
PART_BY_WORD = {word: part for part, words in PART_WORDS.items() for word in words}
#: Between two days, a range: "lunedì-venerdì", "dal lunedì al venerdì", "monday to friday".
RANGE_WORDS = frozenset({"-", "a", "al", "alla", "fino", "to", "till", "until", "through", "thru"})
AVAILABILITY_FILLERS = frozenset({
    "e", "ed", "and", "o", "or", "oppure", "il", "lo", "la", "i", "gli", "le", "l", "di", "del",
    "della", "dei", "delle", "da", "dal", "dalla", "dai", "dalle", "alle", "ai", "in", "nel",
    "nella", "nei", "nelle", "on", "at", "the", "of", "from", "per", "for", "every", "ogni",
    "tutti", "tutte", "tutto", "all", "only", "solo", "anche", "also", "preferibilmente",
    "preferably", "possibilmente", "possibly", "meglio", "better", "giorni", "giorno", "days",
    "day", "ore", "hours", "orario", "time", "times", "qualsiasi", "any", "libero", "libera",
    "liberi", "libere", "free", "disponibile", "disponibili", "available",
})  # fmt: skip
#: After a part of the day, the end of a group: "mattina, lunedì pomeriggio" is two.
SEPARATORS = frozenset({"-", ",", ";", "/"})
#: Phrases of several words that mean one thing, replaced before the words are read.
PHRASES = (
    (r"\bfine[\s-]*settimana\b|\bweek[\s-]+end\b", " weekend "),
    (r"\b(in|durante la|nei giorni della) settimana\b", " feriali "),
    (
        r"\b(tutti i giorni|ogni giorno|tutta la settimana|qualsiasi giorno|every ?day|"
        r"any day|all week|daily)\b",
        " alldays ",
    ),
)


def _words(text: str) -> list[str]:
    """The words of a text in lower case without accents ("Lunedì" -> "lunedi"), with
    hyphens (a range of days) and commas, semicolons and slashes (the end of a group of days
    and parts) as words of their own."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    for pattern, replacement in PHRASES:
        text = re.sub(pattern, replacement, text)
    return re.findall(r"[a-z0-9]+|[-,;/]", text)


def languages_from_text(text: str) -> tuple[list[str], list[str]]:
    """The language codes a text names, in ``Language``'s order, and the words understood as
    nothing: ``"arabo, italiano"`` -> ``(["it", "ar"], [])``."""
    found, unknown = set(), []
    for word in _words(text):
        if word in LANGUAGE_BY_WORD:
            found.add(LANGUAGE_BY_WORD[word])
        elif word not in LANGUAGE_FILLERS and word not in SEPARATORS:
            unknown.append(word)
    return [code for code in LANGUAGE_ORDER if code in found], unknown


def availability_from_text(text: str) -> tuple[list[str], list[str]]:
    """The availability codes (``"0-morning"``) a text describes, in the order of the days and
    parts, and the words understood as nothing.

    Read as groups of days and parts ("lunedì mattina e giovedì sera" is two; a day after a
    group's days and parts, or a comma after its parts, starts the next): a part with no day
    means every weekday (Monday to Friday), a day with no part the whole day (every part). A
    day after a range word ("-", "al", "to") completes a range from the day before it.
    """
    groups: list[tuple[set, set]] = []
    days: set[int] = set()
    parts: set[str] = set()
    unknown: list[str] = []
    last_day: int | None = None
    range_from: int | None = None
    previous = ""
    for word in _words(text):
        if word in DAYS_BY_WORD:
            named = DAYS_BY_WORD[word]
            if range_from is not None and len(named) == 1:
                start, end = range_from, named[0]
                # "venerdì-lunedì" goes round the weekend.
                days.update(
                    range(start, end + 1) if start <= end else [*range(start, 7), *range(end + 1)]
                )
            else:
                if days and parts:
                    groups.append((days, parts))
                    days, parts = set(), set()
                days.update(named)
            last_day = named[0] if len(named) == 1 else None
            range_from = None
        elif word in PART_BY_WORD:
            parts.add(PART_BY_WORD[word])
            last_day = range_from = None
        elif word in {",", ";", "/"}:
            if parts:
                groups.append((days, parts))
                days, parts = set(), set()
            last_day = range_from = None
        elif word in RANGE_WORDS and previous in DAYS_BY_WORD and last_day is not None:
            range_from = last_day
        elif word in RANGE_WORDS or word in AVAILABILITY_FILLERS:
            pass
        else:
            unknown.append(word)
            last_day = range_from = None
        previous = word
    groups.append((days, parts))
    codes = set()
    for group_days, group_parts in groups:
        if not group_days and not group_parts:
            continue
        for day in group_days or MONDAY_TO_FRIDAY:
            for part in group_parts or PARTS:
                codes.add(f"{day}-{part}")
    ordered = [f"{day}-{part}" for day in EVERY_DAY for part in PARTS]
    return [code for code in ordered if code in codes], unknown


def _note_text(unread: dict[str, str]) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        details = " ".join(
            (
                gettext("When they are free: “%(text)s”.")
                if field == "mentor_availability"
                else gettext("Language with the mentor: “%(text)s”.")
            )
            % {"text": text}
            for field, text in unread.items()
        )
        return (
            gettext(
                "Before the preferences about the mentor became choices from lists, the person "
                "wrote them as text, and not every word could be carried over. Please check "
                "the new choices with them."
            )
            + " "
            + details
        )


def preferences_from_free_text(apps, schema_editor):
    Participant = apps.get_model("coaching", "Participant")
    CaseNote = apps.get_model("coaching", "CaseNote")
    people = Participant.objects.filter(erased_at__isnull=True).exclude(
        mentor_availability="", mentor_language=""
    )
    now = timezone.now()
    for person in people.iterator():
        unread = {}
        if person.mentor_language.strip():
            codes, unknown = languages_from_text(person.mentor_language)
            # What the person may already have chosen in the new questions wins.
            person.preferred_languages = person.preferred_languages or codes
            if unknown or not codes:
                unread["mentor_language"] = person.mentor_language.strip()
        if person.mentor_availability.strip():
            codes, unknown = availability_from_text(person.mentor_availability)
            person.availability = person.availability or codes
            if unknown or not codes:
                unread["mentor_availability"] = person.mentor_availability.strip()
        person.save(update_fields=["preferred_languages", "availability"])
        if unread:
            CaseNote.objects.create(participant=person, text=_note_text(unread), created_at=now)
    if schema_editor.connection.vendor == "postgresql":
        # The new notes' foreign keys are checked now, not at commit: PostgreSQL refuses to
        # alter the participants' table (below) while such checks are pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0013_structured_preferences"),
    ]

    operations = [
        migrations.RunPython(preferences_from_free_text, migrations.RunPython.noop),
        migrations.RemoveField(model_name="participant", name="mentor_availability"),
        migrations.RemoveField(model_name="participant", name="mentor_language"),
    ]
