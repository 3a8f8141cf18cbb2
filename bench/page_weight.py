"""Bytes a visitor transfers for the home page: first visit and repeat visit.

    python bench/page_weight.py

Serves the demo site as production does (collectstatic with hashed, pre-compressed files
served by WhiteNoise with far-future cache headers) and loads it in headless Chromium, counting
the bytes on the wire per resource type. HTML is reported as sent by Django (uncompressed)
and gzip-compressed, as a TLS proxy in front of gunicorn would send it.
Targets (issue 3): first visit under 300 KB, HTML under 30 KB.
"""

import gzip
import os
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._harness import print_table, setup_django

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PAGES = [("home", "/it/"), ("standard page", "/it/chi-siamo/")]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal_site.settings.test")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "1"
    with tempfile.TemporaryDirectory() as folder:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/weight.sqlite3"
        setup_django()
        from django.core.management import call_command
        from django.test.testcases import LiveServerThread
        from django.test.utils import override_settings

        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        production_static = {
            "STATIC_ROOT": f"{folder}/static",
            "STORAGES": {
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": {
                    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
                },
            },
        }
        with override_settings(**production_static):
            call_command("collectstatic", interactive=False, verbosity=0)
            server = LiveServerThread("127.0.0.1", static_handler=lambda handler: handler)
            server.daemon = True
            server.start()
            server.is_ready.wait()
            try:
                measure_visits(f"http://127.0.0.1:{server.port}")
            finally:
                server.terminate()


def measure_visits(base_url: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        for label, path in PAGES:
            context = browser.new_context(viewport={"width": 375, "height": 740})
            tab = context.new_page()
            rows = []
            for visit in ("first", "repeat"):
                by_type = _visit(tab, base_url + path)
                total = sum(size for size, _count in by_type.values())
                for resource_type, (size, count) in sorted(by_type.items()):
                    rows.append([visit, resource_type, count, f"{size / 1024:.1f}"])
                rows.append([visit, "TOTAL", "", f"{total / 1024:.1f}"])
            html = tab.content().encode()
            context.close()
            print_table(
                f"{label} ({path}): bytes on the wire, KB",
                ["visit", "type", "requests", "KB"],
                rows,
            )
            print(
                f"HTML: {len(html) / 1024:.1f} KB as sent, "
                f"{len(gzip.compress(html)) / 1024:.1f} KB gzip-compressed"
            )
        browser.close()


def _visit(tab, url: str) -> dict[str, tuple[int, int]]:
    """Bytes received per resource type; resources served from the browser cache count 0."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])

    def finished(request):
        response = request.response()
        if response is None or response.from_service_worker:
            return
        sizes = request.sizes()
        transferred = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        if transferred <= 0:
            return  # memory or disk cache: nothing crossed the network
        entry = totals[request.resource_type]
        entry[0] += transferred
        entry[1] += 1

    tab.on("requestfinished", finished)
    tab.goto(url, wait_until="networkidle")
    tab.remove_listener("requestfinished", finished)
    return {key: (value[0], value[1]) for key, value in totals.items()}


if __name__ == "__main__":
    main()
