"""Once gave the library's roles their permissions and put a moderation workflow on the root.

Roles are now declared in code (``resources.roles``) and the host site turns them into groups
after every ``migrate``; each municipality's pages get their own workflow from the host. This
migration stays, empty, so the migration graph of existing installs holds.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0001_initial"),
    ]

    operations = []
