"""No person in two sessions at once, enforced by PostgreSQL itself.

An exclusion constraint over the time range of the sessions that hold time (see
``Session.BUSY``), per mentor and per participant. It needs the ``btree_gist`` extension for
the equality on the person's id (created here; on a managed database where the migration's
user may not create extensions, create it once as an administrator). SQLite has no such
constraint: there the booking service checks inside its transaction.
"""

from django.db import migrations

BUSY = "('requested', 'confirmed', 'held', 'no_show')"
CONSTRAINTS = {
    "mentors_session_mentor_no_overlap": "mentor_id",
    "mentors_session_participant_no_overlap": "participant_id",
}


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for name, column in CONSTRAINTS.items():
        schema_editor.execute(
            f"ALTER TABLE mentors_session ADD CONSTRAINT {name} EXCLUDE USING gist "
            f"({column} WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) "
            f"WHERE (status IN {BUSY})"
        )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in CONSTRAINTS:
        schema_editor.execute(f"ALTER TABLE mentors_session DROP CONSTRAINT IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("mentors", "0001_initial")]

    operations = [migrations.RunPython(add, remove)]
