"""The manifest of a backup: what it holds, measured so that a restore can be checked against it.

Every measure reads through a Django database wrapper with raw SQL, so that it applies equally to the live
database, to a SQLite copy and to a freshly restored database.
"""

import datetime as dt
import hashlib
import json
from importlib import metadata

from django.utils import timezone

FORMAT = 1
HASHED_TABLE = "catalog_initiative"


def app_version() -> str:
    try:
        return metadata.version("carrefour")
    except metadata.PackageNotFoundError:
        return "inconnue"


def table_names(connection) -> list[str]:
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
    return sorted(name for name in names if not name.startswith("sqlite_"))


def row_counts(connection) -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for name in table_names(connection):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")  # nosec B608 - quoted table name
            counts[name] = cursor.fetchone()[0]
    return counts


def applied_migrations(connection) -> list[list[str]]:
    if "django_migrations" not in table_names(connection):
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [list(row) for row in cursor.fetchall()]


def initiatives_hash(connection) -> str:
    """SHA-256 over every column of every initiative, in primary-key order."""
    from carrefour.catalog.models import Initiative

    if HASHED_TABLE not in table_names(connection):
        return ""
    columns = sorted(field.column for field in Initiative._meta.concrete_fields)
    quote = connection.ops.quote_name
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(HASHED_TABLE)} ORDER BY {quote('id')}"  # nosec B608 - quoted identifiers
        )
        while rows := cursor.fetchmany(1000):
            for row in rows:
                digest.update(json.dumps([_plain(value) for value in row], default=str).encode("utf-8"))
                digest.update(b"\n")
    return digest.hexdigest()


def _plain(value):
    if isinstance(value, memoryview | bytes):
        return bytes(value).hex()
    return value


def build(connection, media_files: int) -> dict:
    return {
        "format": FORMAT,
        "created_at": timezone.now().astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "vendor": connection.vendor,
        "app_version": app_version(),
        "migrations": applied_migrations(connection),
        "tables": row_counts(connection),
        "initiatives_sha256": initiatives_hash(connection),
        "media_files": media_files,
    }


def differences(expected: dict, connection) -> list[str]:
    """Human-readable differences between a manifest and a database (empty: identical), in French."""
    from django.utils.translation import gettext as _

    problems = []
    actual = row_counts(connection)
    for table, count in sorted(expected.get("tables", {}).items()):
        found = actual.get(table)
        if found is None:
            problems.append(_("table %(table)s absente") % {"table": table})
        elif found != count:
            problems.append(
                _("table %(table)s : %(found)s lignes au lieu de %(count)s")
                % {"table": table, "found": found, "count": count}
            )
    if expected.get("initiatives_sha256", "") != initiatives_hash(connection):
        problems.append(_("l'empreinte du contenu des initiatives diffère"))
    return problems
