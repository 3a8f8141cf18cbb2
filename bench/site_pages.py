"""Home and standard page: server time and query count with 10 and with 500 pages in the tree.

    python bench/site_pages.py

Runs on a temporary SQLite file and, when the machine's PostgreSQL is reachable, on a
throwaway PostgreSQL database too. The query count must not grow with the tree.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._harness import measure, per_engine_main, print_table, setup_django

TREE_SIZES = [10, 500]


def child(engine: str) -> None:
    setup_django()
    from django.core.management import call_command
    from django.test import Client
    from wagtail.models import Site

    from portal_site.core.models import StandardPage

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    home = Site.objects.get(is_default_site=True).root_page.specific
    section = StandardPage.objects.get(slug="chi-siamo", locale__language_code="it")
    client = Client()
    rows = []
    for size in TREE_SIZES:
        existing = StandardPage.objects.child_of(section).count()
        for number in range(existing, size):
            section.add_child(
                instance=StandardPage(title=f"Pagina {number}", slug=f"pagina-{number}")
            )
        pages_in_tree = home.get_descendants(inclusive=True).count()
        for label, url in [("home", "/it/"), ("standard page", "/it/chi-siamo/")]:
            median_ms, queries = measure(lambda url=url: client.get(url))
            rows.append([engine, pages_in_tree, label, f"{median_ms:.1f}", queries])
    print_table(
        f"Server time and queries ({engine})",
        ["engine", "pages", "page", "median ms", "queries"],
        rows,
    )


if __name__ == "__main__":
    per_engine_main(__file__, child)
