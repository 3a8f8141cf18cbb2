"""Writes about accounts."""

from collections import defaultdict

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from coaching import services as coaching_services
from coaching.models import Participant, StaffSiteAssignment
from portal_site.accounts.models import SiteRoleGroup, User
from portal_site.accounts.roles import (
    APPROVER_ROLE,
    SITE_PAGE_PERMISSIONS,
    Role,
    declared_roles,
)


@transaction.atomic
def user_update_profile(*, user: User, first_name: str, last_name: str, language: str) -> User:
    user.first_name = first_name
    user.last_name = last_name
    user.preferred_language = language
    user.save(update_fields=["first_name", "last_name", "preferred_language"])
    return user


@transaction.atomic
def user_request_deletion(*, user: User, now=None) -> User:
    """Record the request once; programme staff erase the data (records kept by law excepted).

    One wish, one queue: the request is also an erasure request on each of the person's
    participations (every municipality), so coordinators see it in their participant list.
    Idempotent: a second request keeps the first times everywhere.
    """
    now = now or timezone.now()
    if user.deletion_requested_at is None:
        user.deletion_requested_at = now
        user.save(update_fields=["deletion_requested_at"])
    for participant in Participant.objects.filter(user=user):
        coaching_services.participant_request_erasure(participant=participant, now=now)
    return user


# --- Roles: groups and their permissions, as the apps declare them ------------------------------


def _permissions(names) -> dict[str, Permission]:
    """``{"app_label.codename": Permission}``; a name that matches no permission is a mistake
    in a declaration, and fails loudly rather than leave a role without a right."""
    wanted = {tuple(name.split(".", 1)) for name in names}
    found = {
        f"{permission.content_type.app_label}.{permission.codename}": permission
        for permission in Permission.objects.select_related("content_type").filter(
            codename__in={codename for _app_label, codename in wanted}
        )
        if (permission.content_type.app_label, permission.codename) in wanted
    }
    missing = sorted(set(names) - set(found))
    if missing:
        raise ImproperlyConfigured(f"Roles declare unknown permissions: {', '.join(missing)}.")
    return found


def _sync_collection_permissions(*, group: Group, collection: Collection, permissions) -> None:
    existing = GroupCollectionPermission.objects.filter(group=group, collection=collection)
    existing.exclude(permission__in=permissions).delete()
    have = set(existing.values_list("permission_id", flat=True))
    GroupCollectionPermission.objects.bulk_create(
        GroupCollectionPermission(group=group, collection=collection, permission=permission)
        for permission in sorted(permissions, key=lambda permission: permission.pk)
        if permission.pk not in have
    )


@transaction.atomic
def roles_sync() -> None:
    """Give each declared role (``roles.declared_roles``) its group, under the name its app's
    settings give it, with exactly the declared model permissions and root collection
    permissions: missing ones are added, others taken away.

    Idempotent: run after every migration and by ``manage.py sync_roles``. A renamed group is
    created afresh (the old one is left as it is, with its members, for an administrator).
    """
    wanted = defaultdict(lambda: {"permissions": set(), "collection_permissions": set()})
    for role in declared_roles().values():
        # Two roles may share a group by configuration: it holds what both need.
        wanted[role["group"]]["permissions"] |= role["permissions"]
        wanted[role["group"]]["collection_permissions"] |= role["collection_permissions"]
    permissions = _permissions(
        {name for grants in wanted.values() for kind in grants.values() for name in kind}
    )
    root_collection = Collection.get_first_root_node()
    for name, grants in wanted.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set([permissions[grant] for grant in grants["permissions"]])
        if root_collection is not None:
            _sync_collection_permissions(
                group=group,
                collection=root_collection,
                permissions=[permissions[grant] for grant in grants["collection_permissions"]],
            )


# --- Roles on each municipality's pages -------------------------------------------------------


def _site_label(site: Site) -> str:
    return site.site_name or site.hostname


def _fit(text: str, max_length: int) -> str:
    return text if len(text) <= max_length else f"{text[: max_length - 1]}…"


def _site_role_group_name(site: Site, role: Role) -> str:
    max_length = Group._meta.get_field("name").max_length
    with translation.override(settings.LANGUAGE_CODE):
        name = _fit(f"{role.label} · {_site_label(site)}", max_length)
    taken = Group.objects.filter(name=name).exclude(site_role__site=site, site_role__role=role)
    if taken.exists():
        suffix = f" #{site.pk}"
        name = _fit(name, max_length - len(suffix)) + suffix
    return name


def _site_root_pages(site: Site) -> list[Page]:
    """The site's home page and its translations: with several languages each locale's home
    page is a sibling of the others, not a descendant, and all of them make up the site."""
    return list(site.root_page.get_translations(inclusive=True))


def _sync_page_permissions(*, group: Group, pages: list[Page], codenames) -> None:
    permissions = list(
        Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=codenames)
    )
    wanted = {(page.pk, permission.pk) for page in pages for permission in permissions}
    existing = GroupPagePermission.objects.filter(group=group)
    existing.exclude(
        pk__in=[grant.pk for grant in existing if (grant.page_id, grant.permission_id) in wanted]
    ).delete()
    have = set(existing.values_list("page_id", "permission_id"))
    GroupPagePermission.objects.bulk_create(
        GroupPagePermission(group=group, page_id=page_id, permission_id=permission_id)
        for page_id, permission_id in sorted(wanted - have)
    )


def _sync_approval_workflow(*, link: SiteRoleGroup, site: Site, pages: list[Page]) -> None:
    """One moderation workflow per site: its editors submit, its approvers approve.

    A workflow task names the groups whose members may approve (and open the page while it
    waits), so a task shared by every site would let any site's approvers act on all pages.
    """
    with translation.override(settings.LANGUAGE_CODE):
        task_name = _("Approval by the coordinators of %(site)s") % {"site": _site_label(site)}
        workflow_name = _("%(site)s: editors submit, coordinators approve") % {
            "site": _site_label(site)
        }
    task_name = _fit(task_name, GroupApprovalTask._meta.get_field("name").max_length)
    workflow_name = _fit(workflow_name, Workflow._meta.get_field("name").max_length)
    task = link.approval_task
    if task is None:
        task = GroupApprovalTask.objects.create(name=task_name)
        link.approval_task = task
        link.save(update_fields=["approval_task"])
    elif task.name != task_name:
        task.name = task_name
        task.save(update_fields=["name"])
    task.groups.set([link.group])
    workflow_task = WorkflowTask.objects.filter(task=task).select_related("workflow").first()
    if workflow_task is None:
        workflow = Workflow.objects.create(name=workflow_name, active=True)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    else:
        workflow = workflow_task.workflow
        if workflow.name != workflow_name:
            workflow.name = workflow_name
            workflow.save(update_fields=["name"])
    for page in pages:
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    # A site's root page can change: its old one no longer belongs to this site's workflow.
    WorkflowPage.objects.filter(workflow=workflow).exclude(page__in=pages).delete()


@transaction.atomic
def site_roles_sync(*, site: Site) -> None:
    """Give each role of ``SITE_PAGE_PERMISSIONS`` its group and page permissions on ``site``.

    Idempotent: run after every migration, when a site is saved and when a home page gets a
    translation. Members are kept in step by ``user_site_groups_sync``.
    """
    pages = _site_root_pages(site)
    for role, codenames in SITE_PAGE_PERMISSIONS.items():
        name = _site_role_group_name(site, role)
        link = SiteRoleGroup.objects.select_related("group").filter(site=site, role=role).first()
        if link is None:
            group = Group.objects.create(name=name)
            link = SiteRoleGroup.objects.create(site=site, role=role, group=group)
        elif link.group.name != name:
            link.group.name = name
            link.group.save(update_fields=["name"])
        _sync_page_permissions(group=link.group, pages=pages, codenames=codenames)
        if role == APPROVER_ROLE:
            _sync_approval_workflow(link=link, site=site, pages=pages)
    for user in User.objects.filter(coaching_site_assignments__site=site).distinct():
        user_site_groups_sync(user=user)


@transaction.atomic
def site_roles_sync_all() -> None:
    for site in Site.objects.select_related("root_page"):
        site_roles_sync(site=site)


@transaction.atomic
def user_site_groups_sync(*, user: User) -> None:
    """Put ``user`` in the site role groups of each role they hold on each site they serve.

    What a person serves is their staff site assignment (``coaching.StaffSiteAssignment``);
    the roles are their role groups. Site role groups they no longer qualify for are left.
    """
    declared = declared_roles()
    role_of_group = {declared[role]["group"]: role.value for role in SITE_PAGE_PERMISSIONS}
    roles = {
        role_of_group[name]
        for name in user.groups.filter(name__in=role_of_group).values_list("name", flat=True)
    }
    site_ids = StaffSiteAssignment.objects.filter(user=user).values_list("site_id", flat=True)
    wanted = set(
        SiteRoleGroup.objects.filter(site_id__in=site_ids, role__in=roles).values_list(
            "group_id", flat=True
        )
    )
    current = set(user.groups.filter(site_role__isnull=False).values_list("pk", flat=True))
    if current - wanted:
        user.groups.remove(*(current - wanted))
    if wanted - current:
        user.groups.add(*(wanted - current))
