"""A person's private calendar feed: created on request, revoked by deleting it.

The feed's URL holds a random token (``secrets.token_urlsafe``), the only key to it, so it can
be given to a calendar application that cannot sign in. Revoking deletes the row: the old URL
answers 404 at once, and a new feed gets a new token.
"""

import secrets

from django.db import IntegrityError, transaction

from mentors.models import CalendarFeed


def calendar_feed_create(*, user) -> CalendarFeed:
    """The person's feed, created if they have none (a second click keeps the same URL)."""
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is not None:
        return feed
    try:
        with transaction.atomic():
            return CalendarFeed.objects.create(user=user, token=secrets.token_urlsafe(32))
    except IntegrityError:
        # Two clicks at once: the other one created it.
        return CalendarFeed.objects.get(user=user)


def calendar_feed_revoke(*, user) -> bool:
    """Delete the person's feed; its URL stops working. False when there was none."""
    deleted, _rows = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)
