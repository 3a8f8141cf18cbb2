"""Production settings take every secret from the environment and pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal_site.settings.production",
    "SECRET_KEY": "x" * 64 + "-production-test-key-with-enough-entropy-1234567890",
    "ALLOWED_HOSTS": "avvio.comune.example.it",
    "CSRF_TRUSTED_ORIGINS": "https://avvio.comune.example.it",
    "DATABASE_URL": "sqlite:////tmp/avvio-production-check.sqlite3",
    "WAGTAILADMIN_BASE_URL": "https://avvio.comune.example.it",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_HOST": "smtp.example.it",
    "DEFAULT_FROM_EMAIL": "Avvio <avvio@comune.example.it>",
    "MEDIA_ROOT": "/tmp/avvio-media",
    "PRIVATE_STORAGE_ROOT": "/tmp/avvio-private",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # The test run's own switches (e.g. DJANGO_ALLOW_ASYNC_UNSAFE) are not production's.
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION_ENV and k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "CI"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "DATABASE_URL", "REDIS_URL", "PRIVATE_STORAGE_ROOT"]
)
def test_missing_value_stops_start_up_with_a_clear_message(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert f"The environment variable {missing} is required in production" in result.stderr


def test_production_runs_background_tasks_on_redis():
    script = (
        "from django.conf import settings;"
        "print(settings.TASKS['default']['BACKEND']);"
        "print(settings.RQ_QUEUES['default']['URL'])"
    )
    result = _manage("shell", "-v", "0", "-c", script, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django_tasks_rq.RQBackend", PRODUCTION_ENV["REDIS_URL"]]
