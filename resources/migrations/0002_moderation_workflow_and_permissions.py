"""Two-step moderation for content (an editor submits, a coordinator approves) and the roles'
permissions on the library's own models.

The workflow is assigned to the root page, so it covers the library in every language (and the
host's pages unless the host assigns them another workflow). Groups are looked up by name and
created if missing, so the app works in a site without Avvio's role migration.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

WORKFLOW_NAME = "Editor submits, coordinator approves"
TASK_NAME = "Coordinator approval"
# Coordinators review through the workflow task (Wagtail lets the task's group open a page in
# moderation) and approving publishes the page as them, so they hold publish and nothing else:
# they cannot add or edit pages themselves.
PAGE_PERMISSIONS = {
    "Editor": ["add_page", "change_page", "lock_page", "unlock_page"],
    "Coordinator": ["publish_page"],
}
APPROVER_GROUP = "Coordinator"
TOPIC_PERMISSIONS = ["add_topic", "change_topic", "delete_topic"]


def _permission(apps, app_label, codename):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def forwards(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    groups = {name: Group.objects.get_or_create(name=name)[0] for name in PAGE_PERMISSIONS}
    for codename in TOPIC_PERMISSIONS:
        groups["Editor"].permissions.add(_permission(apps, "resources", codename))

    root = Page.objects.filter(depth=1).first()
    if root is None:
        return
    for name, codenames in PAGE_PERMISSIONS.items():
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=groups[name],
                page=root,
                permission=_permission(apps, "wagtailcore", codename),
            )

    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task, _ = GroupApprovalTask.objects.get_or_create(
        name=TASK_NAME, defaults={"content_type": task_type, "active": True}
    )
    task.groups.add(groups[APPROVER_GROUP])
    workflow, created = Workflow.objects.get_or_create(
        name=WORKFLOW_NAME, defaults={"active": True}
    )
    if created:
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})


def backwards(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW_NAME).delete()
    apps.get_model("wagtailcore", "Task").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
