"""The roles mentoring needs, as data (see ``coaching.roles``): the same role keys, so the
host merges these permissions into the groups coaching names."""

from coaching.conf import app_settings

COORDINATOR = "Coordinator"
MENTOR = "Mentor"

#: Coordinators run mentoring on their sites: the skills list, the milestones, the matching
#: weights, mentors' memberships, matches and their history. Private mentor notes are nobody's
#: but the mentor's: no permission on them exists for anyone.
COORDINATOR_PERMISSIONS = (
    "mentors.add_skill",
    "mentors.change_skill",
    "mentors.delete_skill",
    "mentors.view_skill",
    "mentors.add_milestone",
    "mentors.change_milestone",
    "mentors.delete_milestone",
    "mentors.view_milestone",
    "mentors.change_matchingsettings",
    "mentors.view_mentorprofile",
    "mentors.view_mentormembership",
    "mentors.change_mentormembership",
    "mentors.view_match",
    "mentors.add_match",
    "mentors.change_match",
    "mentors.view_session",
    "mentors.view_changerequest",
    "mentors.change_changerequest",
)


def roles() -> dict[str, dict]:
    return {
        COORDINATOR: {
            "group": app_settings.COORDINATOR_GROUP,
            "permissions": COORDINATOR_PERMISSIONS,
        },
        MENTOR: {"group": app_settings.MENTOR_GROUP},
    }
