"""Coordinator forms used on the Wagtail admin's manage page."""

import copy
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from coaching.forms.intake import STEP_FORMS, AnswersCheckMixin, initial_for_step
from coaching.intake import STEPS
from coaching.models import CASE_NOTE_MAX_LENGTH, REASON_MAX_LENGTH, LegalForm, Stage
from coaching.services.eligibility import ENTRY_REASON_REQUIRED, decision_reason_check
from coaching.services.exit import exit_results_check


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
        if data.get("decision"):
            try:
                decision_reason_check(
                    eligible=data["decision"] == "accept", reason=data.get("reason", "")
                )
            except ValidationError as error:
                self.add_error(None, error)
        return data


class StageForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("New stage"), choices=Stage.choices)
    reason = forms.CharField(label=_("Why"), max_length=REASON_MAX_LENGTH, required=False)


# The entry answers' questions exactly as the person answered them, with their choices.
_EntryQuestions = type(
    "_EntryQuestions",
    (forms.Form,),
    {
        name: copy.deepcopy(STEP_FORMS[step.key].base_fields[name])
        for step in STEPS
        for name in step.entry_fields
    },
)


class EntryAnswersForm(AnswersCheckMixin, _EntryQuestions):
    """A coordinator's correction of the entry answers after the decision, with the reason.

    The fields are ``coaching.intake.ENTRY_FIELDS``, asked and checked as in the intake.
    """

    reason = forms.CharField(
        label=_("Why are you changing these answers?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX_LENGTH,
        help_text=_("For example: the document you saw. It is kept in the history."),
        error_messages={"required": ENTRY_REASON_REQUIRED},
    )

    @staticmethod
    def initial_for(participant) -> dict:
        initial = {}
        for step in STEPS:
            if step.entry_fields:
                initial.update(initial_for_step(participant, step.key, {}))
        return initial

    def answers(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "reason"}


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


class CaseNoteForm(forms.Form):
    text = forms.CharField(
        label=_("New note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=CASE_NOTE_MAX_LENGTH,
        help_text=_(
            "Seen only by the coordinators of this municipality, and by the person if they "
            "ask for their data. A note cannot be changed later: add a new one to correct it."
        ),
        error_messages={"required": _("Write the note before saving it.")},
    )
    # One key per page view: a double click sends it twice and adds one note.
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

    def clean(self):
        data = super().clean()
        try:
            data["vat_number"] = exit_results_check(
                exit_date=data.get("exit_date"),
                business_registered=data.get("business_registered", False),
                registration_date=data.get("registration_date"),
                legal_form=data.get("legal_form", ""),
                vat_number=data.get("vat_number", ""),
            )
        except ValidationError as error:
            self.add_error(None, error)
        return data
