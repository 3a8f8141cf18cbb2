"""The intake's forms: one per step of ``coaching.intake.STEPS``, and the consents page.

The questions' wording and widgets live here; which answers a step saves, when it applies and
how the answers are checked live in ``coaching.intake`` (the forms run its checks)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coaching.forms.base import YES_NO, AccessibleFormMixin, radio_field
from coaching.intake import (
    CONSENT_FIELDS,
    PREFERENCE_FIELDS,
    PREFERENCE_MESSAGES,
    STEPS,
    STEPS_BY_KEY,
)
from coaching.models import (
    NAME_MAX_LENGTH,
    PREFERENCE_CHOICES,
    Citizenship,
    ConsentRecord,
    EducationLevel,
    Gender,
    Housing,
    IdeaStage,
    LabourStatus,
    Language,
    MeetingMode,
    MentorGender,
    Need,
    Sector,
    SpecialCategoryData,
    YesNoNotSaid,
    availability_choices_by_day,
    preference_in_words,
)
from coaching.services.intake import intake_answers_check


class AnswersCheckMixin:
    """Runs the intake's one check of the answers (``intake_answers_check``) on what the form
    cleaned and shows its messages next to the questions: the rules are written there."""

    def clean(self):
        data = super().clean()
        try:
            data.update(intake_answers_check(data))
        except ValidationError as error:
            self.add_error(None, error)
        return data


class StepFormMixin(AnswersCheckMixin, AccessibleFormMixin):
    """One intake step. ``locked`` names the answers that may no longer be changed here.

    They are shown as text and are not required, since the read-only page sends none of them.
    They stay in the form all the same, so that a request which still sends them reaches the
    intake service, which refuses a change (``intake_save_step``): the rule lives there.
    """

    def __init__(self, *args, locked=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.locked = [name for name in locked if name in self.fields]
        for name in self.locked:
            self.fields[name].required = False

    def editable_fields(self):
        return [self[name] for name in self.fields if name not in self.locked]

    def locked_answers(self) -> list[dict]:
        """Label and answer of each locked field, as the person chose it."""
        answers = []
        for name in self.locked:
            field, value = self.fields[name], self.initial.get(name)
            if value in (None, ""):
                continue
            labels = {str(key): label for key, label in getattr(field, "choices", ())}
            answers.append({"label": field.label, "value": labels.get(str(value), value)})
        return answers

    def answers(self) -> dict:
        """What to save: the cleaned data, without the locked answers the request left out."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in self.locked or name in self.data
        }


class ContactForm(StepFormMixin, forms.Form):
    preferred_name = forms.CharField(
        label=_("What name should we call you?"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("Your first name, or the name you like to be called. We use it in messages."),
        error_messages={"required": _("Write the name we should call you, e.g. Amina.")},
    )
    legal_name = forms.CharField(
        label=_("Name and surname on your identity document (optional)"),
        max_length=150,
        required=False,
        help_text=_(
            "Only if the programme asks for it for official papers, such as a grant "
            "application. You can leave it empty."
        ),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=30,
        help_text=_("We call or send a message only about the programme."),
    )
    municipality = forms.CharField(label=_("Town or city where you live"), max_length=100)
    languages = forms.CharField(
        label=_("Languages you speak"),
        max_length=200,
        help_text=_("For example: Italian, Arabic, Romanian."),
    )


MONTHS = [
    ("", _("Choose a month")),
    *[(str(i), name) for i, name in enumerate(
        [_("January"), _("February"), _("March"), _("April"), _("May"), _("June"),
         _("July"), _("August"), _("September"), _("October"), _("November"), _("December")],
        start=1,
    )],
]  # fmt: skip


class AboutForm(StepFormMixin, forms.Form):
    birth_year = forms.IntegerField(
        label=_("Year of birth"), help_text=_("For example: 1990. We do not ask the day.")
    )
    birth_month = forms.TypedChoiceField(
        label=_("Month of birth"), choices=MONTHS, coerce=int, empty_value=None
    )
    gender = radio_field(Gender.choices, _("Gender"))
    citizenship = radio_field(Citizenship.choices, _("Citizenship"))
    foreign_background = radio_field(
        YesNoNotSaid.choices,
        _("Were you or one of your parents born outside Italy?"),
    )


class WorkForm(StepFormMixin, forms.Form):
    labour_status = radio_field(LabourStatus.choices, _("What is your work situation today?"))
    unemployed_months = forms.IntegerField(
        label=_("If you are unemployed: for how many months?"),
        required=False,
        min_value=0,
        max_value=600,
    )
    works_without_contract = radio_field(
        YesNoNotSaid.choices,
        _("Do you do any work without a contract?"),
        help_text=_(
            "Only the programme staff see your answer. In the reports for the European Social "
            "Fund Plus (ESF+) it is only counted together with the others, without your name. "
            "The programme does not send your answers to the tax authority (Agenzia delle "
            "Entrate)."
        ),
    )
    in_education = forms.TypedChoiceField(
        label=_("Are you studying or in a training course now?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        coerce=lambda v: v == "yes",
    )


class EducationForm(StepFormMixin, forms.Form):
    education_level = radio_field(EducationLevel.choices, _("The highest school you finished"))
    housing = radio_field(Housing.choices, _("Where you live"))


class IdeaForm(StepFormMixin, forms.Form):
    idea_sector = forms.ChoiceField(
        label=_("Sector of your business idea"), choices=[("", _("Choose")), *Sector.choices]
    )
    idea_stage = radio_field(IdeaStage.choices, _("How far is your idea?"))
    idea_description = forms.CharField(
        label=_("Describe your idea in a few words"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


class AvailabilityCheckboxes(forms.CheckboxSelectMultiple):
    """The parts of the day, one fieldset per day (its name as the legend): on a phone the
    days follow one another, and a screen reader says "Monday" before "Morning"."""

    template_name = "coaching/widgets/availability.html"


class NeedsForm(StepFormMixin, forms.Form):
    needs = forms.MultipleChoiceField(
        label=_("What help do you need?"),
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose one or more."),
    )
    preferred_languages = forms.MultipleChoiceField(
        label=_("In which languages would you like to talk with your mentor?"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose one or more."),
        error_messages={
            "required": _("Choose at least one language."),
            "invalid_choice": PREFERENCE_MESSAGES["preferred_languages"],
        },
    )
    meeting_modes = forms.MultipleChoiceField(
        label=_("How would you like to meet?"),
        choices=MeetingMode.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose one or both."),
        error_messages={
            "required": _("Choose in person, online or both."),
            "invalid_choice": PREFERENCE_MESSAGES["meeting_modes"],
        },
    )
    availability = forms.MultipleChoiceField(
        label=_("When are you free to meet?"),
        choices=availability_choices_by_day,
        widget=AvailabilityCheckboxes,
        help_text=_("For each day, choose the parts of the day that suit you (Italian time)."),
        error_messages={
            "required": _("Choose at least one day and part of the day."),
            "invalid_choice": PREFERENCE_MESSAGES["availability"],
        },
    )
    mentor_gender = radio_field(MentorGender.choices, _("Would you prefer a mentor who is"))


class PreferencesForm(AnswersCheckMixin, AccessibleFormMixin, forms.Form):
    """The preferences about meeting a mentor (``coaching.intake.PREFERENCE_FIELDS``), asked
    as in the intake: the person changes them at any time after sending the application."""

    preferred_languages = NeedsForm.base_fields["preferred_languages"]
    meeting_modes = NeedsForm.base_fields["meeting_modes"]
    availability = NeedsForm.base_fields["availability"]
    mentor_gender = NeedsForm.base_fields["mentor_gender"]

    @classmethod
    def initial_for(cls, participant) -> dict:
        return {name: getattr(participant, name) for name in PREFERENCE_FIELDS}


class ConsentForm(StepFormMixin, forms.Form):
    privacy_notice = forms.BooleanField(
        label=_("I have read the privacy notice"),
        error_messages={
            "required": _("Please confirm that you have read the privacy notice to continue.")
        },
    )
    special_category = forms.BooleanField(
        label=_("I agree to answer two optional questions on disability and minority background"),
        required=False,
        help_text=_("Only the programme coordinators will see these answers."),
    )
    share_with_mentor = forms.BooleanField(
        label=_("I agree that my mentor can see my progress"), required=False
    )
    follow_up_contact = forms.BooleanField(
        label=_("I agree to be contacted after the path to say how I am doing"), required=False
    )


class SpecialCategoryForm(StepFormMixin, forms.Form):
    disability = radio_field(YesNoNotSaid.choices, _("Do you have a disability?"), required=False)
    minority = radio_field(
        SpecialCategoryData.Minority.choices,
        _("Do you belong to a minority (for example Roma, Sinti or Camminanti)?"),
        required=False,
    )


#: The form of each step of ``coaching.intake.STEPS``, which says what it asks.
STEP_FORMS = {
    "contact": ContactForm,
    "about": AboutForm,
    "work": WorkForm,
    "education": EducationForm,
    "idea": IdeaForm,
    "needs": NeedsForm,
    "consent": ConsentForm,
    "special": SpecialCategoryForm,
}
STEP_TITLES = {step.key: step.title for step in STEPS}


def initial_for_step(participant, step: str, consents: dict) -> dict:
    fields = STEPS_BY_KEY[step].fields if step in STEPS_BY_KEY else ()
    if fields:
        initial = {f: getattr(participant, f) for f in fields}
        if step == "contact" and not participant.preferred_name:
            initial["preferred_name"] = participant.user.first_name
        if step == "work" and participant.in_education is not None:
            initial["in_education"] = "yes" if participant.in_education else "no"
        if step == "about" and participant.birth_month:
            initial["birth_month"] = str(participant.birth_month)
        return initial
    if step == "consent":
        return {
            "privacy_notice": consents.get(ConsentRecord.Kind.PRIVACY_NOTICE),
            **{field: consents.get(kind) for field, kind in CONSENT_FIELDS.items()},
        }
    if step == "special":
        data = getattr(participant, "special_category_data", None)
        return {"disability": data.disability, "minority": data.minority} if data else {}
    return {}


class ConsentManageForm(AccessibleFormMixin, forms.Form):
    special_category = ConsentForm.base_fields["special_category"]
    share_with_mentor = ConsentForm.base_fields["share_with_mentor"]
    follow_up_contact = ConsentForm.base_fields["follow_up_contact"]


def _answer_shown(name: str, field: forms.Field, value) -> str:
    """An answer as the person chose it: the choice's label, never its code, and "Not given"
    for no answer."""
    if isinstance(field, forms.BooleanField):
        return gettext("Yes") if value else gettext("No")
    if value in (None, "", [], ()):
        return gettext("Not given")
    if name in PREFERENCE_CHOICES:
        return preference_in_words(name, value)
    labels = {str(key): str(label) for key, label in getattr(field, "choices", ())}
    if isinstance(value, list | tuple):
        return ", ".join(labels.get(str(item), str(item)) for item in value)
    return labels.get(str(value), str(value))


def review_answers(participant, steps: list[str], consents: dict, *, hidden=()) -> list[dict]:
    """Every answer of these steps, grouped by step, as the review shows them: each question's
    label and the answer in words (``_answer_shown``). The steps in ``hidden`` are listed
    without their answers (staff see the special-category answers only on their own page,
    which logs the view)."""
    sections = []
    for key in steps:
        rows = []
        if key not in hidden:
            initial = initial_for_step(participant, key, consents)
            for name, field in STEP_FORMS[key].base_fields.items():
                rows.append(
                    {"label": field.label, "value": _answer_shown(name, field, initial.get(name))}
                )
        sections.append({"key": key, "title": STEP_TITLES[key], "rows": rows})
    return sections
