"""Roles are declared once, in code, by each app, and one idempotent step turns them into groups.

``register_avvio_roles`` collects the declarations (``coaching.roles``, ``resources.roles``,
``portal_site.accounts.roles``); ``sync_roles`` and every ``migrate`` apply them.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.urls import reverse
from wagtail import hooks
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    WorkflowPage,
    WorkflowTask,
)

from coaching import selectors as coaching_selectors
from coaching.grants.roles import FINANCE_OFFICER_PERMISSIONS
from portal_site.accounts import selectors
from portal_site.accounts.roles import ROLES_HOOK, Role, role_group_name, user_has_role
from tests.coaching.factories import assign, make_participant, sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _permission(name: str) -> Permission:
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _permission_names(group: Group) -> set[str]:
    return {
        f"{permission.content_type.app_label}.{permission.codename}"
        for permission in group.permissions.select_related("content_type")
    }


def snapshot() -> dict:
    """Everything the sync writes: groups, their model, page and collection permissions, and
    the moderation workflows with their approvers."""
    return {
        "groups": {
            group.pk: (group.name, frozenset(_permission_names(group)))
            for group in Group.objects.all()
        },
        "page_permissions": set(
            GroupPagePermission.objects.values_list("pk", "group_id", "page_id", "permission_id")
        ),
        "collection_permissions": set(
            GroupCollectionPermission.objects.values_list(
                "pk", "group_id", "collection_id", "permission_id"
            )
        ),
        "workflows": set(
            WorkflowPage.objects.values_list("page_id", "workflow_id", "workflow__name")
        ),
        "approvers": set(
            WorkflowTask.objects.values_list(
                "workflow_id", "task_id", "task__name", "task__groupapprovaltask__groups"
            )
        ),
    }


def test_migrate_gives_every_role_its_declared_group_and_permissions(site):
    coordinator = Group.objects.get(name="Coordinator")
    assert "coaching.change_participant" in _permission_names(coordinator)
    assert "wagtailadmin.access_admin" in _permission_names(coordinator)
    # Only superusers publish privacy notices.
    assert "coaching.change_privacynotice" not in _permission_names(coordinator)
    editor = Group.objects.get(name="Editor")
    assert {"resources.add_topic", "core.change_sitesettings"} <= _permission_names(editor)
    assert GroupCollectionPermission.objects.filter(
        group=editor,
        collection=Collection.get_first_root_node(),
        permission=_permission("wagtailimages.add_image"),
    ).exists()


def test_renaming_a_role_through_its_setting_keeps_every_permission_working(client, settings, site):
    settings.COACHING_COORDINATOR_GROUP = "Coordinatori"
    call_command("sync_roles", verbosity=0)
    renamed = Group.objects.get(name="Coordinatori")
    assert role_group_name(Role.COORDINATOR) == "Coordinatori"
    assert {"coaching.change_participant", "wagtailadmin.access_admin"} <= _permission_names(
        renamed
    )

    coordinator = UserFactory(is_staff=True)
    coordinator.groups.add(renamed)
    assign(coordinator)
    assert user_has_role(coordinator, Role.COORDINATOR)
    assert selectors.user_is_staff(coordinator)
    assert coaching_selectors.can_manage_participants(coordinator)
    # The site's coordinators approve its pages: the renamed group still leads there.
    assert coordinator.groups.filter(site_role__site=site, site_role__role=Role.COORDINATOR)

    person = make_participant(status="submitted")
    sign_in(client, coordinator)
    listing = client.get("/admin/coaching_participant/")
    assert listing.status_code == 200
    assert person.reference in listing.content.decode()
    assert client.get(reverse("coaching_admin:manage", args=[person.pk])).status_code == 200
    assert client.get("/it/path/staff/enrol/").status_code == 200


def test_sync_roles_twice_changes_nothing(site, other_site):
    migrated = snapshot()
    call_command("sync_roles", verbosity=0)
    assert snapshot() == migrated
    call_command("sync_roles", verbosity=0)
    assert snapshot() == migrated


def test_sync_roles_restores_exactly_the_declared_permissions(site):
    migrated = snapshot()
    coordinator = Group.objects.get(name="Coordinator")
    coordinator.permissions.remove(_permission("coaching.view_participant"))
    coordinator.permissions.add(_permission("coaching.delete_participant"))
    root = Collection.get_first_root_node()
    GroupCollectionPermission.objects.create(
        group=coordinator, collection=root, permission=_permission("wagtaildocs.add_document")
    )
    GroupCollectionPermission.objects.filter(
        group__name="Editor", permission=_permission("wagtailimages.add_image")
    ).delete()

    call_command("sync_roles", verbosity=0)

    after = snapshot()
    assert after["groups"] == migrated["groups"]
    assert "coaching.delete_participant" not in _permission_names(coordinator)
    assert not GroupCollectionPermission.objects.filter(group=coordinator).exists()
    assert GroupCollectionPermission.objects.filter(
        group__name="Editor", collection=root, permission=_permission("wagtailimages.add_image")
    ).exists()


def _auditors():
    return {
        "Auditor": {
            "group": "Revisori",
            "permissions": ("coaching.view_accesslog", "wagtailadmin.access_admin"),
            "collection_permissions": ("wagtaildocs.choose_document",),
        },
        # Adding to a role another app declares: the group holds what both need.
        Role.FINANCE_OFFICER.value: {"permissions": ("coaching.view_exitrecord",)},
    }


def test_an_app_registering_a_role_through_the_hook_gets_its_group_and_permissions(site):
    with hooks.register_temporarily(ROLES_HOOK, _auditors):
        call_command("sync_roles", verbosity=0)
        auditors = Group.objects.get(name="Revisori")
        assert _permission_names(auditors) == {
            "coaching.view_accesslog",
            "wagtailadmin.access_admin",
        }
        assert set(
            GroupCollectionPermission.objects.filter(group=auditors).values_list(
                "collection", "permission"
            )
        ) == {(Collection.get_first_root_node().pk, _permission("wagtaildocs.choose_document").pk)}
        finance = Group.objects.get(name=role_group_name(Role.FINANCE_OFFICER))
        assert _permission_names(finance) == {
            "wagtailadmin.access_admin",
            "coaching.view_exitrecord",
            *FINANCE_OFFICER_PERMISSIONS,
        }
        person = UserFactory()
        person.groups.add(auditors)
        assert person.has_perm("coaching.view_accesslog")

    # Without the app, its additions to a shared role go; its own group is left alone.
    call_command("sync_roles", verbosity=0)
    assert _permission_names(Group.objects.get(name="Finance officer")) == {
        "wagtailadmin.access_admin",
        *FINANCE_OFFICER_PERMISSIONS,
    }


def test_a_role_declared_with_two_group_names_fails_loudly(site):
    def renames_coordinators():
        return {Role.COORDINATOR.value: {"group": "Someone else"}}

    with (
        hooks.register_temporarily(ROLES_HOOK, renames_coordinators),
        pytest.raises(ImproperlyConfigured, match="two group names"),
    ):
        call_command("sync_roles", verbosity=0)


def test_a_role_declaring_an_unknown_permission_fails_loudly(site):
    def misspelt():
        return {Role.EDITOR.value: {"permissions": ("resources.publish_topics",)}}

    with (
        hooks.register_temporarily(ROLES_HOOK, misspelt),
        pytest.raises(ImproperlyConfigured, match=r"resources\.publish_topics"),
    ):
        call_command("sync_roles", verbosity=0)
