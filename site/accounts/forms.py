from django import forms
from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from portal_site.accounts.models import User


def _language_choices() -> list[tuple[str, str]]:
    """Each language in its own words, so people find theirs whatever the page's language."""
    return [
        (code, capfirst(get_language_info(code)["name_local"]))
        for code, _name in settings.LANGUAGES
    ]


class ProfileForm(forms.ModelForm):
    preferred_language = forms.ChoiceField(
        label=_("Language"),
        choices=_language_choices,
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
