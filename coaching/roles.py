"""The roles coaching needs and what each may do, as data.

``wagtail_hooks`` registers ``roles`` through the ``register_avvio_roles`` hook; the host site
turns every app's declarations into Django groups after each ``migrate`` (and with its
``sync_roles`` command), so no migration creates groups or grants permissions.

A declaration maps a role key, shared by the apps that name the same role, to its group name
(read from this app's settings, so a host that renames a group keeps its permissions) and its
model permissions as ``"app_label.codename"``.
"""

from coaching.conf import app_settings

COORDINATOR = "Coordinator"
MENTOR = "Mentor"
FINANCE_OFFICER = "Finance officer"
EVALUATOR = "Evaluator"
PARTICIPANT = "Participant"

#: Coordinators manage the participants, cohorts and checklists of their municipality and read
#: the records kept about them. Nobody may add, change or delete the access log, stage changes
#: or consent records (the audit trail is read-only), and only superusers publish privacy
#: notices, which people of every municipality accept.
COORDINATOR_PERMISSIONS = (
    "coaching.view_participant",
    "coaching.change_participant",
    "coaching.add_cohort",
    "coaching.change_cohort",
    "coaching.delete_cohort",
    "coaching.view_cohort",
    "coaching.add_checklistitem",
    "coaching.change_checklistitem",
    "coaching.delete_checklistitem",
    "coaching.view_checklistitem",
    "coaching.view_privacynotice",
    "coaching.view_accesslog",
    "coaching.view_stagechange",
    "coaching.view_consentrecord",
    "coaching.view_exitrecord",
    "coaching.view_followup",
    "coaching.change_followup",
)


def roles() -> dict[str, dict]:
    """Read when the roles are synchronised, so the group names follow the settings."""
    return {
        COORDINATOR: {
            "group": app_settings.COORDINATOR_GROUP,
            "permissions": COORDINATOR_PERMISSIONS,
        },
        # Mentors and participants work on the public site: their group is their role.
        MENTOR: {"group": app_settings.MENTOR_GROUP},
        # The host gives finance officers their admin access; coaching only names the group.
        FINANCE_OFFICER: {"group": app_settings.FINANCE_OFFICER_GROUP},
        # Grant evaluators read and score only the applications assigned to them.
        EVALUATOR: {"group": app_settings.EVALUATOR_GROUP},
        PARTICIPANT: {"group": app_settings.PARTICIPANT_GROUP},
    }
