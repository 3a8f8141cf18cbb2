from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.contrib.auth.hashers import make_password
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


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form, taking as long for a registered address as for a new one.

    allauth already answers both alike (no account is created, the owner gets an e-mail),
    but a new account's password is hashed, which is most of the answer's time with PBKDF2.
    The submitted password is hashed here too, with the same hasher, and thrown away.
    """

    def try_save(self, request):
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)
