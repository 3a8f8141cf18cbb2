"""Plain Django forms: one per intake step, plus the staff and follow-up forms."""

import datetime

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coaching.conf import app_settings
from coaching.models import (
    Citizenship,
    ConsentRecord,
    EducationLevel,
    FollowUp,
    Gender,
    Housing,
    IdeaStage,
    LabourStatus,
    LegalForm,
    MentorGender,
    Need,
    Sector,
    SpecialCategoryData,
    Stage,
    YesNoNotSaid,
    vat_number_is_valid,
)

CHOICE_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


class AccessibleFormMixin:
    """Adds Bootstrap Italia classes and links each field to its help text and errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
            if field.help_text and not isinstance(widget, CHOICE_WIDGETS):
                widget.attrs["aria-describedby"] = f"id_{name}_help"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            widget = self.fields[name].widget
            if isinstance(widget, CHOICE_WIDGETS):
                continue
            widget.attrs["aria-invalid"] = "true"
            widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
            described = widget.attrs.get("aria-describedby", "")
            widget.attrs["aria-describedby"] = f"{described} id_{name}_error".strip()


def _radio(choices, label, **kwargs):
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect, **kwargs)


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class ContactForm(AccessibleFormMixin, forms.Form):
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


class AboutForm(AccessibleFormMixin, forms.Form):
    birth_year = forms.IntegerField(
        label=_("Year of birth"), help_text=_("For example: 1990. We do not ask the day.")
    )
    birth_month = forms.TypedChoiceField(
        label=_("Month of birth"), choices=MONTHS, coerce=int, empty_value=None
    )
    gender = _radio(Gender.choices, _("Gender"))
    citizenship = _radio(Citizenship.choices, _("Citizenship"))
    foreign_background = _radio(
        YesNoNotSaid.choices,
        _("Were you or one of your parents born outside Italy?"),
    )

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        this_year = timezone.localdate().year
        if not this_year - 100 <= year <= this_year - 15:
            raise ValidationError(_("Write a year of birth between %(a)s and %(b)s.") % {
                "a": this_year - 100, "b": this_year - 15})  # fmt: skip
        return year


class WorkForm(AccessibleFormMixin, forms.Form):
    labour_status = _radio(LabourStatus.choices, _("What is your work situation today?"))
    unemployed_months = forms.IntegerField(
        label=_("If you are unemployed: for how many months?"),
        required=False,
        min_value=0,
        max_value=600,
    )
    works_without_contract = _radio(
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
        if data.get("labour_status") == LabourStatus.UNEMPLOYED and (
            data.get("unemployed_months") is None
        ):
            self.add_error("unemployed_months", _("Tell us for how many months."))
        return data


class EducationForm(AccessibleFormMixin, forms.Form):
    education_level = _radio(EducationLevel.choices, _("The highest school you finished"))
    housing = _radio(Housing.choices, _("Where you live"))


class IdeaForm(AccessibleFormMixin, forms.Form):
    idea_sector = forms.ChoiceField(
        label=_("Sector of your business idea"), choices=[("", _("Choose")), *Sector.choices]
    )
    idea_stage = _radio(IdeaStage.choices, _("How far is your idea?"))
    idea_description = forms.CharField(
        label=_("Describe your idea in a few words"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


class NeedsForm(AccessibleFormMixin, forms.Form):
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
    mentor_gender = _radio(MentorGender.choices, _("Would you prefer a mentor who is"))


class ConsentForm(AccessibleFormMixin, forms.Form):
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


class SpecialCategoryForm(AccessibleFormMixin, forms.Form):
    disability = _radio(YesNoNotSaid.choices, _("Do you have a disability?"), required=False)
    minority = _radio(
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
    from coaching.services.intake import STEP_FIELDS

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
            "special_category": consents.get(ConsentRecord.Kind.SPECIAL_CATEGORY),
            "share_with_mentor": consents.get(ConsentRecord.Kind.SHARE_WITH_MENTOR),
            "follow_up_contact": consents.get(ConsentRecord.Kind.FOLLOW_UP_CONTACT),
        }
    if step == "special":
        data = getattr(participant, "special_category_data", None)
        return {"disability": data.disability, "minority": data.minority} if data else {}
    return {}


class ConsentManageForm(AccessibleFormMixin, forms.Form):
    special_category = ConsentForm.base_fields["special_category"]
    share_with_mentor = ConsentForm.base_fields["share_with_mentor"]
    follow_up_contact = ConsentForm.base_fields["follow_up_contact"]


class AssistedEnrolmentForm(AccessibleFormMixin, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail address"), required=False, help_text=_("Leave empty if they have none.")
    )
    language = forms.ChoiceField(label=_("Language for messages"), choices=[])
    consent_method = _radio(
        [
            (ConsentRecord.Method.PAPER_FORM, ConsentRecord.Method.PAPER_FORM.label),
            (ConsentRecord.Method.DECLARATION, ConsentRecord.Method.DECLARATION.label),
        ],
        _("How did the person give consent?"),
    )
    document = forms.FileField(
        label=_("Signed consent form"),
        required=False,
        help_text=_("PDF or photo. Stored privately, never on a public address."),
    )
    declaration = forms.CharField(
        label=_("Your declaration"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who explained the privacy notice, in which language, and when."),
    )
    special_category = ConsentForm.base_fields["special_category"]
    share_with_mentor = ConsentForm.base_fields["share_with_mentor"]
    follow_up_contact = ConsentForm.base_fields["follow_up_contact"]

    def __init__(self, *args, languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = list(languages)

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document and document.size > app_settings.MAX_UPLOAD_SIZE:
            raise ValidationError(_("The file is too big."))
        if document and not document.name.lower().endswith((".pdf", ".jpg", ".jpeg", ".png")):
            raise ValidationError(_("Upload a PDF, JPG or PNG file."))
        return document

    def clean(self):
        data = super().clean()
        method = data.get("consent_method")
        if method == ConsentRecord.Method.PAPER_FORM and not data.get("document"):
            self.add_error("document", _("Upload the signed consent form."))
        if method == ConsentRecord.Method.DECLARATION and not data.get("declaration", "").strip():
            self.add_error("declaration", _("Write how the person gave their consent."))
        return data


class HandoverClaimForm(AccessibleFormMixin, forms.Form):
    lookup = forms.CharField(label=_("Reference"), max_length=16)
    code = forms.CharField(label=_("One-time code"), max_length=20)
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("You will use it to sign in. It can be a family member's address."),
    )
    password1 = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters."),
    )
    password2 = forms.CharField(
        label=_("Write the password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords are different."))
        elif data.get("password1"):
            try:
                password_validation.validate_password(data["password1"])
            except ValidationError as error:
                self.add_error("password1", error)
        return data


class FollowUpForm(AccessibleFormMixin, forms.Form):
    situation = _radio(FollowUp.Situation.choices, _("What is your situation now?"))
    business_active = forms.TypedChoiceField(
        label=_("Is your business still active?"),
        choices=[*YES_NO, ("none", _("I have no business"))],
        widget=forms.RadioSelect,
        coerce=lambda v: {"yes": True, "no": False}.get(v),
    )
    notes = forms.CharField(
        label=_("Anything else you want to tell us?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


# --- Staff forms (used in the Wagtail admin) -----------------------------------------------


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Eligible: accept")), ("decline", _("Not eligible: decline"))],
        widget=forms.RadioSelect,
    )
    cohort = forms.ModelChoiceField(label=_("Cohort"), queryset=None, required=False)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required when declining. The person will read it."),
    )

    def __init__(self, *args, cohorts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts

    def clean(self):
        data = super().clean()
        if data.get("decision") == "decline" and not data.get("reason", "").strip():
            self.add_error("reason", _("Give the reason for the decision."))
        return data


class StageForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("New stage"), choices=Stage.choices)
    reason = forms.CharField(label=_("Why"), max_length=500, required=False)


class MentorForm(forms.Form):
    mentor = forms.ModelChoiceField(label=_("Mentor"), queryset=None, required=False)

    def __init__(self, *args, mentors=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentors


class HandoverCreateForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("How to hand over"),
        choices=[("printed", _("Print a one-time code")), ("email", _("Send an invitation"))],
        widget=forms.RadioSelect,
    )
    email = forms.EmailField(label=_("E-mail address for the invitation"), required=False)


class ExitForm(forms.Form):
    exit_date = forms.DateField(
        label=_("Exit date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    in_employment = forms.BooleanField(
        label=_("In employment, including self-employment"), required=False
    )
    in_education = forms.BooleanField(label=_("In education or training"), required=False)
    gained_qualification = forms.BooleanField(label=_("Gained a qualification"), required=False)
    job_searching = forms.BooleanField(label=_("Searching for a job"), required=False)
    business_registered = forms.BooleanField(label=_("Business registered"), required=False)
    registration_date = forms.DateField(
        label=_("Registration date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    legal_form = forms.ChoiceField(
        label=_("Legal form"), choices=[("", "---------"), *LegalForm.choices], required=False
    )
    vat_number = forms.CharField(label=_("VAT number (partita IVA)"), max_length=11, required=False)

    def clean_vat_number(self):
        value = self.cleaned_data["vat_number"].strip()
        if value and not vat_number_is_valid(value):
            raise ValidationError(_("This VAT number is not valid."))
        return value

    def clean_exit_date(self):
        value = self.cleaned_data["exit_date"]
        if value > timezone.localdate() + datetime.timedelta(days=1):
            raise ValidationError(_("The exit date cannot be in the future."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("business_registered") and not (
            data.get("registration_date") and data.get("legal_form")
        ):
            self.add_error("registration_date", _("Give the registration date and the legal form."))
        return data
