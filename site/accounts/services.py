"""Writes about accounts."""

from django.db import transaction
from django.utils import timezone

from portal_site.accounts.models import User


@transaction.atomic
def user_update_profile(*, user: User, first_name: str, last_name: str, language: str) -> User:
    user.first_name = first_name
    user.last_name = last_name
    user.preferred_language = language
    user.save(update_fields=["first_name", "last_name", "preferred_language"])
    return user


@transaction.atomic
def user_request_deletion(*, user: User) -> User:
    """Record the request once; programme staff erase the data (records kept by law excepted)."""
    if user.deletion_requested_at is None:
        user.deletion_requested_at = timezone.now()
        user.save(update_fields=["deletion_requested_at"])
    return user
