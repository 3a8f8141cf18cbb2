"""``{{ amount|euros }}``: money as the grants pages write it (``models.money.euros``)."""

from django import template

from coaching.grants.models.money import euros as _euros

register = template.Library()


@register.filter
def euros(amount) -> str:
    return _euros(amount)
