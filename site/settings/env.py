"""Reading deployment values from the environment, with a clear message when one is missing."""

import os

from django.core.exceptions import ImproperlyConfigured


def env_required(name: str) -> str:
    """Return the environment variable ``name`` or stop start-up saying what is missing."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"The environment variable {name} is required in production and is not set. "
            f"See README.md, section 'Configuration for production'."
        )
    return value


def env_list(name: str, *, default: list[str] | None = None) -> list[str]:
    """A comma-separated environment variable as a list (empty items dropped)."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_bool(name: str, *, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, *, default: int) -> int:
    """A whole-number environment variable; a value that is not one stops start-up."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be a whole number, not {raw!r}. "
            f"See README.md, section 'Configuration for production'."
        ) from None
