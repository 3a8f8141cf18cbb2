"""The programme's roles, as Django groups. One person may hold several.

Each app declares the roles it needs, in one module of its own (``coaching.roles``,
``resources.roles``, this one for the host site), and registers them through the
``register_avvio_roles`` Wagtail hook: a function returning ``{role key: declaration}``, where a
declaration is a dict with

- ``"group"`` (optional): the group's name, read from the app's settings where it has one;
  without one, the role key is the name;
- ``"permissions"``: model permissions, as ``"app_label.codename"``;
- ``"collection_permissions"``: permissions on the root collection (images, documents).

Apps naming the same role key share its group; ``services.roles_sync`` (after every
``migrate``, and ``manage.py sync_roles``) merges the declarations and gives each group exactly
what they declare. Page permissions belong to each municipality's pages (``SITE_PAGE_PERMISSIONS``).
"""

from django.core.exceptions import ImproperlyConfigured
from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from coaching import roles as coaching_roles
from resources import roles as resources_roles

#: The Wagtail hook through which each app registers its roles.
ROLES_HOOK = "register_avvio_roles"


class Role(TextChoices):
    """The role keys (stored in ``SiteRoleGroup.role``); ``role_group_name`` gives the group."""

    PARTICIPANT = coaching_roles.PARTICIPANT, _("Participant")
    MENTOR = coaching_roles.MENTOR, _("Mentor")
    EDITOR = resources_roles.EDITOR, _("Editor")
    COORDINATOR = coaching_roles.COORDINATOR, _("Coordinator")
    FINANCE_OFFICER = coaching_roles.FINANCE_OFFICER, _("Finance officer")
    EVALUATOR = coaching_roles.EVALUATOR, _("Grant evaluator")


#: Roles whose members work in the Wagtail admin and must use two-factor authentication.
STAFF_ROLES = (Role.EDITOR, Role.COORDINATOR, Role.FINANCE_OFFICER, Role.EVALUATOR)

ACCESS_ADMIN = "wagtailadmin.access_admin"


def roles() -> dict[str, dict]:
    """The host site's declaration: admin access for staff, and the editors' site tools."""
    declarations = {role.value: {} for role in Role}
    for role in STAFF_ROLES:
        declarations[role.value] = {"permissions": (ACCESS_ADMIN,)}
    declarations[Role.EDITOR.value] = {
        "permissions": (
            ACCESS_ADMIN,
            "core.change_sitesettings",
            "core.change_navigationsettings",
            "core.add_sitetext",
            "core.change_sitetext",
            "wagtailredirects.add_redirect",
            "wagtailredirects.change_redirect",
            "wagtailredirects.delete_redirect",
            "wagtail_localize.submit_translation",
        ),
        "collection_permissions": (
            "wagtailimages.add_image",
            "wagtailimages.change_image",
            "wagtailimages.choose_image",
            "wagtaildocs.add_document",
            "wagtaildocs.change_document",
            "wagtaildocs.choose_document",
        ),
    }
    return declarations


def declared_roles() -> dict[str, dict]:
    """Every app's declarations merged: ``{key: {"group", "permissions",
    "collection_permissions"}}``, the permissions as sets. Read afresh each time, so the
    group names follow the settings."""
    from wagtail import hooks

    merged: dict[str, dict] = {}
    for declare in hooks.get_hooks(ROLES_HOOK):
        for key, declaration in declare().items():
            role = merged.setdefault(
                key, {"group": None, "permissions": set(), "collection_permissions": set()}
            )
            name = declaration.get("group")
            if name and role["group"] and name != role["group"]:
                raise ImproperlyConfigured(
                    f"Role {key!r} is declared with two group names: "
                    f"{role['group']!r} and {name!r}."
                )
            role["group"] = name or role["group"]
            role["permissions"].update(declaration.get("permissions", ()))
            role["collection_permissions"].update(declaration.get("collection_permissions", ()))
    for key, role in merged.items():
        role["group"] = role["group"] or key
    return merged


def role_group_name(role: str) -> str:
    """The name of the group whose members hold ``role`` (a role key, e.g. ``Role.EDITOR``)."""
    declaration = declared_roles().get(str(role))
    return declaration["group"] if declaration else str(role)


def user_has_role(user, role: Role) -> bool:
    return user.is_authenticated and user.groups.filter(name=role_group_name(role)).exists()


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
