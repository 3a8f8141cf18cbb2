"""The override seam for allauth: language-aware e-mails and translated password errors."""

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import ngettext_lazy

#: Django 5.2 changed the wording of this message and its Italian catalogue has not caught
#: up, so the sign-up form would answer an Italian speaker in English. The message says the
#: same thing; allauth calls ``clean_password`` wherever a password is chosen (sign-up,
#: change, reset), so this is the one place to translate it.
PASSWORD_ERROR_MESSAGES = {
    "password_too_short": ngettext_lazy(
        "This password is too short. It must contain at least %(min_length)d character.",
        "This password is too short. It must contain at least %(min_length)d characters.",
        "min_length",
    ),
}


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.preferred_language = translation.get_language() or ""
        if commit:
            user.save()
        return user

    def send_mail(self, template_prefix, email, context):
        user = context.get("user")
        language = getattr(user, "preferred_language", "") or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)

    def clean_password(self, password, user=None):
        try:
            return super().clean_password(password, user)
        except ValidationError as error:
            raise ValidationError(
                [
                    ValidationError(
                        PASSWORD_ERROR_MESSAGES[item.code], code=item.code, params=item.params
                    )
                    if item.code in PASSWORD_ERROR_MESSAGES
                    else item
                    for item in error.error_list
                ]
            ) from error
