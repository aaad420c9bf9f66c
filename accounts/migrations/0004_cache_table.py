"""The database cache's table (settings.CACHES when no CACHE_URL names a Redis), created by
`migrate` wherever the portal is set up, so that the shared cache needs no step of its own.
`createcachetable` creates only what is missing, and nothing for a Redis cache."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_rate_events")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
