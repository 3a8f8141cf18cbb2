"""Move each site's tagline, address and funding statement into its translatable site texts.

The values were written in one language, the site's default: they become the source texts in
that locale, which editors then translate. Settings with none of them get no texts; going
back copies the source texts onto the settings again.
"""

import uuid

from django.conf import settings
from django.db import migrations

MOVED_FIELDS = ("tagline", "address", "funding_statement", "funding_emblems_alt")


def _default_locale(Locale):
    return (
        Locale.objects.filter(language_code=settings.LANGUAGE_CODE).first()
        or Locale.objects.order_by("pk").first()
    )


def move_to_site_texts(apps, schema_editor):
    SiteSettings = apps.get_model("core", "SiteSettings")
    SiteText = apps.get_model("core", "SiteText")
    Locale = apps.get_model("wagtailcore", "Locale")
    locale = _default_locale(Locale)
    for site_settings in SiteSettings.objects.filter(texts__isnull=True).select_related("site"):
        values = {field: getattr(site_settings, field) for field in MOVED_FIELDS}
        if not any(values.values()) or locale is None:
            continue
        site_settings.texts = SiteText.objects.create(
            name=site_settings.site.site_name or site_settings.site.hostname,
            locale=locale,
            translation_key=uuid.uuid4(),
            **values,
        )
        site_settings.save(update_fields=["texts"])


def move_back_to_settings(apps, schema_editor):
    SiteSettings = apps.get_model("core", "SiteSettings")
    for site_settings in SiteSettings.objects.filter(texts__isnull=False).select_related("texts"):
        for field in MOVED_FIELDS:
            setattr(site_settings, field, getattr(site_settings.texts, field))
        site_settings.save(update_fields=list(MOVED_FIELDS))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_site_texts"),
    ]

    operations = [migrations.RunPython(move_to_site_texts, move_back_to_settings)]
