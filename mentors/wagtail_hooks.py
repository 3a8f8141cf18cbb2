"""Mentoring's place in Wagtail: roles, and the admin modules of ``mentors.admin`` (each
registers its own hooks when imported here)."""

from wagtail import hooks

from mentors import roles
from mentors.admin import matches, profiles, report  # noqa: F401  (registers their hooks)


@hooks.register("register_avvio_roles")
def register_roles():
    """Coordinators' mentoring permissions (``mentors.roles``)."""
    return roles.roles()
