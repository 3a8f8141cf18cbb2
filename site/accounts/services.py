"""Writes about accounts."""

from django.db import transaction
from django.utils import timezone

from coaching import services as coaching_services
from coaching.models import Participant
from portal_site.accounts.models import User


@transaction.atomic
def user_update_profile(*, user: User, first_name: str, last_name: str, language: str) -> User:
    user.first_name = first_name
    user.last_name = last_name
    user.preferred_language = language
    user.save(update_fields=["first_name", "last_name", "preferred_language"])
    return user


@transaction.atomic
def user_request_deletion(*, user: User, now=None) -> User:
    """Record the request once; programme staff erase the data (records kept by law excepted).

    One wish, one queue: the request is also an erasure request on each of the person's
    participations (every municipality), so coordinators see it in their participant list.
    Idempotent: a second request keeps the first times everywhere.
    """
    now = now or timezone.now()
    if user.deletion_requested_at is None:
        user.deletion_requested_at = now
        user.save(update_fields=["deletion_requested_at"])
    for participant in Participant.objects.filter(user=user):
        coaching_services.participant_request_erasure(participant=participant, now=now)
    return user
