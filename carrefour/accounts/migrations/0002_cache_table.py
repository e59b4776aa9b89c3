"""The database cache table (settings.CACHES): rate limits and lock-outs shared by every worker process."""

from django.conf import settings
from django.core.management import call_command
from django.db import migrations


def _database_cache_tables() -> list[str]:
    return [
        cache["LOCATION"]
        for cache in settings.CACHES.values()
        if cache.get("BACKEND") == "django.core.cache.backends.db.DatabaseCache"
    ]


def create_cache_tables(apps, schema_editor):
    # createcachetable skips tables that already exist, so an existing database keeps its cache.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_tables(apps, schema_editor):
    existing = set(schema_editor.connection.introspection.table_names())
    for table in _database_cache_tables():
        if table in existing:
            schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(table)}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_profiles_roles_holders")]

    operations = [migrations.RunPython(create_cache_tables, drop_cache_tables)]
