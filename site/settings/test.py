"""Test settings: fast hashing, in-memory e-mail, the database from DATABASE_URL or SQLite."""

from portal_site.settings.base import *  # noqa: F403
from portal_site.settings.base import STORAGES

DEBUG = False
SECRET_KEY = "test-only-not-secret-avvio"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ALLOWED_HOSTS = ["*"]
AVVIO_DEMO_PASSWORD = "avvio-demo-2026"
WAGTAILADMIN_BASE_URL = "http://testserver"
