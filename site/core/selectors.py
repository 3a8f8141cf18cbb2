"""Reads for the host site's layout: menus and legal links in the visitor's language."""

from dataclasses import dataclass

from django.db.models import QuerySet
from wagtail.models import Locale, Page

from portal_site.core.models import MenuItem, NavigationSettings, SiteSettings


@dataclass(frozen=True)
class Link:
    label: str
    url: str


def _translations(pages: list[Page]) -> dict[object, Page]:
    """The live translation of each page in the active locale, in one query."""
    keys = {page.translation_key for page in pages}
    if not keys:
        return {}
    translated = Page.objects.live().filter(translation_key__in=keys, locale=Locale.get_active())
    return {page.translation_key: page for page in translated}


def _link_to(page: Page, translations: dict, request, label: str = "") -> Link:
    localized = translations.get(page.translation_key, page)
    return Link(label=label or localized.title, url=localized.get_url(request) or "")


def _menu_links(items: QuerySet[MenuItem], request) -> list[Link]:
    items = list(items.select_related("link_page"))
    translations = _translations([item.link_page for item in items if item.link_page])
    return [
        _link_to(item.link_page, translations, request, item.title)
        if item.link_page
        else Link(label=item.title, url=item.link_url)
        for item in items
    ]


def main_menu_links(request) -> list[Link]:
    return _menu_links(NavigationSettings.for_request(request).main_menu_items.all(), request)


def footer_links(request) -> dict:
    """The footer's menu plus the legally required privacy and accessibility links."""
    site_settings = SiteSettings.for_request(request)
    legal_pages = [
        page for page in (site_settings.privacy_page, site_settings.accessibility_page) if page
    ]
    translations = _translations(legal_pages)
    privacy = site_settings.privacy_page
    accessibility = site_settings.accessibility_page
    accessibility_url = site_settings.accessibility_declaration_url
    if not accessibility_url and accessibility:
        accessibility_url = _link_to(accessibility, translations, request).url
    return {
        "menu": _menu_links(
            NavigationSettings.for_request(request).footer_menu_items.all(), request
        ),
        "privacy_url": _link_to(privacy, translations, request).url if privacy else "",
        "accessibility_url": accessibility_url,
    }
