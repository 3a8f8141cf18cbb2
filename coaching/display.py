"""How the path writes a stored value for people to read: words and local time, never
"None", "True" or a UTC time. Used by the admin's inspect page and the data export."""

import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext


def value_in_words(value, *, empty: str = "—", short: bool = False):
    """An empty value as ``empty``, yes/no in words, a moment in the site's time zone and a
    day in the active language's format (``short``: the short formats); anything else as
    it is, for the caller to show."""
    if value is None or value == "" or value == []:
        return empty
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime.datetime):
        style = "SHORT_DATETIME_FORMAT" if short else "DATETIME_FORMAT"
        return formats.date_format(timezone.localtime(value), style)
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT" if short else "DATE_FORMAT")
    return value
