"""The words a participant's mentoring preferences are written in, shared with the mentors app.

Stored as lists of codes (JSON) so that matching can compare them with a mentor's profile;
labels are translated where they are shown. Weekly availability is a set of day parts; in
Europe/Rome time, the same as the mentors' weekly hours (``PART_HOURS``).
"""

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Language(models.TextChoices):
    """Languages a participant or a mentor can speak a session in: the programme's own and
    those most spoken by people with a migrant background in Italy."""

    ITALIAN = "it", pgettext_lazy("language", "Italian")
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")
    PORTUGUESE = "pt", _("Portuguese")
    GERMAN = "de", _("German")
    ROMANIAN = "ro", _("Romanian")
    ALBANIAN = "sq", _("Albanian")
    UKRAINIAN = "uk", _("Ukrainian")
    RUSSIAN = "ru", _("Russian")
    POLISH = "pl", _("Polish")
    ARABIC = "ar", _("Arabic")
    CHINESE = "zh", _("Chinese")
    BENGALI = "bn", _("Bengali")
    URDU = "ur", _("Urdu")
    PUNJABI = "pa", _("Punjabi")
    HINDI = "hi", _("Hindi")
    TAGALOG = "tl", _("Tagalog")
    WOLOF = "wo", _("Wolof")
    ROMANI = "rom", _("Romani")


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    REMOTE = "remote", _("Online")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class DayPart(models.TextChoices):
    MORNING = "morning", _("Morning (9–13)")
    AFTERNOON = "afternoon", _("Afternoon (14–18)")
    EVENING = "evening", _("Evening (18–21)")


#: The hours of the day each part covers, start included, end excluded.
PART_HOURS: dict[str, range] = {
    DayPart.MORNING: range(9, 13),
    DayPart.AFTERNOON: range(14, 18),
    DayPart.EVENING: range(18, 21),
}


def availability_code(weekday: int, part: str) -> str:
    """``"0-morning"``: Monday morning. The codes stored in ``Participant.availability``."""
    return f"{int(weekday)}-{part}"


def _lower_first(text: str) -> str:
    # "Lunedì, mattina (9–13)": the part of the day follows the day's name in a sentence.
    return text[:1].lower() + text[1:]


def availability_choices() -> list[tuple[str, str]]:
    """Every availability code with its label in words, e.g. "Monday, morning (9–13)"."""
    return [
        (availability_code(day, part), f"{capfirst(day.label)}, {_lower_first(str(part.label))}")
        for day in Weekday
        for part in DayPart
    ]


def availability_choices_by_day() -> list[tuple[str, list[tuple[str, str]]]]:
    """The same codes grouped by day (``[(day, [(code, part), ...]), ...]``): the form asks
    them one day at a time, a group of three boxes per day."""
    return [
        (capfirst(day.label), [(availability_code(day, part), part.label) for part in DayPart])
        for day in Weekday
    ]


#: The structured preferences and their vocabularies (callables: the labels are read in the
#: active language). The intake checks them and every page shows them in words from here.
PREFERENCE_CHOICES = {
    "preferred_languages": lambda: Language.choices,
    "meeting_modes": lambda: MeetingMode.choices,
    "availability": availability_choices,
}


def preference_labels(name: str, codes) -> list[str]:
    """The labels of the codes stored in the preference ``name``, in the vocabulary's order;
    a code no longer in it is left out."""
    chosen = {str(code) for code in codes or ()}
    return [str(label) for code, label in PREFERENCE_CHOICES[name]() if code in chosen]


def preference_in_words(name: str, codes) -> str:
    """A preference as one line of text: "Arabic, Italian"; the times (whose labels hold a
    comma) separated by semicolons: "Monday, morning (9–13); Friday, evening (18–21)"."""
    return ("; " if name == "availability" else ", ").join(preference_labels(name, codes))


def availability_hours(codes) -> set[int]:
    """The weekly hours (0 = Monday 00:00–01:00) the codes cover; unknown codes are ignored."""
    hours: set[int] = set()
    for code in codes or ():
        day, _sep, part = str(code).partition("-")
        if day.isdigit() and int(day) in Weekday.values and part in PART_HOURS:
            hours.update(int(day) * 24 + h for h in PART_HOURS[part])
    return hours
