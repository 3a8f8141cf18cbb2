"""Production: every secret and deployment value comes from the environment.

Missing values stop start-up with a message naming the variable (see README.md).
"""

import os

import dj_database_url

from portal_site.settings.base import *  # noqa: F403
from portal_site.settings.env import env_bool, env_int, env_list, env_required

DEBUG = False
SECRET_KEY = env_required("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or [env_required("ALLOWED_HOSTS")]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
DATABASES = {
    "default": dj_database_url.parse(
        env_required("DATABASE_URL"), conn_max_age=600, conn_health_checks=True
    )
}
WAGTAILADMIN_BASE_URL = env_required("WAGTAILADMIN_BASE_URL")

REDIS_URL = env_required("REDIS_URL")
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.cache"
AVVIO_STAFF_SESSION_IDLE_TIMEOUT = env_int(
    "AVVIO_STAFF_SESSION_IDLE_TIMEOUT",
    default=AVVIO_STAFF_SESSION_IDLE_TIMEOUT,  # noqa: F405
)
AVVIO_STAFF_SESSION_MAX_AGE = env_int(
    "AVVIO_STAFF_SESSION_MAX_AGE",
    default=AVVIO_STAFF_SESSION_MAX_AGE,  # noqa: F405
)

# Background tasks (follow-up reminders) go through Redis in production, run by
# `python manage.py rqworker --with-scheduler --job-class django_tasks_rq.Job default`
# (the scheduler releases tasks enqueued with run_after when they fall due).
INSTALLED_APPS = [*INSTALLED_APPS, "django_rq", "django_tasks_rq"]  # noqa: F405
RQ_QUEUES = {"default": {"URL": REDIS_URL}}
TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env_required("EMAIL_HOST")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
# Some municipal relays accept mail from the server without credentials.
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = env_required("DEFAULT_FROM_EMAIL")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Microgrant payouts are being built; the keys become required with them. A live key is
# refused unless STRIPE_LIVE is true.
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_THIN_WEBHOOK_SECRET = os.environ.get("STRIPE_THIN_WEBHOOK_SECRET", "")
STRIPE_LIVE = env_bool("STRIPE_LIVE", default=False)

MEDIA_ROOT = env_required("MEDIA_ROOT")
# Signed consent forms: outside MEDIA_ROOT, never served by the web server, only through
# coaching's permission-checked view. Share it between app servers (a network volume).
COACHING_PRIVATE_STORAGE_ROOT = env_required("PRIVATE_STORAGE_ROOT")

# Security: HTTPS only, secure cookies, HSTS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Production runs behind the TLS proxy (which the header above already trusts), so the
# client's address is the one the proxy appended to X-Forwarded-For. The rate limits of
# allauth and of the hand-over claims both read it through allauth's adapter. Count only
# proxies you run: one more would let a client choose its own address.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", default=1)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
# Wagtail's live preview shows the page in a same-origin frame, so frames stay SAMEORIGIN
# (CSP frame-ancestors 'self' says the same) instead of the DENY that check W019 suggests.
SILENCED_SYSTEM_CHECKS = ["security.W019"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}
