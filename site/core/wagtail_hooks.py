"""The host site's admin: the translatable site texts as a snippet (under Snippets)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal_site.core.models import SiteText


class SiteTextViewSet(SnippetViewSet):
    model = SiteText
    icon = "site"
    menu_label = _("Site texts")
    list_display = ["name", "tagline", "locale"]
    list_filter = ["locale"]
    search_fields = ["name", "tagline"]


register_snippet(SiteTextViewSet)
