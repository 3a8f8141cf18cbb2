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
from django.utils import timezone


ROOT_WIDE_ROLES = ["Editor", "Coordinator"]
OLD_WORKFLOWS = ["Editor submits, coordinator approves", "Moderators approval"]
OLD_TASKS = ["Coordinator approval", "Moderators approval"]
WAGTAIL_STARTER_GROUPS = ["Moderators", "Editors"]


def assign_staff_of_the_only_site(apps, schema_editor):
    """Editors did not need a site assignment before; page permissions now come with one.

    With one site there is no doubt which municipality they work for. With several, a
    superuser assigns them (*Staff site assignments*); until then they hold no page rights.
    """
    Site = apps.get_model("wagtailcore", "Site")
    User = apps.get_model("accounts", "User")
    StaffSiteAssignment = apps.get_model("coaching", "StaffSiteAssignment")
    sites = list(Site.objects.all()[:2])
    if len(sites) != 1:
        return
    for user in User.objects.filter(groups__name__in=ROOT_WIDE_ROLES).distinct():
        StaffSiteAssignment.objects.get_or_create(user=user, site=sites[0])


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
        states = WorkflowState.objects.filter(workflow=workflow)
        if states.exists():
            # Its approvers are every coordinator of every site: pages waiting in it are sent
            # back to their editors (cancelled, as Wagtail does when a workflow is disabled),
            # who submit them again to their own site's workflow. The history stays.
            TaskState.objects.filter(
                workflow_state__in=states, status="in_progress"
            ).update(status="cancelled", finished_at=timezone.now())
            states.filter(status="in_progress").update(status="cancelled")
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
        ("coaching", "0005_superusers_only_publish_notices"),
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
        migrations.RunPython(assign_staff_of_the_only_site, migrations.RunPython.noop),
        migrations.RunPython(remove_root_wide_grants, migrations.RunPython.noop),
    ]
