"""Coordinator's participant list (Wagtail admin) and a participant's dashboard.

    python bench/coaching_lists.py

Server time and query count with 100, 1,000 and 10,000 participants, and the list at two page
sizes (the rows shown). Runs on a temporary SQLite file and, when the machine's PostgreSQL is
reachable, on a throwaway PostgreSQL database too. The query count must not grow with rows.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._harness import measure, per_engine_main, print_table, setup_django

POPULATIONS = [100, 1_000, 10_000]


def _grow(site, to: int) -> None:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from coaching.models import Notification, Participant, StageChange

    User = get_user_model()
    start = Participant.objects.count()
    if start >= to:
        return
    now = timezone.now()
    users = User.objects.bulk_create(
        [User(email=f"bench{n}@example.org", first_name="Bench", last_name=str(n))
         for n in range(start, to)],
        batch_size=1000,
    )  # fmt: skip
    statuses = ["submitted", "eligible", "draft", "declined"]
    people = Participant.objects.bulk_create(
        [
            Participant(
                user=user,
                site=site,
                reference=f"AV-B{n:06d}",
                status=statuses[n % 4],
                stage="orientation" if n % 4 == 1 else "intake",
                municipality="Napoli",
                submitted_at=now,
            )
            for n, user in enumerate(users, start=start)
        ],
        batch_size=1000,
    )
    StageChange.objects.bulk_create(
        [StageChange(participant=p, to_stage="intake", created_at=now) for p in people],
        batch_size=1000,
    )
    Notification.objects.bulk_create(
        [Notification(user=p.user, participant=p, subject="s", body="b", created_at=now)
         for p in people],
        batch_size=1000,
    )  # fmt: skip


def child(engine: str) -> None:
    setup_django()
    from django.contrib.auth.models import Group
    from django.core.cache import cache
    from django.test import Client
    from wagtail.models import Site

    from coaching.models import Participant, StaffSiteAssignment
    from tests.coaching.factories import make_participant
    from tests.factories import UserFactory
    from tests.site.helpers_mfa import sign_in_with_totp

    site = Site.objects.get(is_default_site=True)
    coordinator = UserFactory(email="bench-coordinator@example.org", is_staff=True)
    coordinator.groups.add(Group.objects.get(name="Coordinator"))
    StaffSiteAssignment.objects.create(user=coordinator, site=site)
    staff = Client()
    cache.clear()
    sign_in_with_totp(staff, coordinator)
    person = make_participant(user=UserFactory(email="bench-person@example.org"))
    Participant.objects.filter(pk=person.pk).update(status="eligible", stage="training")
    visitor = Client()
    visitor.force_login(person.user)

    rows = []
    for population in POPULATIONS:
        _grow(site, population)
        for label, client, url in [
            ("admin list, 50 rows", staff, "/admin/coaching_participant/"),
            ("admin list, 50 rows, search", staff, "/admin/coaching_participant/?q=bench1"),
            ("admin list, filter eligible", staff, "/admin/coaching_participant/?status=eligible"),
            ("dashboard", visitor, "/it/path/dashboard/"),
        ]:
            status = client.get(url).status_code
            median_ms, queries = measure(lambda c=client, u=url: c.get(u), repeat=7)
            rows.append([engine, population, label, status, f"{median_ms:.1f}", queries])
    print_table(
        f"Server time and queries ({engine})",
        ["engine", "participants", "page", "status", "median ms", "queries"],
        rows,
    )


if __name__ == "__main__":
    per_engine_main(__file__, child)
