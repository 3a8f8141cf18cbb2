"""Hand-over of an account created by staff: a one-time code, printed or e-mailed."""

import secrets
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from coaching.conf import app_settings
from coaching.models import HandoverCode, Participant
from coaching.services.notify import language_for

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class HandoverError(Exception):
    """Why a code was refused: ``invalid``, ``expired``, ``used`` or ``locked``."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _hash(code: str) -> str:
    normalised = code.strip().upper().replace(" ", "").replace("-", "")
    return salted_hmac("coaching.handover", normalised, algorithm="sha256").hexdigest()


def _email_taken(email: str, user) -> bool:
    return get_user_model().objects.filter(email__iexact=email).exclude(pk=user.pk).exists()


def _can_be_handed_over(participant: Participant) -> bool:
    """Only accounts staff created for someone, who has never had their own sign-in.

    Without this, enrolling an existing address (a colleague's, an administrator's) and
    redeeming a code would set that account's password: an account takeover.
    """
    return participant.assisted_by_id is not None and not participant.user.has_usable_password()


@transaction.atomic
def handover_code_create(
    *,
    participant: Participant,
    by,
    channel: str = HandoverCode.Channel.PRINTED,
    email: str = "",
    claim_url: str = "",
    request_key=None,
    now=None,
) -> tuple[HandoverCode, str | None]:
    """Make a new code and return it once, in clear. A new code replaces the previous one.

    We chose explicit replacement over reusing a still-valid code: only the code's hash is
    stored, so an old code cannot be shown or sent again, and a lost paper is the usual reason
    to ask for a new one. What must not replace a code is a double click: the staff form
    carries a one-time ``request_key``, and a request with a key already used returns that
    code's record with ``None`` instead of the code (nothing new is made, expired or sent).
    """
    now = now or timezone.now()
    # Lock the person's row: two clicks at once are handled one after the other.
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if request_key is not None:
        earlier = HandoverCode.objects.filter(request_key=request_key).first()
        if earlier is not None:
            if earlier.participant_id != participant.pk:
                raise ValidationError(_("This form was used for another person. Reload the page."))
            return earlier, None
    if not _can_be_handed_over(participant):
        raise ValidationError(_("This person already signs in with their own account."))
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
        request_key=request_key,
    )
    if channel == HandoverCode.Channel.EMAIL:
        user = participant.user
        email = (email or user.email).strip().lower()
        if not email or email.endswith(".invalid"):
            raise ValidationError(_("An e-mail address is needed to send the invitation."))
        if _email_taken(email, user):
            raise ValidationError(_("Another account already uses this e-mail address."))
        if user.email != email:
            user.email = email
            user.save(update_fields=["email"])
        context = {"participant": participant, "handover": handover, "code": code}
        context["claim_url"] = claim_url
        with translation.override(language_for(user)):
            subject = render_to_string("coaching/emails/handover_subject.txt", context).strip()
            body = render_to_string("coaching/emails/handover_body.txt", context)
        # After commit: no mail for a code that was rolled back, no lock held while sending.
        transaction.on_commit(lambda: send_mail(subject, body, None, [email]))
    return handover, code


def handover_claim_attempt_allowed(*, client: str) -> bool:
    """Count one claim attempt from this client; False once it is over the limit.

    The per-code lock stops guessing one code; this stops trying many references from one
    place. A small counter in the cache, per fixed period (``COACHING_HANDOVER_RATE_LIMIT``).
    ``client`` names where the attempt comes from, as ``COACHING_CLIENT_ADDRESS`` reads it
    from the request; it is used as given.
    """
    attempts, seconds = app_settings.HANDOVER_RATE_LIMIT
    key = f"coaching:handover-claim:{client or 'unknown'}"
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        count = 1
    return count <= attempts


class HandoverClaim(NamedTuple):
    """A claimed account, and whether its e-mail address is proven (the code was e-mailed
    there and the person kept it) or still to be verified (a printed code, a new address)."""

    user: object
    email_verified: bool


def handover_claim(*, lookup: str, code: str, email: str, password: str, now=None) -> HandoverClaim:
    """Redeem a code and give the account its own sign-in details, all or nothing.

    A wrong code is counted in its own committed write, so the refusal cannot roll it back.
    Anything else that refuses the claim (an e-mail address already in use) rolls back the
    whole claim, so the code is not spent and the person can correct the address and retry.
    The row lock makes two simultaneous claims with the right code succeed only once.
    """
    now = now or timezone.now()
    email = (email or "").strip().lower()
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
        wrong = not constant_time_compare(handover.code_hash, _hash(code or ""))
        if wrong:
            handover.failed_attempts += 1
            handover.save(update_fields=["failed_attempts"])
        else:
            participant = handover.participant
            if not _can_be_handed_over(participant):
                raise HandoverError("used")
            user = participant.user
            # The code reached this address: the address is proven, nothing to verify.
            email_verified = handover.channel == HandoverCode.Channel.EMAIL and (
                not email or email == user.email
            )
            if email and email != user.email:
                if _email_taken(email, user):
                    raise ValidationError(_("Another account already uses this e-mail address."))
                user.email = email
            user.set_password(password)
            user.save()
            handover.used_at = now
            handover.save(update_fields=["used_at"])
    if wrong:
        raise HandoverError(
            "locked"
            if handover.failed_attempts >= app_settings.HANDOVER_MAX_ATTEMPTS
            else "invalid"
        )
    return HandoverClaim(user=user, email_verified=email_verified)
