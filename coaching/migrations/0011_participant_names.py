from django.db import migrations, models


def names_from_accounts(apps, schema_editor):
    """Whoever joined before the intake asked for a name is greeted by the account's first
    name (assisted enrolment wrote it there) until they give theirs."""
    Participant = apps.get_model("coaching", "Participant")
    for participant in Participant.objects.filter(preferred_name="").select_related("user"):
        first_name = (participant.user.first_name or "").strip()[:60]
        if first_name and participant.erased_at is None:
            participant.preferred_name = first_name
            participant.save(update_fields=["preferred_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0010_case_notes"),
    ]

    operations = [
        migrations.AddField(
            model_name="participant",
            name="preferred_name",
            field=models.CharField(
                blank=True,
                help_text="The name the person asked us to call them by.",
                max_length=60,
                verbose_name="name used",
            ),
        ),
        migrations.AddField(
            model_name="participant",
            name="legal_name",
            field=models.CharField(
                blank=True,
                help_text="Only when it differs from the name used.",
                max_length=150,
                verbose_name="name on the identity document",
            ),
        ),
        migrations.RunPython(names_from_accounts, migrations.RunPython.noop),
    ]
