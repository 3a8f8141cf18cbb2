"""Reading the grants' pages in tests: a response's text as the reader sees it, and a message
as the site (in its language, Italian) says it."""

import html

from django.utils import translation
from django.utils.translation import gettext


def page_text(response) -> str:
    """The response's HTML with its entities unescaped."""
    return html.unescape(response.content.decode())


def italian(msgid: str, **values) -> str:
    """``msgid`` as the pages under ``/it/`` (the site's language) say it, with ``values``."""
    with translation.override("it"):
        return gettext(msgid) % values
