"""Create a first privacy notice.

This migration once granted the coordinators' permissions too; roles are now declared in code
(``coaching.roles``) and the host site turns them into groups after every ``migrate``.
"""

from django.db import migrations
from django.utils import timezone


def create_first_notice(apps, schema_editor):
    PrivacyNotice = apps.get_model("coaching", "PrivacyNotice")
    if not PrivacyNotice.objects.exists():
        PrivacyNotice.objects.create(version="1", published_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_first_notice, migrations.RunPython.noop)]
