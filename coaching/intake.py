"""The intake, defined once: its steps in order, the answers each saves, when each applies,
which answers ESF+ counts at entry, what erasure keeps, and the checks on the answers.

Everything else reads it: the participant's step forms and the staff's assisted intake
(``coaching.forms``), the pages that walk the steps and the review (``coaching.views``), the
saving service (``coaching.services.intake``, which runs the checks), the entry record and
its corrections (``coaching.services.eligibility``), the export and erasure
(``coaching.services.data``). A new question is added here and to its step's form.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coaching.models import PREFERENCE_CHOICES, ConsentRecord, LabourStatus

# --- The checks on the answers --------------------------------------------------------------
# Each takes the answer and returns it cleaned, or raises ``ValidationError`` with the message
# the form shows next to the question. ``coaching.services.intake.intake_answers_check`` runs
# them; the forms call that service, so the message is written only here.


def check_phone(value: str) -> str:
    """Digits, with the usual separators; at least six digits."""
    phone = value.strip()
    digits = [c for c in phone if c.isdigit()]
    if len(digits) < 6 or any(not (c.isdigit() or c in " +-./()") for c in phone):
        raise ValidationError(gettext("Write a phone number with digits only, e.g. 333 1234567."))
    return phone


def check_name(value: str) -> str:
    """A name with at least one letter, its spaces tidied (it greets the person in messages)."""
    name = " ".join(value.split())
    if not any(c.isalpha() for c in name):
        raise ValidationError(gettext("Write the name we should call you, e.g. Amina."))
    return name


def check_birth_year(year: int) -> int:
    """Between 15 and 100 years ago: the programme is for adults of working age."""
    this_year = timezone.localdate().year
    if not this_year - 100 <= year <= this_year - 15:
        raise ValidationError(
            gettext("Write a year of birth between %(a)s and %(b)s.")
            % {"a": this_year - 100, "b": this_year - 15}
        )
    return year


def check_unemployed_months(answers: dict) -> None:
    """The unemployed say for how long (the long-term unemployment indicator needs it)."""
    if (
        answers.get("labour_status") == LabourStatus.UNEMPLOYED
        and "unemployed_months" in answers
        and answers["unemployed_months"] is None
    ):
        raise ValidationError({"unemployed_months": gettext("Tell us for how many months.")})


#: What the form says when a preference holds a code outside its list (a tampered or outdated
#: form): the intake's forms show the same message (``coaching.forms.intake``).
PREFERENCE_MESSAGES = {
    "preferred_languages": _("Choose the languages from the list."),
    "meeting_modes": _("Choose in person, online or both."),
    "availability": _("Choose the days and times from the list."),
}


def _check_codes(name: str) -> Callable:
    """The check of one structured preference: codes of its vocabulary only
    (``PREFERENCE_CHOICES``), each once, kept in the vocabulary's order."""

    def check(values) -> list[str]:
        if isinstance(values, str) or not isinstance(values, list | tuple):
            raise ValidationError(str(PREFERENCE_MESSAGES[name]), code="invalid_choice")
        known = [code for code, _label in PREFERENCE_CHOICES[name]()]
        chosen = {str(value) for value in values}
        if not chosen <= set(known):
            raise ValidationError(str(PREFERENCE_MESSAGES[name]), code="invalid_choice")
        return [code for code in known if code in chosen]

    check.__name__ = f"check_{name}"
    return check


check_preferred_languages = _check_codes("preferred_languages")
check_meeting_modes = _check_codes("meeting_modes")
check_availability = _check_codes("availability")


# --- The steps ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One step of the intake.

    ``fields`` are the ``Participant`` answers the step saves (the consent and special steps
    save records of their own); ``entry_fields`` those of them ESF+ counts at entry, locked
    from the first acceptance on; ``kept_after_erasure`` those of the entry answers that stay
    in the entry record after erasure (statistics, not identifiers). ``field_checks`` maps an
    answer to its check, ``checks`` look at the step's answers together. ``consent`` names the
    consent without which the step is not shown; ``required`` steps must be done before the
    application is sent; ``for_staff`` is False for the step staff never fill in for someone
    (consent, which they record at assisted enrolment with how it was given).
    """

    key: str
    title: str
    fields: tuple[str, ...] = ()
    entry_fields: tuple[str, ...] = ()
    kept_after_erasure: tuple[str, ...] = ()
    field_checks: tuple[tuple[str, Callable], ...] = ()
    checks: tuple[Callable[[dict], None], ...] = ()
    consent: str = ""
    required: bool = True
    for_staff: bool = True

    def applies(self, consents: dict[str, bool]) -> bool:
        """Whether the person sees this step, given their current consents."""
        return not self.consent or bool(consents.get(self.consent))


#: The answers about meeting a mentor: asked in the "needs" step, and the person's to change
#: at any time after sending the application (``coaching:preferences``), also once accepted:
#: none of them is an entry answer. Matching reads them (``coaching.models.preferences``).
PREFERENCE_FIELDS: tuple[str, ...] = (
    "preferred_languages",
    "meeting_modes",
    "availability",
    "mentor_gender",
)

STEPS: tuple[Step, ...] = (
    Step(
        "contact",
        _("Contact"),
        # The form asks the name first; the names come last here so that the export keeps
        # the order it had before they were asked.
        fields=("phone", "municipality", "languages", "preferred_name", "legal_name"),
        field_checks=(("phone", check_phone), ("preferred_name", check_name)),
    ),
    Step(
        "about",
        _("About you"),
        fields=("birth_year", "birth_month", "gender", "citizenship", "foreign_background"),
        entry_fields=("birth_year", "birth_month", "gender", "citizenship", "foreign_background"),
        # The birth date identifies; the rest is what ESF+ counts.
        kept_after_erasure=("gender", "citizenship", "foreign_background"),
        field_checks=(("birth_year", check_birth_year),),
    ),
    Step(
        "work",
        _("Work"),
        fields=("labour_status", "unemployed_months", "works_without_contract", "in_education"),
        entry_fields=(
            "labour_status",
            "unemployed_months",
            "works_without_contract",
            "in_education",
        ),
        kept_after_erasure=(
            "labour_status",
            "unemployed_months",
            "works_without_contract",
            "in_education",
        ),
        checks=(check_unemployed_months,),
    ),
    Step(
        "education",
        _("School and home"),
        fields=("education_level", "housing"),
        entry_fields=("education_level", "housing"),
        kept_after_erasure=("education_level", "housing"),
    ),
    Step("idea", _("Your idea"), fields=("idea_sector", "idea_stage", "idea_description")),
    Step(
        "needs",
        _("What you need"),
        fields=("needs", *PREFERENCE_FIELDS),
        field_checks=(
            ("preferred_languages", check_preferred_languages),
            ("meeting_modes", check_meeting_modes),
            ("availability", check_availability),
        ),
    ),
    Step("consent", _("Privacy and consent"), for_staff=False),
    Step(
        "special",
        _("Optional questions"),
        consent=ConsentRecord.Kind.SPECIAL_CATEGORY,
        required=False,
    ),
)

STEPS_BY_KEY: dict[str, Step] = {step.key: step for step in STEPS}

#: The optional consents asked in the consent step (and at assisted enrolment, and on the
#: consents page): form field name -> kind of consent. The privacy notice is not optional.
CONSENT_FIELDS: dict[str, str] = {
    "special_category": ConsentRecord.Kind.SPECIAL_CATEGORY,
    "share_with_mentor": ConsentRecord.Kind.SHARE_WITH_MENTOR,
    "follow_up_contact": ConsentRecord.Kind.FOLLOW_UP_CONTACT,
}

#: Every ``Participant`` answer of the intake, step by step: the entry snapshot and the
#: export list them.
PROFILE_FIELDS: tuple[str, ...] = tuple(f for step in STEPS for f in step.fields)
#: The answers ESF+ counts at entry: the entry record's indicators are made from them. From
#: the first acceptance on they are no longer the person's to change; a coordinator corrects
#: them, with a reason kept in the history (``entry_answers_correct``).
ENTRY_FIELDS: tuple[str, ...] = tuple(f for step in STEPS for f in step.entry_fields)
#: The entry answers the entry record keeps after erasure.
ERASURE_KEPT_FIELDS: tuple[str, ...] = tuple(f for step in STEPS for f in step.kept_after_erasure)


def steps_applying(consents: dict[str, bool], *, staff: bool = False) -> list[Step]:
    """The steps shown to a person with these consents, in order (to staff: theirs)."""
    return [s for s in STEPS if s.applies(consents) and (s.for_staff or not staff)]


def steps_counted(*, staff: bool = False) -> list[Step]:
    """The steps "Step N of M", the list of steps and the start page count: every step the
    person may meet, also one that does not apply to them (yet), which is shown as asked only
    with consent. So the count never changes on the way (the optional step appearing after
    the consent step keeps its number); staff never meet the consent step."""
    return [s for s in STEPS if s.for_staff or not staff]
