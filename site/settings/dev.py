"""Local development: DEBUG on, e-mail printed to the console, SQLite unless DATABASE_URL."""

from portal_site.settings.base import *  # noqa: F403
from portal_site.settings.base import STORAGES

DEBUG = True
SECRET_KEY = "dev-only-not-secret-avvio"
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
INTERNAL_IPS = ["127.0.0.1"]
# Tasks run in the request process on one machine.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Demo passwords are only known to the dev settings (printed by load_demo).
AVVIO_DEMO_PASSWORD = "avvio-demo-2026"
