"""The intake: one form per step, their titles, and the consents page."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coaching.forms.base import YES_NO, AccessibleFormMixin, radio_field
from coaching.models import (
    Citizenship,
    ConsentRecord,
    EducationLevel,
    Gender,
    Housing,
    IdeaStage,
    LabourStatus,
    MentorGender,
    Need,
    Sector,
    SpecialCategoryData,
    YesNoNotSaid,
)


class StepFormMixin(AccessibleFormMixin):
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

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        digits = [c for c in phone if c.isdigit()]
        if len(digits) < 6 or any(not (c.isdigit() or c in " +-./()") for c in phone):
            raise ValidationError(_("Write a phone number with digits only, e.g. 333 1234567."))
        return phone


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

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        if year is None:  # a locked answer, left out
            return year
        this_year = timezone.localdate().year
        if not this_year - 100 <= year <= this_year - 15:
            raise ValidationError(_("Write a year of birth between %(a)s and %(b)s.") % {
                "a": this_year - 100, "b": this_year - 15})  # fmt: skip
        return year


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
        help_text=_("Your answer stays private and is never shared with tax authorities."),
    )
    in_education = forms.TypedChoiceField(
        label=_("Are you studying or in a training course now?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        coerce=lambda v: v == "yes",
    )

    def clean(self):
        data = super().clean()
        check_unemployed_months(self, data)
        return data


def check_unemployed_months(form, data) -> None:
    """The unemployed say for how long (the long-term unemployment indicator needs it)."""
    if data.get("labour_status") == LabourStatus.UNEMPLOYED and (
        data.get("unemployed_months") is None
    ):
        form.add_error("unemployed_months", _("Tell us for how many months."))


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


class NeedsForm(StepFormMixin, forms.Form):
    needs = forms.MultipleChoiceField(
        label=_("What help do you need?"),
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose one or more."),
    )
    mentor_availability = forms.CharField(
        label=_("When can you meet a mentor?"),
        max_length=200,
        help_text=_("For example: weekday mornings."),
    )
    mentor_language = forms.CharField(
        label=_("Language you would like to speak with your mentor"),
        max_length=60,
        required=False,
    )
    mentor_gender = radio_field(MentorGender.choices, _("Would you prefer a mentor who is"))


class ConsentForm(StepFormMixin, forms.Form):
    privacy_notice = forms.BooleanField(
        label=_("I have read the privacy notice and I accept it"),
        error_messages={"required": _("You need to accept the privacy notice to continue.")},
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
STEP_TITLES = {
    "contact": _("Contact"),
    "about": _("About you"),
    "work": _("Work"),
    "education": _("School and home"),
    "idea": _("Your idea"),
    "needs": _("What you need"),
    "consent": _("Privacy and consent"),
    "special": _("Optional questions"),
}


def initial_for_step(participant, step: str, consents: dict) -> dict:
    from coaching.services.intake import CONSENT_FIELDS, STEP_FIELDS

    if step in STEP_FIELDS:
        initial = {f: getattr(participant, f) for f in STEP_FIELDS[step]}
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
