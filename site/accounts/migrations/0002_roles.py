"""Once created the programme's roles as groups with their permissions.

Roles are now declared in code (``portal_site.accounts.roles`` and each app's ``roles``
module) and ``services.roles_sync`` creates and updates their groups after every ``migrate``.
This migration stays, empty, so the migration graph of existing installs holds.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = []
