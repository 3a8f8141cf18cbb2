"""Local development: DEBUG on, e-mail printed to the console, SQLite unless DATABASE_URL."""

import os

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

# Demo mode: payouts go to the offline fake Stripe that ``make run`` starts
# (``python -m tests.stripe_fake``), with its demo webhook secrets. A developer with their
# own Stripe test keys sets the four variables instead (an empty STRIPE_API_BASE: Stripe's).
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "sk_test_demo")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "whsec_demo_snapshot")
STRIPE_THIN_WEBHOOK_SECRET = os.environ.get("STRIPE_THIN_WEBHOOK_SECRET", "whsec_demo_thin")
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "http://127.0.0.1:12111")
