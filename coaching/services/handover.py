"""Hand-over of an account created by staff: a one-time code, printed or e-mailed."""

import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from coaching.conf import app_settings
from coaching.models import HandoverCode, Participant
from coaching.services.notify import _language_for

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class HandoverError(Exception):
    """Why a code was refused: ``invalid``, ``expired``, ``used`` or ``locked``."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _hash(code: str) -> str:
    normalised = code.strip().upper().replace(" ", "").replace("-", "")
    return salted_hmac("coaching.handover", normalised, algorithm="sha256").hexdigest()


@transaction.atomic
def handover_code_create(
    *,
    participant: Participant,
    by,
    channel: str = HandoverCode.Channel.PRINTED,
    email: str = "",
    claim_url: str = "",
    now=None,
) -> tuple[HandoverCode, str]:
    """Make a new code (older unused ones stop working) and return it once, in clear."""
    now = now or timezone.now()
    HandoverCode.objects.filter(participant=participant, used_at__isnull=True).update(
        expires_at=now
    )
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
    handover = HandoverCode.objects.create(
        participant=participant,
        lookup=secrets.token_hex(4).upper(),
        code_hash=_hash(code),
        channel=channel,
        expires_at=now + app_settings.HANDOVER_CODE_TTL,
        created_by=by,
        created_at=now,
    )
    if channel == HandoverCode.Channel.EMAIL:
        user = participant.user
        email = (email or user.email).strip().lower()
        if not email or email.endswith(".invalid"):
            raise ValidationError(_("An e-mail address is needed to send the invitation."))
        User = get_user_model()
        if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
            raise ValidationError(_("Another account already uses this e-mail address."))
        if user.email != email:
            user.email = email
            user.save(update_fields=["email"])
        context = {"participant": participant, "handover": handover, "code": code}
        context["claim_url"] = claim_url
        with translation.override(_language_for(user)):
            subject = render_to_string("coaching/emails/handover_subject.txt", context).strip()
            body = render_to_string("coaching/emails/handover_body.txt", context)
        send_mail(subject, body, None, [email])
    return handover, code


def handover_code_redeem(*, lookup: str, code: str, now=None) -> Participant:
    """Check a code. Success marks it used; a wrong code counts against the hand-over."""
    now = now or timezone.now()
    with transaction.atomic():
        handover = (
            HandoverCode.objects.select_for_update()
            .select_related("participant__user")
            .filter(lookup=(lookup or "").strip().upper())
            .first()
        )
        if handover is None:
            raise HandoverError("invalid")
        if handover.used_at:
            raise HandoverError("used")
        if handover.failed_attempts >= app_settings.HANDOVER_MAX_ATTEMPTS:
            raise HandoverError("locked")
        if handover.expires_at <= now:
            raise HandoverError("expired")
        if not constant_time_compare(handover.code_hash, _hash(code or "")):
            # Counted in its own committed write: the refusal below must not roll it back.
            handover.failed_attempts += 1
            handover.save(update_fields=["failed_attempts"])
            wrong = True
        else:
            handover.used_at = now
            handover.save(update_fields=["used_at"])
            wrong = False
    if wrong:
        raise HandoverError(
            "locked"
            if handover.failed_attempts >= app_settings.HANDOVER_MAX_ATTEMPTS
            else "invalid"
        )
    return handover.participant


@transaction.atomic
def handover_account_claim(*, participant: Participant, email: str, password: str):
    """Give the account its own sign-in details after a code was accepted."""
    user = participant.user
    email = (email or "").strip().lower()
    if email and email != user.email:
        User = get_user_model()
        if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
            raise ValidationError(_("Another account already uses this e-mail address."))
        user.email = email
    user.set_password(password)
    user.save()
    return user
