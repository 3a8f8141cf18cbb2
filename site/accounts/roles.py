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
