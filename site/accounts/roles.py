"""The programme's roles, as Django groups. One person may hold several."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Role(TextChoices):
    PARTICIPANT = "Participant", _("Participant")
    MENTOR = "Mentor", _("Mentor")
    EDITOR = "Editor", _("Editor")
    COORDINATOR = "Coordinator", _("Coordinator")
    FINANCE_OFFICER = "Finance officer", _("Finance officer")


#: Roles whose members work in the Wagtail admin and must use two-factor authentication.
STAFF_ROLES = (Role.EDITOR, Role.COORDINATOR, Role.FINANCE_OFFICER)


def user_has_role(user, role: Role) -> bool:
    return user.is_authenticated and user.groups.filter(name=role.value).exists()


#: Page permissions a role holds on the pages of each municipality (Wagtail site) its members
#: are assigned to, never on the whole tree: Wagtail grants page permissions to groups, so
#: ``services.site_roles_sync`` keeps one group per site and role that holds them.
SITE_PAGE_PERMISSIONS = {
    Role.EDITOR: ("add_page", "change_page", "lock_page", "unlock_page"),
    # Approving a page in moderation publishes it as the approver, so approvers need publish;
    # they hold nothing else and cannot add or edit pages themselves.
    Role.COORDINATOR: ("publish_page",),
}

#: The role whose members of a site approve what that site's editors submit.
APPROVER_ROLE = Role.COORDINATOR
