"""Mentors are assigned through ``mentors.Match`` records now (``mentors`` migration 0003 moved
the assignments there first): coaching keeps no mentor field."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0014_preferences_from_free_text"),
    ]

    operations = [
        migrations.RemoveField(model_name="participant", name="assigned_mentor"),
    ]
