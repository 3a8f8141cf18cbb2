"""Template tags a host site can use: ``{% load resources_tags %}{% upcoming_opportunities %}``,
``{% search_result_details results as details %}``."""

from django import template
from django.db.models import prefetch_related_objects
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.blocks import StreamValue
from wagtail.models import Locale

from resources import selectors
from resources.models import ResourcePage
from resources.models.pages import stream_text

SNIPPET_WORDS = 30

register = template.Library()


@register.inclusion_tag("resources/includes/upcoming_opportunities.html", takes_context=True)
def upcoming_opportunities(context, limit=None):
    """Opportunities with the nearest deadlines, in the current language (for the home page)."""
    return {
        "opportunities": selectors.upcoming_opportunities(locale=Locale.get_active(), limit=limit),
        "request": context.get("request"),
    }


def _snippet(page) -> str:
    """A few words that say what the page is: its search description, its summary or
    introduction, else the start of its text."""
    for name in ("search_description", "summary", "introduction"):
        text = getattr(page, name, "") or ""
        if text.strip():
            break
    else:
        body = getattr(page, "body", None)
        if isinstance(body, StreamValue):
            text = stream_text(body)
        else:
            text = body if isinstance(body, str) else ""
    return Truncator(" ".join(strip_tags(text).split())).words(SNIPPET_WORDS)


@register.simple_tag
def search_result_details(results) -> list[dict]:
    """For each search result (specific pages): its type, its topics in the current language
    and a snippet, so results are more than bare titles. One query for all the topics."""
    pages = list(results)
    resources = [page for page in pages if isinstance(page, ResourcePage)]
    prefetch_related_objects(resources, "topics")
    names = (
        {
            topic.slug: topic.name
            for topic in selectors.topics_for_locale(locale=Locale.get_active())
        }
        if resources
        else {}
    )
    return [
        {
            "page": page,
            "type": str(page._meta.verbose_name),
            "topics": [names.get(topic.slug, topic.name) for topic in page.topics.all()]
            if isinstance(page, ResourcePage)
            else [],
            "snippet": _snippet(page),
        }
        for page in pages
    ]
