"""Mentoring on the database: the mentor's space as mentees and sessions grow, and the top three
mentors for one participant among 10, 100 and 1,000 approved mentors.

    python bench/mentoring.py

Server time and query count of the mentor's space (``/it/mentoring/``) and of a mentee's page
with 1, 10 and 50 mentees (two sessions each), and ``mentors.services.matching.suggestions_for``
(database reads, the scoring and the reasons) with 10, 100 and 1,000 mentors. Runs on a
temporary SQLite file and, when the machine's PostgreSQL is reachable, on a throwaway
PostgreSQL database too. Targets (issue 11): the space's queries constant in the number of
mentees and sessions; the top three under 200 ms. Printed, not asserted.
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._harness import measure, per_engine_main, print_table, setup_django

MENTEES = [1, 10, 50]
MENTORS = [10, 100, 1_000]


def _mentees(mentor, site, to: int) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from mentors.models import Match, Session
    from tests.coaching.factories import make_participant

    now = timezone.now()
    have = Match.objects.filter(mentor=mentor).count()
    for n in range(have, to):
        person = make_participant(site=site, status="eligible")
        match = Match.objects.create(
            participant=person, mentor=mentor, status=Match.Status.ACCEPTED, accepted_at=now
        )
        for days in (3 + 2 * n, 4 + 2 * n):
            start = now + timedelta(days=days, hours=n % 8)
            Session.objects.create(
                match=match,
                mentor=mentor,
                participant=person,
                starts_at=start,
                ends_at=start + timedelta(hours=1),
                mode="remote",
                status=Session.Status.CONFIRMED,
            )


def _mentors(site, to: int) -> None:
    from django.contrib.auth import get_user_model

    from mentors.models import AvailabilityWindow, MentorMembership, MentorProfile

    User = get_user_model()
    have = MentorProfile.objects.count()
    users = User.objects.bulk_create(
        [User(email=f"bench-mentor{n}@example.org", first_name="Mentor", last_name=str(n))
         for n in range(have, to)],
        batch_size=500,
    )  # fmt: skip
    languages = [["it"], ["it", "ar"], ["it", "fr"], ["it", "en"], ["it", "es"]]
    sectors = ["food", "crafts", "digital", "care", "trade", "green"]
    profiles = MentorProfile.objects.bulk_create(
        [
            MentorProfile(
                user=user,
                kind="volunteer",
                languages=languages[n % 5],
                sectors=[sectors[n % 6]],
                meeting_modes=["in_person", "remote"],
                municipality="Napoli",
                capacity=1 + n % 10,
            )
            for n, user in enumerate(users, start=have)
        ],
        batch_size=500,
    )
    MentorMembership.objects.bulk_create(
        [MentorMembership(profile=p, site=site, status="approved") for p in profiles],
        batch_size=500,
    )
    from datetime import time as clock

    AvailabilityWindow.objects.bulk_create(
        [AvailabilityWindow(profile=p, weekday=n % 5, starts=clock(9), ends=clock(13))
         for n, p in enumerate(profiles)],
        batch_size=500,
    )  # fmt: skip


def child(engine: str) -> None:
    setup_django()
    from django.core.cache import cache
    from django.test import Client
    from wagtail.models import Site

    from mentors.models import Match
    from mentors.services.matching import suggestions_for
    from tests.coaching.factories import make_participant
    from tests.mentors.factories import make_mentor

    site = Site.objects.get(is_default_site=True)
    mentor = make_mentor(site=site, capacity=20)
    client = Client()
    client.force_login(mentor.user)
    cache.clear()
    rows = []
    for count in MENTEES:
        _mentees(mentor, site, count)
        first = Match.objects.filter(mentor=mentor).earliest("pk").participant_id
        for label, url in [
            ("mentor's space", "/it/mentoring/"),
            ("a mentee's page", f"/it/mentoring/mentees/{first}/"),
        ]:
            status = client.get(url).status_code
            median_ms, queries = measure(lambda u=url: client.get(u), repeat=7)
            rows.append([engine, count, label, status, f"{median_ms:.1f}", queries])
    print_table(
        f"Mentor's pages as mentees grow, two sessions each ({engine})",
        ["engine", "mentees", "page", "status", "median ms", "queries"],
        rows,
    )

    person = make_participant(site=site, status="eligible")
    rows = []
    for count in MENTORS:
        _mentors(site, count)
        suggestions_for(person)  # warm
        timings = []
        for _ in range(7):
            start = time.perf_counter()
            found = suggestions_for(person)
            timings.append((time.perf_counter() - start) * 1000)
        rows.append([engine, count, len(found), f"{statistics.median(timings):.1f}"])
    print_table(
        f"Top three mentors for one participant, from the database ({engine})",
        ["engine", "approved mentors", "suggested", "median ms"],
        rows,
    )


if __name__ == "__main__":
    per_engine_main(__file__, child)
