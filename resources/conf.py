"""The learning library's settings, read lazily with defaults (allauth's app_settings style).

A host site overrides any of them in its Django settings, e.g.
``RESOURCES_LIBRARY_PARENT_PAGE_TYPES = ["home.HomePage"]``.
"""

from django.conf import settings


class AppSettings:
    prefix = "RESOURCES_"

    def _setting(self, name, default):
        return getattr(settings, self.prefix + name, default)

    @property
    def LIBRARY_PARENT_PAGE_TYPES(self) -> list[str]:
        """Page types a library index may be created under (the host site's home page)."""
        return self._setting("LIBRARY_PARENT_PAGE_TYPES", ["core.HomePage"])

    @property
    def PAGE_SIZE(self) -> int:
        """Resources per page of the library and topic listings."""
        return self._setting("PAGE_SIZE", 12)

    @property
    def READING_WORDS_PER_MINUTE(self) -> int:
        """Reading speed for the reading time: slow on purpose (second-language readers)."""
        return self._setting("READING_WORDS_PER_MINUTE", 150)

    @property
    def UPCOMING_OPPORTUNITIES(self) -> int:
        """How many opportunities the ``{% upcoming_opportunities %}`` tag shows."""
        return self._setting("UPCOMING_OPPORTUNITIES", 3)


app_settings = AppSettings()
