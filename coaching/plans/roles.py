"""The roles business plans need, as data (see ``coaching.roles``): the same role key and
group as coaching's coordinators, so the host merges these permissions into that group."""

from coaching.conf import app_settings

COORDINATOR = "Coordinator"

#: Coordinators keep their sites' plan templates and the budget rules of their calls, and read
#: the plans of their sites' participants. Nobody but the owner writes a plan (``selectors``):
#: no add, change or delete permission on plans exists for anyone.
COORDINATOR_PERMISSIONS = (
    "plans.add_plantemplate",
    "plans.change_plantemplate",
    "plans.delete_plantemplate",
    "plans.view_plantemplate",
    "plans.add_callrules",
    "plans.change_callrules",
    "plans.delete_callrules",
    "plans.view_callrules",
    "plans.view_businessplan",
)


def roles() -> dict[str, dict]:
    """Read when the roles are synchronised, so the group name follows the settings."""
    return {
        COORDINATOR: {
            "group": app_settings.COORDINATOR_GROUP,
            "permissions": COORDINATOR_PERMISSIONS,
        },
    }
