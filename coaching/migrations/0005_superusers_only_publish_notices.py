"""Only superusers publish privacy notices.

Notices are shared by every municipality: a coordinator of one must not rewrite a notice that
people elsewhere accepted. Coordinators keep ``view_privacynotice``.
"""

from django.db import migrations

NOTICE_PERMISSIONS = ["add_privacynotice", "change_privacynotice", "delete_privacynotice"]


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="coaching", codename__in=NOTICE_PERMISSIONS
    )
    for group in Group.objects.filter(name="Coordinator"):
        group.permissions.remove(*permissions)


def restore(apps, schema_editor):
    # What 0002 granted (it never granted delete).
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="coaching",
        codename__in=["add_privacynotice", "change_privacynotice"],
    )
    for group in Group.objects.filter(name="Coordinator"):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0004_participant_user_protect"),
    ]

    operations = [migrations.RunPython(revoke, restore)]
