from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal_site.accounts.models import User


class ProfileForm(forms.ModelForm):
    preferred_language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        help_text=_("The language of the site and of the e-mails we send you."),
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "preferred_language"]


class DeleteRequestForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I want my account and my data to be deleted."),
        error_messages={"required": _("Tick the box to confirm the request.")},
    )
