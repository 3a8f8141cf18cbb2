"""The override seam for allauth: e-mails in their recipient's language, signed with the
municipality's name and sent from a task; where signing in and confirming an address lead;
translated password errors; and sign-in failures counted per client."""

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext, ngettext_lazy

from portal_site.accounts.selectors import (
    second_factor_set_up_within,
    signed_in_within,
    user_has_mfa,
    user_may_open_wagtail_admin,
)
from portal_site.accounts.tasks import send_account_email
from portal_site.core.selectors import site_brand

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

#: Messages allauth sends to an address with an account, without the account in the context.
TO_AN_EXISTING_ACCOUNT = {"account/email/account_already_exists"}


class AccountAdapter(DefaultAccountAdapter):
    def _get_login_attempts_cache_key(self, request, **credentials):
        """The key of the ``login_failed`` limit: the address typed and the client's address.

        allauth keys it on the address alone, so five wrong passwords from anyone would lock
        the account's owner out. With the client's address in the key a guesser is held back
        and the owner, from another address, still signs in; each client's own volume of
        attempts stays capped by the per-IP part of the limit.
        """
        login = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{login}:{self.get_client_ip(request)}"

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.preferred_language = translation.get_language() or ""
        if commit:
            user.save()
        return user

    def get_login_redirect_url(self, request):
        """Where a sign-in without a ``next`` ends: staff in the administration, where their
        work waits, everyone else on their path's dashboard (``LOGIN_REDIRECT_URL``), in the
        language of the page they signed in on. A ``next`` (the page that asked them to sign
        in) comes first: allauth follows it before asking here."""
        if user_may_open_wagtail_admin(request.user):
            return reverse("wagtailadmin_home")
        return super().get_login_redirect_url(request)

    def get_email_verification_redirect_url(self, email_address):
        """Where confirming an address ends when it does not sign the person in.

        A confirmation in the browser that signed up signs the person in
        (``ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION``) and goes where signing in goes. Opened
        elsewhere (the phone's mail app), the link confirms the address only: the sign-in page
        then says what is next, and signing in leads to the dashboard. Someone already signed
        in has confirmed another address of theirs, and goes back to their addresses.
        """
        if self.request.user.is_authenticated:
            return reverse("account_email")
        messages.info(
            self.request,
            gettext("Now sign in with the password you chose, to continue where you left off."),
        )
        return reverse("account_login")

    def send_mail(self, template_prefix, email, context):
        """Render the message now, in its recipient's language, and send it from a task.

        Every account e-mail takes this way, so a registered and an unknown address cost a
        request the same: one message rendered, one task enqueued, no mail server waited for.
        The "you already have an account" message comes without the account: it is found by
        the address, so its owner reads it in their language.

        Each message is signed with the municipality's name and the address of its home page
        in that language (``site_name``, ``site_url``, read by ``account/email/base_message``),
        never with the host name allauth would use; it has a plain-text and an HTML part.
        """
        user = context.get("user")
        if user is None and template_prefix in TO_AN_EXISTING_ACCOUNT:
            user = get_user_model().objects.filter(email__iexact=email).first()
        language = getattr(user, "preferred_language", "") or translation.get_language()
        request = allauth_context.request or self.request
        with translation.override(language):
            brand = site_brand(request, language=translation.get_language())
            context = {
                "request": request,
                "email": email,
                "current_site": get_current_site(request),
                "site_name": brand.name,
                "site_url": brand.url,
                "site_contact_email": brand.contact_email,
                **context,
            }
            message = self.render_mail(template_prefix, email, context)
        body, html_body = message.body, ""
        if message.content_subtype == "html":
            body, html_body = strip_tags(message.body), message.body
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html_body = content
        send_account_email.enqueue(
            subject=message.subject,
            body=body,
            from_email=message.from_email,
            to=list(message.to),
            html_body=html_body,
            headers=dict(message.extra_headers),
        )

    def format_email_subject(self, subject: str) -> str:
        """Subjects name the municipality that writes ("[Comune di Napoli] …"), in the
        language the message is rendered in (see ``send_mail``), never the host name."""
        request = allauth_context.request or self.request
        brand = site_brand(request, language=translation.get_language())
        return f"[{brand.name}] {subject}"

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

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Setting up a second factor straight after signing in does not ask for the password
        again (staff are sent to do it by the sign-in itself, and a password typed seconds ago
        proves what re-typing it would), nor do the recovery codes shown straight after (the
        person has just typed a code from the new app). Anything else re-authenticates as
        allauth requires, with the second factor for whoever has one."""
        request = allauth_context.request
        if app == "allauth.mfa" and request is not None and request.user.is_authenticated:
            window = account_settings.REAUTHENTICATION_TIMEOUT
            if second_factor_set_up_within(request, seconds=window):
                return False
            if not user_has_mfa(request.user) and signed_in_within(request, seconds=window):
                return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def get_reauthentication_methods(self, user):
        """Whoever has a second factor confirms it is them with it, never with the password
        (or a code by e-mail) alone: allauth would offer the password first, and a stolen
        password would then reach the recovery codes or remove the authenticator."""
        methods = super().get_reauthentication_methods(user)
        if not user_has_mfa(user):
            return methods
        second_factor = [m for m in methods if m["id"].startswith("mfa_reauthenticate")]
        return second_factor or methods

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        # allauth leaves the user out of a notice's context; ``send_mail`` needs it to write
        # in the person's language rather than the language of the page that made the change.
        super().send_notification_mail(
            template_prefix, user, context={"user": user, **(context or {})}, email=email
        )
