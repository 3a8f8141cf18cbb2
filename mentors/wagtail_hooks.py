"""Mentoring's place in Wagtail: roles, and the admin modules of ``mentors.admin`` (each
registers its own hooks when imported here)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from mentors import panels, roles  # noqa: F401  (panels registers the dashboard panels)
from mentors.admin import matches, matches_requests, menu, plan, profiles, report  # noqa: F401  (registers their hooks)
from mentors.personal_data import MentoringPersonalData
from mentors.selectors import active_match_of
from mentors.services.matches import matches_end_for_participant


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
    actions.register_action(
        "mentors.session_report", _("Record a session"), _("Session attendance recorded")
    )


@hooks.register("register_personal_data")
def register_personal_data():
    """Read by coaching's personal-data registry: a person's export and erasure include their
    matches, sessions, action items, feedback and messages, or their mentor profile."""
    return MentoringPersonalData()


@hooks.register("avvio_participant_left_path")
def end_mentoring_on_exit(*, participant, by, now):
    """Leaving the path ends the mentoring (``coaching.services.exit.LEFT_PATH_HOOK``)."""
    matches_end_for_participant(
        participant=participant, by=by, reason=gettext("Left the path"), now=now
    )


@hooks.register("avvio_plan_reviewers")
def plan_reviewers(participant):
    """Read by business plans (``coaching.plans.selectors.REVIEWERS_HOOK``): the mentor of an
    accepted match may review the plans the participant shares with them; nobody else, and
    nobody once the match has ended."""
    match = active_match_of(participant)
    return [match.mentor.user] if match is not None else []
