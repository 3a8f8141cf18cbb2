"""What the call's page offers its reader (``{% call_apply_state page as apply %}``): read
here so the page model's ``serve()`` stays Wagtail's own."""

from django import template

from coaching.grants.views.applications import call_page_state

register = template.Library()


@register.simple_tag(takes_context=True)
def call_apply_state(context, call) -> dict:
    request = context.get("request")
    if request is None:  # a preview without a request
        return {}
    return call_page_state(call, request)
