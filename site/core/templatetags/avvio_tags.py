"""Template tags of the host site: language links, menus and the page's heading."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django import template
from django.conf import settings
from django.urls import Resolver404, resolve, translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language_from_path
from wagtail.models import Page

from portal_site.core import selectors

register = template.Library()


#: Query parameters holding an address on this site (where to go after signing in): they
#: follow the language switch too, or the person would come back to the other language.
NEXT_PARAMETERS = ("next",)


def _translated_path(url: str, code: str) -> str:
    """The same address in the language ``code``.

    ``translate_url`` resolves the address in the active language, so it must run in the
    language of the address's own prefix (a page may render in another language than its
    path's, and inside ``override(code)`` the prefix of the other language no longer resolves).
    """
    parts = urlsplit(url)
    own = get_language_from_path(parts.path) or translation.get_language()
    with translation.override(own):
        translated = translate_url(url, code)
    if translated != url or own == code or not parts.path.startswith(f"/{own}/"):
        return translated
    # An address with no name (or several patterns for one path): the same path under the
    # other prefix, if it leads somewhere there.
    path = f"/{code}/{parts.path[len(own) + 2 :]}"
    with translation.override(code):
        try:
            resolve(path)
        except Resolver404:
            return url
    return urlunsplit(parts._replace(path=path))


def _with_translated_next(url: str, code: str, request) -> str:
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    if not any(name in NEXT_PARAMETERS for name, _ in pairs):
        return url
    query = []
    for name, value in pairs:
        if name in NEXT_PARAMETERS and url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            value = _translated_path(value, code)
        query.append((name, value))
    return urlunsplit(parts._replace(query=urlencode(query)))


def _page_translations(page: Page, request) -> dict[str, str]:
    """Each language's address for a Wagtail page: its translation, keeping the query (a
    search, a filter), or else the nearest of its ancestors that has one (the other language's
    home at worst), never a page that does not exist.
    """
    ancestors = list(page.get_ancestors(inclusive=True).filter(depth__gt=1))
    depth_of = {ancestor.translation_key: ancestor.depth for ancestor in ancestors}
    candidates = Page.objects.live().filter(translation_key__in=depth_of).select_related("locale")
    query = urlsplit(request.get_full_path()).query
    urls: dict[str, str] = {}
    for candidate in sorted(candidates, key=lambda p: -depth_of[p.translation_key]):
        code = candidate.locale.language_code
        url = candidate.get_url(request)
        if code in urls or not url:
            continue
        if query and candidate.translation_key == page.translation_key:
            url = f"{url}?{query}"
        urls[code] = url
    return urls


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """One link per language: the same page in that language.

    A Wagtail page links to its translation (keeping the query, a search or filter); any
    other address (sign-in, search, dashboard, intake...) to itself under the other
    language's prefix, with a ``next`` address translated along.
    """
    request = context["request"]
    page = context.get("page")
    current = translation.get_language()
    translations: dict[str, str] = {}
    if isinstance(page, Page):
        translations = _page_translations(page, request)
    links = []
    for code, name in settings.LANGUAGES:
        url = translations.get(code) or _translated_path(request.get_full_path(), code)
        url = _with_translated_next(url, code, request)
        with translation.override(code):
            label = translation.gettext(name)
        links.append({"code": code, "name": label, "url": url, "current": code == current})
    return links


@register.inclusion_tag("core/includes/menu.html", takes_context=True)
def main_menu(context):
    request = context["request"]
    return {"links": selectors.main_menu_links(request), "request": request}


@register.simple_tag(takes_context=True)
def footer_links(context) -> dict:
    return selectors.footer_links(context["request"])
