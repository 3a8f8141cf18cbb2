"""Template tags of the host site: language links, menus and the page's heading."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Page

from portal_site.core import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """One link per language: the page's translation when it has one, else the same URL."""
    request = context["request"]
    page = context.get("page")
    current = translation.get_language()
    translations: dict[str, str] = {}
    if isinstance(page, Page):
        for translated in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[translated.locale.language_code] = translated.get_url(request)
    links = []
    for code, name in settings.LANGUAGES:
        with translation.override(code):
            url = translations.get(code) or translate_url(request.get_full_path(), code)
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
