"""Coaching's own settings, read lazily with defaults (allauth's app_settings style).

Override any of them in the host's settings with the ``COACHING_`` prefix, e.g.
``COACHING_HANDOVER_CODE_TTL = timedelta(days=7)``.
"""

from datetime import timedelta
from pathlib import Path


def remote_address(request) -> str:
    """The client as the connection shows it: ``REMOTE_ADDR``, never a forwarded header.

    Right when the site is reached directly. Behind a proxy every client has the proxy's
    address, so the host must set ``COACHING_CLIENT_ADDRESS`` to a function that reads its
    trusted proxies (and may group an IPv6 network as one client).
    """
    return request.META.get("REMOTE_ADDR", "")


def django_sign_in(request, user, *, redirect_url: str, email_verified: bool = False):
    """Sign the person in with Django alone and go on to ``redirect_url``.

    For a host without its own sign-in flow. A host with one (allauth, with its e-mail
    verification and second factor) sets ``COACHING_SIGN_IN`` so that a hand-over claim, a
    way in like any other, goes through it.
    """
    from django.contrib.auth import login
    from django.shortcuts import redirect

    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect(redirect_url)


class AppSettings:
    prefix = "COACHING_"

    def _setting(self, name, default):
        from django.conf import settings

        return getattr(settings, self.prefix + name, default)

    @property
    def PRIVATE_STORAGE_ROOT(self) -> str:
        """Folder for consent forms and other private uploads: never under MEDIA_ROOT/URL."""
        from django.conf import settings

        media_root = Path(getattr(settings, "MEDIA_ROOT", "") or "var/media")
        return str(self._setting("PRIVATE_STORAGE_ROOT", media_root.parent / "private"))

    @property
    def HANDOVER_CODE_TTL(self) -> timedelta:
        """How long a printed or e-mailed hand-over code stays valid."""
        return self._setting("HANDOVER_CODE_TTL", timedelta(days=14))

    @property
    def HANDOVER_MAX_ATTEMPTS(self) -> int:
        """Wrong codes accepted for one hand-over before it is locked (a new code is needed)."""
        return self._setting("HANDOVER_MAX_ATTEMPTS", 5)

    @property
    def HANDOVER_RATE_LIMIT(self) -> tuple[int, int]:
        """(attempts, seconds): hand-over claims accepted from one client per period.

        The client is what ``CLIENT_ADDRESS`` returns for the request."""
        return self._setting("HANDOVER_RATE_LIMIT", (10, 15 * 60))

    @property
    def CLIENT_ADDRESS(self):
        """Dotted path to a callable ``(request) -> str`` naming the client for rate limits.

        The default reads ``REMOTE_ADDR`` only; behind proxies the host must provide one.
        """
        from django.utils.module_loading import import_string

        return import_string(self._setting("CLIENT_ADDRESS", "coaching.conf.remote_address"))

    @property
    def SIGN_IN(self):
        """Dotted path to a callable ``(request, user, *, redirect_url, email_verified) ->
        HttpResponse`` that signs in a person who has just claimed their account (default:
        ``django_sign_in``). ``email_verified``: the code was e-mailed to the address kept."""
        from django.utils.module_loading import import_string

        return import_string(self._setting("SIGN_IN", "coaching.conf.django_sign_in"))

    @property
    def FOLLOWUP_SCHEDULE(self) -> dict:
        """Follow-up kind -> (days, months) after the exit date (ESF+ longer-term results).
        The kinds are ``FollowUp.Kind``; the default is ``FollowUp.SCHEDULE``."""
        # Through the app registry: the models read these settings, so no import back.
        from django.apps import apps

        return self._setting("FOLLOWUP_SCHEDULE", apps.get_model("coaching", "FollowUp").SCHEDULE)

    @property
    def COORDINATOR_GROUP(self) -> str:
        """Name of the coordinators' group. ``coaching.roles`` declares its permissions under
        this name, so renaming it (then ``migrate`` or the host's role sync) keeps them."""
        return self._setting("COORDINATOR_GROUP", "Coordinator")

    @property
    def MENTOR_GROUP(self) -> str:
        """Name of the mentors' group (see ``COORDINATOR_GROUP``)."""
        return self._setting("MENTOR_GROUP", "Mentor")

    @property
    def FINANCE_OFFICER_GROUP(self) -> str:
        return self._setting("FINANCE_OFFICER_GROUP", "Finance officer")

    @property
    def EVALUATOR_GROUP(self) -> str:
        """Name of the group of grant evaluators (see ``COORDINATOR_GROUP``)."""
        return self._setting("EVALUATOR_GROUP", "Evaluator")

    @property
    def PARTICIPANT_GROUP(self) -> str:
        """Name of the group every participant joins (see ``COORDINATOR_GROUP``)."""
        return self._setting("PARTICIPANT_GROUP", "Participant")

    @property
    def DECISION_WORKING_DAYS(self) -> int:
        """Working days (Monday to Friday) within which coordinators answer an application:
        the receipt and the dashboard tell the person, with the date it gives."""
        return self._setting("DECISION_WORKING_DAYS", 10)

    @property
    def MAX_UPLOAD_SIZE(self) -> int:
        """Largest signed consent form accepted, in bytes."""
        return self._setting("MAX_UPLOAD_SIZE", 10 * 1024 * 1024)

    @property
    def GRANT_CALL_PARENT_PAGE_TYPES(self) -> list[str]:
        """Page types under which editors may publish a grant call (the host's home page)."""
        return self._setting("GRANT_CALL_PARENT_PAGE_TYPES", ["core.HomePage"])

    @property
    def GRANT_UPLOAD_MAX_SIZE(self) -> int:
        """Largest document or receipt accepted with a grant application, in bytes."""
        return self._setting("GRANT_UPLOAD_MAX_SIZE", 5 * 1024 * 1024)


app_settings = AppSettings()
