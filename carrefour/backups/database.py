"""Dump and restore the database, per vendor.

SQLite: the online backup API (`sqlite3.Connection.backup`), in both directions; never a file copy, which could catch
a half-written page or miss the WAL. PostgreSQL: `pg_dump -Fc` taken in the snapshot the manifest was measured in, and
`pg_restore --clean --if-exists --no-owner` in one transaction; the password goes through PGPASSWORD, never argv.
"""

import os
import shutil
import sqlite3
import subprocess
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.utils import load_backend
from django.utils.translation import gettext as _

from carrefour.backups import manifest

DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
POSTGRES_FALLBACK_BIN = Path("/usr/lib/postgresql/15/bin")
PG_TIMEOUT = 6 * 3600


class BackupError(Exception):
    """A backup or a restore cannot go on; the message is in French."""


def check_vendor(connection) -> None:
    if connection.vendor not in DUMP_NAMES:
        raise BackupError(_("Base de données non prise en charge : %(vendor)s.") % {"vendor": connection.vendor})


def dump(connection, target: Path, media_files: int) -> dict:
    """Write the database to `target`; returns the manifest measured on exactly what was written."""
    check_vendor(connection)
    if connection.vendor == "sqlite":
        return _dump_sqlite(connection, target, media_files)
    return _dump_postgresql(connection, target, media_files)


def restore(connection, source: Path) -> None:
    check_vendor(connection)
    if connection.in_atomic_block:
        raise BackupError(_("Une restauration ne peut pas se faire dans une transaction en cours."))
    if connection.vendor == "sqlite":
        _restore_sqlite(connection, source)
    else:
        _restore_postgresql(connection, source)


def _dump_sqlite(connection, target: Path, media_files: int) -> dict:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()
    with sqlite_wrapper(target, connection) as measured:
        return manifest.build(measured, media_files)


def _restore_sqlite(connection, source: Path) -> None:
    connection.ensure_connection()
    archived = sqlite3.connect(source)
    try:
        archived.backup(connection.connection)
    except sqlite3.Error as exc:
        raise BackupError(_("La restauration de la base SQLite a échoué : %(error)s") % {"error": exc}) from exc
    finally:
        archived.close()
    connection.close()


@contextmanager
def sqlite_wrapper(path: Path, like):
    """A Django connection to another SQLite file (no WAL switch: the file stays one self-contained file)."""
    settings_dict = {**like.settings_dict, "NAME": str(path), "OPTIONS": {"timeout": 20}}
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias=f"backup-{os.getpid()}")
    try:
        yield wrapper
    finally:
        wrapper.close()


def _dump_postgresql(connection, target: Path, media_files: int) -> dict:
    with transaction.atomic(using=connection.alias):
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        measured = manifest.build(connection, media_files)
        _run_pg("pg_dump", ["-Fc", "--no-password", f"--snapshot={snapshot}", "-f", str(target)], connection)
    return measured


def _restore_postgresql(connection, source: Path) -> None:
    connection.close()
    options = ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error", "--no-password"]
    _run_pg("pg_restore", [*options, "-d", connection.settings_dict["NAME"], str(source)], connection)


def pg_binary(name: str) -> str:
    folder = getattr(settings, "BACKUP_POSTGRES_BIN_DIR", "")
    candidates = [Path(folder) / name] if folder else []
    found = shutil.which(name)
    candidates += [Path(found)] if found else []
    candidates.append(POSTGRES_FALLBACK_BIN / name)
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise BackupError(
        _(
            "Programme %(name)s introuvable : installez les outils clients PostgreSQL ou indiquez leur dossier "
            "dans CARREFOUR_POSTGRES_BIN_DIR."
        )
        % {"name": name}
    )


def pg_environment(settings_dict: dict) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    mapping = {"PGHOST": "HOST", "PGPORT": "PORT", "PGUSER": "USER", "PGPASSWORD": "PASSWORD", "PGDATABASE": "NAME"}
    for variable, key in mapping.items():
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def _run_pg(name: str, arguments: list[str], connection) -> None:
    command = [pg_binary(name), *arguments]
    try:
        done = subprocess.run(
            command, env=pg_environment(connection.settings_dict), capture_output=True, text=True, timeout=PG_TIMEOUT
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BackupError(_("%(name)s n'a pas pu s'exécuter : %(error)s") % {"name": name, "error": exc}) from exc
    if done.returncode != 0:
        raise BackupError(
            _("%(name)s a échoué (code %(code)s) : %(error)s")
            % {"name": name, "code": done.returncode, "error": done.stderr.strip()[-2000:]}
        )
