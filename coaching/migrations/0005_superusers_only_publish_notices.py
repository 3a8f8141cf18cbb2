"""Once took the privacy notice permissions away from coordinators.

Roles are now declared in code (``coaching.roles``, which grants coordinators only
``view_privacynotice``) and the host site gives their groups exactly that after every
``migrate``. This migration stays, empty, so the migration graph of existing installs holds.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0004_participant_user_protect"),
    ]

    operations = []
