"""A business plan's pages as it grows: sections, kept versions and mentor comments.

    python bench/plans_editor.py

Server time and query count of the plan's overview, a section's editor (as the owner and as
the mentor reading it), the versions list, the comparison of two versions and the money page,
for a small, a full and an oversized plan. Runs on a temporary SQLite file and, when the
machine's PostgreSQL is reachable, on a throwaway PostgreSQL database too. The query count
must not grow with the plan (target: the same figure in each column).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._harness import measure, per_engine_main, print_table, setup_django

#: (sections, versions, comments)
SIZES = [(3, 2, 5), (12, 10, 40), (30, 40, 150)]


def _plan(size: int, versions: int, comments: int):
    from django.contrib.auth import get_user_model
    from wagtail.models import Site

    from coaching.plans.models import BusinessPlan, PlanSection
    from coaching.plans.services.editing import section_save
    from coaching.plans.services.review import comment_add
    from coaching.plans.services.versions import version_create
    from tests.coaching.factories import make_participant
    from tests.mentors.factories import make_match
    from tests.plans.factories import make_plan, make_template

    site = Site.objects.get(is_default_site=True)
    owner = make_participant(site=site, status="eligible")
    keys = [f"part-{n}" for n in range(size)]
    template = make_template(site=site, keys=keys, is_default=False, name=f"Bench {size}")
    plan = make_plan(participant=owner, template=template)
    match = make_match(participant=owner, site=site)
    BusinessPlan.objects.filter(pk=plan.pk).update(shared_with=match.mentor.user)
    sections = list(plan.sections.filter(kind=PlanSection.Kind.SECTION))
    for section in sections:
        section_save(
            section=section,
            text="Testo della sezione. " * 60,
            base_revision=section.revision,
            done=True,
            by=owner.user,
        )
    plan = BusinessPlan.objects.get(pk=plan.pk)
    for number in range(versions):
        version_create(plan=plan, by=owner.user, reason="requested", label=f"v{number}")
    for number in range(comments):
        comment_add(
            plan=plan,
            section=sections[number % len(sections)],
            by=match.mentor.user,
            body=f"Commento {number}",
        )
    User = get_user_model()
    return plan, sections[0], User.objects.get(pk=owner.user.pk), match.mentor.user


def child(engine: str) -> None:
    setup_django()
    from django.test import Client
    from django.urls import reverse

    rows = []
    for size, versions, comments in SIZES:
        plan, section, owner, mentor = _plan(size, versions, comments)
        as_owner, as_mentor = Client(), Client()
        as_owner.force_login(owner)
        as_mentor.force_login(mentor)
        pages = [
            ("overview", as_owner, reverse("plans:overview", args=[plan.pk])),
            (
                "section editor (owner)",
                as_owner,
                reverse("plans:section", args=[plan.pk, section.key]),
            ),
            ("section (mentor)", as_mentor, reverse("plans:section", args=[plan.pk, section.key])),
            ("versions", as_owner, reverse("plans:versions", args=[plan.pk])),
            ("money", as_owner, reverse("plans:finance", args=[plan.pk])),
        ]
        if versions >= 2:
            compare = reverse("plans:compare", args=[plan.pk])
            pages.append(("compare", as_owner, f"{compare}?a=1&b={versions}"))
        for label, client, url in pages:
            status = client.get(url).status_code
            median_ms, queries = measure(lambda c=client, u=url: c.get(u), repeat=7)
            rows.append(
                [
                    engine,
                    f"{size}/{versions}/{comments}",
                    label,
                    status,
                    f"{median_ms:.1f}",
                    queries,
                ]
            )
    print_table(
        f"Plan pages as the plan grows ({engine})",
        ["engine", "sections/versions/comments", "page", "status", "median ms", "queries"],
        rows,
    )


if __name__ == "__main__":
    per_engine_main(__file__, child)
