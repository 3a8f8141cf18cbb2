"""Coaching's own settings, read lazily with defaults (allauth's app_settings style).

Override any of them in the host's settings with the ``COACHING_`` prefix, e.g.
``COACHING_HANDOVER_CODE_TTL = timedelta(days=7)``.
"""

from datetime import timedelta
from pathlib import Path


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
        """(attempts, seconds): hand-over claims accepted from one IP address per period."""
        return self._setting("HANDOVER_RATE_LIMIT", (10, 15 * 60))

    @property
    def FOLLOWUP_SCHEDULE(self) -> dict:
        """Follow-up kind -> (days, months) after the exit date (ESF+ longer-term results)."""
        return self._setting("FOLLOWUP_SCHEDULE", {"4w": (28, 0), "6m": (0, 6)})

    @property
    def COORDINATOR_GROUP(self) -> str:
        return self._setting("COORDINATOR_GROUP", "Coordinator")

    @property
    def MENTOR_GROUP(self) -> str:
        return self._setting("MENTOR_GROUP", "Mentor")

    @property
    def PARTICIPANT_GROUP(self) -> str:
        return self._setting("PARTICIPANT_GROUP", "Participant")

    @property
    def MAX_UPLOAD_SIZE(self) -> int:
        """Largest signed consent form accepted, in bytes."""
        return self._setting("MAX_UPLOAD_SIZE", 10 * 1024 * 1024)


app_settings = AppSettings()
