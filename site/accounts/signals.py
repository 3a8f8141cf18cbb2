"""Time stamps in the session that the staff session rules read (see ``selectors``)."""

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from portal_site.accounts.selectors import SECOND_FACTOR_SET_UP_AT, SIGNED_IN_AT


@receiver(user_logged_in, dispatch_uid="accounts_stamp_sign_in")
def stamp_sign_in(sender, request, user, **kwargs):
    # Every sign-in goes through django.contrib.auth.login, which sends this signal.
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = time.time()


@receiver(authenticator_added, dispatch_uid="accounts_stamp_second_factor_set_up")
def stamp_second_factor_set_up(sender, request, user, authenticator, **kwargs):
    if authenticator.type in (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN):
        request.session[SECOND_FACTOR_SET_UP_AT] = time.time()
