"""The host Wagtail site of Avvio, imported as ``portal_site`` (see pyproject.toml)."""
