"""Forms of decisions (the coordinator's, in the admin) and of the beneficiary's answer (on
the public site, with the site's accessible markup)."""

from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from coaching.forms.base import AccessibleFormMixin


class AwardForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount to award (€)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("At most the amount asked for, within the call's smallest and largest grant."),
        error_messages={
            "required": _("Give the amount to award."),
            "invalid": _("Give an amount in euros, like 4500 or 4500.50."),
            "max_decimal_places": _("Give an amount to the cent, at most two decimals."),
        },
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is not funded"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The applicant reads this in the e-mail and on their page."),
        error_messages={"required": _("Say why the application is not funded.")},
    )


class AcceptForm(AccessibleFormMixin, forms.Form):
    """The beneficiary signs: their full name typed, "I accept" ticked, and the fingerprint
    of the terms the page showed them (the service refuses a page older than the terms)."""

    signed_name = forms.CharField(
        label=_("Your full name"),
        max_length=200,
        help_text=_("As on your identity document: typing it signs the agreement."),
        error_messages={"required": _("Type your full name to sign.")},
    )
    accept = forms.BooleanField(
        label=_("I accept the grant agreement"),
        error_messages={"required": _("Tick “I accept” to accept the agreement.")},
    )
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signed_name"].widget.attrs["autocomplete"] = "name"
        self.fields["fingerprint"].error_messages["required"] = _(
            "This form has expired: please send it once more."
        )


class DeclineForm(AccessibleFormMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_("I do not want this grant"),
        help_text=_("Its money goes back to the call for others. This cannot be undone."),
        error_messages={"required": _("Tick the box to decline the grant.")},
    )
