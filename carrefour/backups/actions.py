"""The two backup actions: `create_backup` and `restore_backup`, each writing an audit event."""

import logging
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils.translation import gettext as _

from carrefour.backups import archive, retention
from carrefour.backups.database import BackupError, restore
from carrefour.backups.manifest import differences, table_names
from carrefour.core.audit import record_event
from carrefour.core.models import EventType

logger = logging.getLogger(__name__)
CONTENT_TABLES = ("catalog_initiative", "catalog_organisation", "auth_user")


@dataclass
class BackupResult:
    path: Path
    manifest: dict
    pruned: list[Path] = field(default_factory=list)


@dataclass
class RestoreResult:
    manifest: dict
    problems: list[str]
    media_files: int
    reindexed: bool
    reindex_error: str = ""
    unapplied_migrations: list[str] = field(default_factory=list)


def backup_dir() -> Path:
    return Path(getattr(settings, "BACKUP_DIR", settings.DATA_DIR / "backups"))


def backup_key() -> str:
    return getattr(settings, "BACKUP_KEY", "") or ""


def create_backup(
    output: Path | None = None,
    *,
    daily=retention.DEFAULT_DAILY,
    monthly=retention.DEFAULT_MONTHLY,
    using: str = "default",
) -> BackupResult:
    connection = connections[using]
    output = Path(output) if output else backup_dir()
    with tempfile.TemporaryDirectory(prefix="carrefour-backup-") as work:
        path, measured = archive.write_archive(connection, output, Path(settings.MEDIA_ROOT), backup_key(), Path(work))
    pruned = retention.prune(output, daily, monthly)
    record_event(
        EventType.BACKUP_CREATED,
        None,
        None,
        archive=path.name,
        encrypted=bool(backup_key()),
        tables=len(measured["tables"]),
        pruned=[item.name for item in pruned],
    )
    return BackupResult(path=path, manifest=measured, pruned=pruned)


def has_content(using: str = "default") -> bool:
    connection = connections[using]
    present = set(table_names(connection))
    with connection.cursor() as cursor:
        for table in CONTENT_TABLES:
            if table in present:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # nosec B608 - quoted table name
                if cursor.fetchone():
                    return True
    return False


def read_manifest(path: Path) -> dict:
    """Check that an archive can be read (key, integrity) before anything is overwritten; returns its manifest."""
    with tempfile.TemporaryDirectory(prefix="carrefour-restore-") as work:
        return archive.extract(Path(path), backup_key(), Path(work)).manifest


def restore_backup(path: Path, *, using: str = "default", rebuild_index: bool = True) -> RestoreResult:
    connection = connections[using]
    with tempfile.TemporaryDirectory(prefix="carrefour-restore-") as work:
        extracted = archive.extract(Path(path), backup_key(), Path(work))
        vendor = extracted.manifest.get("vendor")
        if vendor != connection.vendor:
            raise BackupError(
                _("Cette sauvegarde vient d'une base %(vendor)s ; la base configurée est %(current)s.")
                % {"vendor": vendor, "current": connection.vendor}
            )
        try:
            restore(connection, extracted.database)
        except DatabaseError as exc:
            raise BackupError(_("La restauration a échoué : %(error)s") % {"error": exc}) from exc
        media = archive.install_media(extracted.media, Path(settings.MEDIA_ROOT))
    problems = differences(extracted.manifest, connection)
    result = RestoreResult(manifest=extracted.manifest, problems=problems, media_files=media, reindexed=False)
    result.unapplied_migrations = unapplied_migrations(connection)
    if rebuild_index and not result.unapplied_migrations:
        _rebuild_index(result)
    record_event(
        EventType.BACKUP_RESTORED,
        None,
        None,
        archive=Path(path).name,
        created_at=extracted.manifest.get("created_at"),
        problems=problems,
        reindexed=result.reindexed,
    )
    return result


def unapplied_migrations(connection) -> list[str]:
    """Migrations of this code that the restored database lacks (a backup made by an earlier version)."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def _rebuild_index(result: RestoreResult) -> None:
    from carrefour.search.indexer import reindex

    try:
        reindex()
        result.reindexed = True
    except Exception as exc:  # the data is restored; the index can be rebuilt later with `carrefour reindex`
        logger.exception("Rebuilding the search index after a restore failed.")
        result.reindex_error = str(exc)
