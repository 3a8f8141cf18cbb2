"""Sessions for the tests of what follows them (report, feedback, messages, personal data),
written directly: the booking service is tested on its own."""

import datetime

from django.utils import timezone

from mentors.models import Session


def make_session(match, *, starts_in=datetime.timedelta(hours=-2), minutes=60, status=None):
    """A session of ``match`` starting ``starts_in`` from now (in the past by default),
    confirmed unless told otherwise."""
    starts_at = timezone.now() + starts_in
    return Session.objects.create(
        match=match,
        mentor=match.mentor,
        participant=match.participant,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=minutes),
        mode="remote",
        link="https://meet.example.org/abc",
        status=status or Session.Status.CONFIRMED,
    )
