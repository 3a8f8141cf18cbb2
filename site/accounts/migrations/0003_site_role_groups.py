"""Page permissions per municipality, not on the whole tree.

Earlier migrations (this app's 0002 and resources' 0002) granted the Editor and Coordinator
groups page permissions on the root page and put one moderation workflow, approved by every
coordinator, on the root: a coordinator of one municipality could publish or unpublish
another's pages. From now on ``services.site_roles_sync`` (after every migrate) gives each site
its own role groups, permissions and workflow; this migration removes the root-wide grants,
and Wagtail's empty starter groups (Moderators, Editors) and their unused workflow.
"""

import django.db.models.deletion
from django.db import migrations, models


ROOT_WIDE_ROLES = ["Editor", "Coordinator"]
OLD_WORKFLOWS = ["Editor submits, coordinator approves", "Moderators approval"]
OLD_TASKS = ["Coordinator approval", "Moderators approval"]
WAGTAIL_STARTER_GROUPS = ["Moderators", "Editors"]


def remove_root_wide_grants(apps, schema_editor):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowState = apps.get_model("wagtailcore", "WorkflowState")
    Task = apps.get_model("wagtailcore", "Task")
    TaskState = apps.get_model("wagtailcore", "TaskState")
    GroupPagePermission.objects.filter(page__depth=1, group__name__in=ROOT_WIDE_ROLES).delete()
    # Wagtail's starter groups hold the same root-wide grants under names easily taken for
    # our Editor role; nobody is put in them, so they go while they are empty.
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=WAGTAIL_STARTER_GROUPS, user__isnull=True).delete()
    WorkflowPage.objects.filter(page__depth=1, workflow__name__in=OLD_WORKFLOWS).delete()
    for workflow in Workflow.objects.filter(name__in=OLD_WORKFLOWS):
        if WorkflowState.objects.filter(workflow=workflow).exists():
            # Pages already in moderation finish it; nothing new starts in it.
            workflow.active = False
            workflow.save(update_fields=["active"])
        else:
            workflow.delete()
    for task in Task.objects.filter(name__in=OLD_TASKS):
        if not TaskState.objects.filter(task=task).exists():
            task.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0098_apitoken"),
        ("resources", "0002_moderation_workflow_and_permissions"),
    ]

    operations = [
        migrations.CreateModel(
            name="SiteRoleGroup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("Participant", "Participant"),
                            ("Mentor", "Mentor"),
                            ("Editor", "Editor"),
                            ("Coordinator", "Coordinator"),
                            ("Finance officer", "Finance officer"),
                        ],
                        max_length=40,
                        verbose_name="role",
                    ),
                ),
                (
                    "approval_task",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="wagtailcore.groupapprovaltask",
                        verbose_name="approval task",
                    ),
                ),
                (
                    "group",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="site_role",
                        to="auth.group",
                        verbose_name="group",
                    ),
                ),
                (
                    "site",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="wagtailcore.site",
                        verbose_name="site",
                    ),
                ),
            ],
            options={
                "verbose_name": "site role group",
                "verbose_name_plural": "site role groups",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("site", "role"), name="accounts_site_role_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(remove_root_wide_grants, migrations.RunPython.noop),
    ]
