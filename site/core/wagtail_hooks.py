"""The host site's admin: the translatable site texts as a snippet (under Snippets); and how
the municipality signs the apps' documents."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal_site.core.models import SiteSettings, SiteText


class SiteTextViewSet(SnippetViewSet):
    model = SiteText
    icon = "site"
    menu_label = _("Site texts")
    list_display = ["name", "tagline", "locale"]
    list_filter = ["locale"]
    search_fields = ["name", "tagline"]


register_snippet(SiteTextViewSet)


@hooks.register("avvio_municipality_header")
def municipality_header(site):
    """Read by the business plan's PDF (``coaching.plans.pdf.MUNICIPALITY_HOOK``): the
    municipality's name and its logo as PNG bytes (none when its file is missing)."""
    site_settings = SiteSettings.for_site(site)
    logo = None
    if site_settings.logo_id:
        try:
            rendition = site_settings.logo.get_rendition("height-120|format-png")
            with rendition.file.open("rb") as handle:
                logo = handle.read()
        except (OSError, ValueError):
            logo = None
    return {"name": site_settings.municipality_name or site.site_name, "logo_png": logo}
