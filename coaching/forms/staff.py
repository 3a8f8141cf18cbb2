"""Coordinator forms used on the Wagtail admin's manage page."""

import copy
import datetime
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coaching.forms.intake import (
    AboutForm,
    EducationForm,
    WorkForm,
    check_unemployed_months,
    initial_for_step,
)
from coaching.models import REASON_MAX_LENGTH, LegalForm, Stage, vat_number_is_valid


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
        max_length=REASON_MAX_LENGTH,
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
    reason = forms.CharField(label=_("Why"), max_length=REASON_MAX_LENGTH, required=False)


def _intake_field(form_class, name):
    # The question exactly as the person answered it, with its choices and checks.
    return copy.deepcopy(form_class.base_fields[name])


class EntryAnswersForm(forms.Form):
    """A coordinator's correction of the entry answers after the decision, with the reason.

    The fields are ``coaching.services.intake.ENTRY_FIELDS``, asked as in the intake.
    """

    birth_year = _intake_field(AboutForm, "birth_year")
    birth_month = _intake_field(AboutForm, "birth_month")
    gender = _intake_field(AboutForm, "gender")
    citizenship = _intake_field(AboutForm, "citizenship")
    foreign_background = _intake_field(AboutForm, "foreign_background")
    labour_status = _intake_field(WorkForm, "labour_status")
    unemployed_months = _intake_field(WorkForm, "unemployed_months")
    works_without_contract = _intake_field(WorkForm, "works_without_contract")
    in_education = _intake_field(WorkForm, "in_education")
    education_level = _intake_field(EducationForm, "education_level")
    housing = _intake_field(EducationForm, "housing")
    reason = forms.CharField(
        label=_("Why are you changing these answers?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX_LENGTH,
        help_text=_("For example: the document you saw. It is kept in the history."),
        error_messages={"required": _("Write why you are changing these answers.")},
    )

    clean_birth_year = AboutForm.clean_birth_year

    @staticmethod
    def initial_for(participant) -> dict:
        initial = {}
        for step in ("about", "work", "education"):
            initial.update(initial_for_step(participant, step, {}))
        return initial

    def clean(self):
        data = super().clean()
        check_unemployed_months(self, data)
        return data

    def answers(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "reason"}


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
        help_text=_("A new code replaces the previous one, which stops working."),
    )
    email = forms.EmailField(label=_("E-mail address for the invitation"), required=False)
    # One key per page view: a double click sends it twice and makes only one code.
    request_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=REASON_MAX_LENGTH,
        help_text=_("Required when the person has not asked for erasure."),
    )


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
