"""The database side of the search on PostgreSQL (search.database): the pg_trgm and unaccent
extensions, the folding functions and GIN trigram indexes on the folded columns that grow
with the programme. Nothing on SQLite, whose connections get their functions from the app."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

from search.database import postgresql_install, postgresql_uninstall


def functions_and_indexes_add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        postgresql_install(schema_editor.connection)


def functions_and_indexes_remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        postgresql_uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_rate_events"),
        ("catalog", "0002_caps_text"),
        ("candidates", "0017_language_edo"),
        ("matching", "0005_entry_reason_consent"),
    ]

    operations = [
        TrigramExtension(),
        UnaccentExtension(),
        migrations.RunPython(functions_and_indexes_add, functions_and_indexes_remove),
    ]
