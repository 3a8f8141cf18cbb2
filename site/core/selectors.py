"""Reads for the host site's layout: menus and legal links in the visitor's language."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale, Page, Site

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


@dataclass(frozen=True)
class SiteBrand:
    """How the site signs what it sends: the municipality's name, its home page in one
    language, and where to write with questions."""

    name: str
    url: str
    contact_email: str


def site_brand(request, *, language: str) -> SiteBrand:
    """The brand of the site ``request`` came to (the default site without a request), with
    its home page in ``language``, as an absolute address on the host the person used."""
    site = (Site.find_for_request(request) if request is not None else None) or (
        Site.objects.filter(is_default_site=True).first()
    )
    site_settings = SiteSettings.for_site(site) if site is not None else None
    name = (
        (site_settings.municipality_name if site_settings else "")
        or (site.site_name if site else "")
        or settings.WAGTAIL_SITE_NAME
    )
    with translation.override(language):
        home = reverse("wagtail_serve", args=("",))
    if request is not None:
        url = request.build_absolute_uri(home)
    else:
        url = f"{site.root_url if site else settings.WAGTAILADMIN_BASE_URL}{home}"
    return SiteBrand(
        name=name,
        url=url,
        contact_email=site_settings.contact_email if site_settings else "",
    )
