"""Shared set-up for the benchmarks: a throwaway database per engine, timing and query counts.

Each benchmark runs once per database engine, in a child process, so that SQLite and PostgreSQL
figures print side by side from one command. Nothing here asserts: the scripts print figures.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")


def postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", connect_timeout=2):
            return True
    except Exception:
        return False


def run_per_engine(script: Path, extra_args: list[str] | None = None) -> None:
    """Run ``script --child`` once with a temporary SQLite file and once with PostgreSQL."""
    engines = [("sqlite", None)]
    if postgres_available():
        engines.append(("postgresql", f"avvio_bench_{uuid.uuid4().hex[:8]}"))
    else:
        print("PostgreSQL is not reachable: printing SQLite figures only.")
    for engine, database in engines:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal_site.settings.test"}
        env.pop("DATABASE_URL", None)
        with tempfile.TemporaryDirectory() as folder:
            if engine == "sqlite":
                env["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
            else:
                _postgres_admin(f"CREATE DATABASE {database}")
                env["DATABASE_URL"] = f"{POSTGRES_SERVER}/{database}"
            try:
                subprocess.run(
                    [sys.executable, str(script), "--child", engine, *(extra_args or [])],
                    cwd=ROOT,
                    env=env,
                    check=True,
                )
            finally:
                if database:
                    _postgres_admin(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def per_engine_main(script: str, child: Callable[[str], None]) -> None:
    """A benchmark's entry point: ``script --child <engine>`` measures on the database the
    parent made; ``script`` alone runs it once per engine (``run_per_engine``)."""
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        run_per_engine(Path(script).resolve())


def _postgres_admin(statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(statement)


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def measure(fetch: Callable[[], object], *, repeat: int = 15) -> tuple[float, int]:
    """Median server time in milliseconds and the query count of one request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fetch()  # warm caches, as a running server would have them
    with CaptureQueriesContext(connection) as queries:
        fetch()
    # Read the count now: every request start clears the connection's query log.
    query_count = len(queries)
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        fetch()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings), query_count


def print_table(title: str, header: list[str], rows: list[list[object]]) -> None:
    print(f"\n{title}")
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    print("  ".join(str(cell).ljust(width) for cell, width in zip(header, widths, strict=True)))
    for row in rows:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))
