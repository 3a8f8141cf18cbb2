"""``{{ amount|euros }}``: money as the grants pages write it (``models.money.euros``), kept on
one line so that a narrow table cell never leaves the euro sign on a line of its own (the
class of Bootstrap Italia on the public site, of Wagtail in the admin)."""

from django import template
from django.utils.html import format_html

from coaching.grants.models.money import euros as _euros

register = template.Library()


@register.filter
def euros(amount) -> str:
    return format_html('<span class="text-nowrap w-whitespace-nowrap">{}</span>', _euros(amount))
