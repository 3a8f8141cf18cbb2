"""Mentoring's place in Wagtail: roles, and the admin modules of ``mentors.admin`` (each
registers its own hooks when imported here)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from mentors import roles
from mentors.admin import matches, profiles, report  # noqa: F401  (registers their hooks)


@hooks.register("register_avvio_roles")
def register_roles():
    """Coordinators' mentoring permissions (``mentors.roles``)."""
    return roles.roles()


@hooks.register("register_log_actions")
def register_log_actions(actions):
    """A match's moves (``mentors.services.matches``), shown in the participant's history."""
    actions.register_action("mentors.match_propose", _("Propose mentor"), _("Mentor proposed"))
    actions.register_action("mentors.match_confirm", _("Confirm mentor"), _("Mentor confirmed"))
    actions.register_action("mentors.match_accept", _("Accept mentee"), _("Mentee accepted"))
    actions.register_action("mentors.match_decline", _("Decline mentee"), _("Mentee declined"))
    actions.register_action("mentors.match_end", _("End mentoring"), _("Mentoring ended"))
