"""Template tags a host site can use: ``{% load resources_tags %}{% upcoming_opportunities %}``."""

from django import template
from wagtail.models import Locale

from resources import selectors

register = template.Library()


@register.inclusion_tag("resources/includes/upcoming_opportunities.html", takes_context=True)
def upcoming_opportunities(context, limit=None):
    """Opportunities with the nearest deadlines, in the current language (for the home page)."""
    return {
        "opportunities": selectors.upcoming_opportunities(locale=Locale.get_active(), limit=limit),
        "request": context.get("request"),
    }
