"""The applicant's forms: starting an application from a plan, the draft (amount, summary,
declarations), a document per requirement, and the mentor's endorsement.

Amounts are typed as the plans' money pages take them (``AmountField``: ``1250,50`` on Italian
pages). Every refusal is a message next to its field; what was typed stays in the form.
"""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from coaching.forms.base import AccessibleFormMixin
from coaching.grants.models import Endorsement, GrantApplication
from coaching.grants.uploads import upload_content_type
from coaching.plans.forms.editor import REVISION_MAX
from coaching.plans.forms.finance import AmountField, AmountTextsMixin


class StartForm(AccessibleFormMixin, forms.Form):
    """Which of the applicant's ready plans the application attaches (one: chosen for them)."""

    plan = forms.ModelChoiceField(
        label=_("The business plan to attach"),
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Choose the plan to attach."),
            "invalid_choice": _("Choose one of your plans that your mentor marked ready."),
        },
    )

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        self.fields["plan"].label_from_instance = lambda plan: plan.title


class ApplicationForm(AmountTextsMixin, AccessibleFormMixin, forms.Form):
    """The draft's own fields. Saving a draft needs only what is typed to be readable; what
    submitting needs (declarations made, the amount inside the rules) is
    ``services.applications.submit_problems``' to say."""

    requested_amount = AmountField(label=_("Amount you ask for (€)"), with_example=True)
    project_summary = forms.CharField(
        label=_("The project in a few lines"),
        max_length=GrantApplication._meta.get_field("project_summary").max_length,
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you will do with the grant and for whom. The evaluators read it first."),
    )
    declares_truthful = forms.BooleanField(
        label=_("I declare that what this application and the plan attached say is true."),
        required=False,
    )
    de_minimis_received = AmountField(
        label=_("De minimis aid received in this and the two previous fiscal years (€)"),
        required=False,
        help_text=_(
            "Public aid given to you or your business as 'de minimis' (EU rule 2023/2831). "
            "Write 0 if you received none."
        ),
    )
    de_minimis_declared = forms.BooleanField(
        label=_("I confirm the amount of de minimis aid written above, 0 included."),
        required=False,
    )
    revision = forms.IntegerField(
        widget=forms.HiddenInput, min_value=0, max_value=REVISION_MAX, required=False
    )

    FIELDS = (
        "requested_amount",
        "project_summary",
        "declares_truthful",
        "de_minimis_received",
        "de_minimis_declared",
    )

    @classmethod
    def initial_from(cls, application: GrantApplication) -> dict:
        initial = {name: getattr(application, name) for name in cls.FIELDS}
        initial["revision"] = application.revision
        return initial

    def clean_revision(self):
        return self.cleaned_data["revision"] or 0

    def clean(self):
        data = super().clean()
        declared_without_amount = (
            data.get("de_minimis_declared")
            and data.get("de_minimis_received") is None
            and "de_minimis_received" not in self.errors
        )
        if declared_without_amount:
            self.add_error(
                "de_minimis_received",
                _("Write the amount you declare: 0 if you received no de minimis aid."),
            )
        return data

    def full_clean(self):
        super().full_clean()
        if "revision" in self.errors:
            # Only a hand-made request breaks it: say what to do, not the hidden field's name.
            self.errors.pop("revision")
            self.add_error(None, _("This page is out of date: open it again to go on."))

    def values(self) -> dict:
        """What the service keeps (``services.applications.DRAFT_FIELDS``)."""
        values = {name: self.cleaned_data[name] for name in self.FIELDS}
        if values["de_minimis_received"] is not None:
            values["de_minimis_received"] = Decimal(values["de_minimis_received"])
        return values


class DocumentForm(AccessibleFormMixin, forms.Form):
    """One file for one required document: checked by its content (PDF, JPG or PNG) and size
    before anything is stored."""

    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "PDF, JPG or PNG. Stored privately: only you and the people who assess it read it."
        ),
        error_messages={
            "required": _("Choose the file to upload."),
            "empty": _("The file is empty."),
        },
    )

    def __init__(self, *args, requirement, **kwargs):
        kwargs.setdefault("prefix", f"document-{requirement.pk}")
        super().__init__(*args, **kwargs)
        self.requirement = requirement
        self.fields["file"].label = requirement.name

    def clean_file(self):
        upload = self.cleaned_data["file"]
        upload_content_type(upload)
        return upload


class EndorsementForm(AccessibleFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Your endorsement"),
        max_length=Endorsement._meta.get_field("text").max_length,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "What you saw of the person's work on the path and why the project deserves the "
            "grant. The evaluators read it; you can give it once."
        ),
        error_messages={"required": _("Write your endorsement.")},
    )
