"""Mentoring's own settings, read lazily with defaults (allauth's app_settings style, as
``coaching.conf``).

Override any of them in the host's settings with the ``MENTORS_`` prefix, e.g.
``MENTORS_SESSION_MINUTES = 45``.
"""

from datetime import timedelta


class AppSettings:
    prefix = "MENTORS_"

    def _setting(self, name, default):
        from django.conf import settings

        return getattr(settings, self.prefix + name, default)

    @property
    def TIME_ZONE(self) -> str:
        """The zone of the mentors' weekly availability and of every time the pages show:
        availability is wall-clock time there, whatever the server's zone."""
        return self._setting("TIME_ZONE", "Europe/Rome")

    @property
    def HOLIDAY_COUNTRY(self) -> str:
        """Public holidays of this country (the ``holidays`` library) offer no slots."""
        return self._setting("HOLIDAY_COUNTRY", "IT")

    @property
    def SESSION_MINUTES(self) -> int:
        """The length of a session, and of each slot offered for booking."""
        return self._setting("SESSION_MINUTES", 60)

    @property
    def BOOKING_WEEKS(self) -> int:
        """How many weeks ahead a participant may book."""
        return self._setting("BOOKING_WEEKS", 4)

    @property
    def MIN_NOTICE(self) -> timedelta:
        """A participant books at least this long before the start, so the mentor can see
        the request in time (a mentor proposing a time only avoids the past)."""
        return self._setting("MIN_NOTICE", timedelta(hours=12))

    @property
    def LATE_CANCEL(self) -> timedelta:
        """A participant who cancels a confirmed session closer than this to its start
        cancels late (``Session.Status.LATE_CANCELLED``), which the attendance figures count."""
        return self._setting("LATE_CANCEL", timedelta(hours=24))

    @property
    def REMINDERS(self) -> dict[str, timedelta]:
        """Reminder kind (``SessionReminder.Kind``) -> how long before the start it is sent."""
        return self._setting("REMINDERS", {"day": timedelta(days=1), "hour": timedelta(hours=1)})

    @property
    def FEED_PAST_DAYS(self) -> int:
        """A calendar feed lists the sessions of this many past days, and all to come."""
        return self._setting("FEED_PAST_DAYS", 90)


app_settings = AppSettings()
