"""Template helpers for the account pages."""

from django import template

from portal_site.accounts import selectors

register = template.Library()

#: Account sections: (URL name, the URL names that belong to the section).
_SECTION_PREFIXES = {
    "account_profile": ("account_profile",),
    "account_email": ("account_email", "account_change_email"),
    "account_change_password": ("account_change_password", "account_set_password"),
    "mfa_index": ("mfa_",),
}


@register.filter
def is_staff_member(user) -> bool:
    return selectors.user_is_staff(user)


@register.simple_tag(takes_context=True)
def account_section(context) -> str:
    """The account section the current page belongs to (a URL name), or ""."""
    match = getattr(context.get("request"), "resolver_match", None)
    url_name = getattr(match, "url_name", "") or ""
    for section, prefixes in _SECTION_PREFIXES.items():
        if url_name.startswith(prefixes):
            return section
    return ""
