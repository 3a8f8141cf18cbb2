"""Assisted enrolment by staff and the person's hand-over claim."""

import uuid
from pathlib import Path

import filetype
from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from coaching.conf import app_settings
from coaching.forms.base import AccessibleFormMixin, radio_field
from coaching.models import DECLARATION_MAX_LENGTH, ConsentRecord
from coaching.services.intake import consent_evidence_check

# The signed consent form may be a PDF or a photo: each name ending with the content its
# first bytes must show.
CONSENT_DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}


class AssistedEnrolmentForm(AccessibleFormMixin, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail address"), required=False, help_text=_("Leave empty if they have none.")
    )
    language = forms.ChoiceField(label=_("Language for messages"), choices=[])
    consent_method = radio_field(
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
        max_length=DECLARATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who explained the privacy notice, in which language, and when."),
    )
    # The same consents as the person's own form (``ConsentForm``), worded for the staff
    # member who records them: what the person agreed to, not "I agree".
    special_category = forms.BooleanField(
        label=_(
            "The person agreed to answer two optional questions on disability and minority "
            "background"
        ),
        required=False,
        help_text=_("Only the programme coordinators will see these answers."),
    )
    share_with_mentor = forms.BooleanField(
        label=_("The person agreed that their mentor can see their progress"), required=False
    )
    follow_up_contact = forms.BooleanField(
        label=_("The person agreed to be contacted after the path to say how they are doing"),
        required=False,
    )
    # A new key each time the empty form is shown; a re-sent form (double click, reload)
    # carries the same key and finds the person the first submission enrolled.
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)

    def __init__(self, *args, languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = list(languages)

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if not document:
            return document
        if document.size > app_settings.MAX_UPLOAD_SIZE:
            raise ValidationError(_("The file is too big."))
        expected = CONSENT_DOCUMENT_TYPES.get(Path(document.name).suffix.lower())
        if expected is None:
            raise ValidationError(_("Upload a PDF, JPG or PNG file."))
        # The name alone proves nothing: an HTML page renamed to .pdf would be stored and
        # later opened by staff. The first bytes must say the same thing as the name.
        kind = filetype.guess(document)
        if kind is None or kind.mime != expected:
            raise ValidationError(
                _(
                    "The file's content is not a PDF, JPG or PNG, whatever its name says. "
                    "Scan or photograph the signed form again and upload that file."
                ),
                code="content_type",
            )
        return document

    def clean(self):
        data = super().clean()
        try:
            consent_evidence_check(
                method=data.get("consent_method"),
                document=data.get("document"),
                declaration=data.get("declaration", ""),
            )
        except ValidationError as error:
            self.add_error(None, error)
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
