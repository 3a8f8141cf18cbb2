"""Grant coaching permissions to the Coordinator group and create a first privacy notice.

Editors and finance officers get nothing here: they see no participant records. Nobody gets
add/change/delete on the access log, so the audit trail is read-only in the admin.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.utils import timezone

COORDINATOR_PERMISSIONS = [
    "view_participant",
    "change_participant",
    "add_cohort",
    "change_cohort",
    "delete_cohort",
    "view_cohort",
    "add_checklistitem",
    "change_checklistitem",
    "delete_checklistitem",
    "view_checklistitem",
    "add_privacynotice",
    "change_privacynotice",
    "view_privacynotice",
    "view_accesslog",
    "view_stagechange",
    "view_consentrecord",
    "view_exitrecord",
    "view_followup",
    "change_followup",
]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("coaching")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    coordinator, _ = Group.objects.get_or_create(name="Coordinator")
    coordinator.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="coaching", codename__in=COORDINATOR_PERMISSIONS
        )
    )
    PrivacyNotice = apps.get_model("coaching", "PrivacyNotice")
    if not PrivacyNotice.objects.exists():
        PrivacyNotice.objects.create(version="1", published_at=timezone.now())


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Coordinator"):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="coaching", codename__in=COORDINATOR_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
