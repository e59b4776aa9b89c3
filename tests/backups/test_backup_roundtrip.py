"""Backup → restore into an empty database gives the same rows (R-REL-09), on SQLite and on PostgreSQL.

Each side runs `carrefour` in its own process against its own data folder and database, as an operator would.
"""

import gzip
import shutil
from pathlib import Path

import pytest
from backup_env import SEED, Side, execute, initiative_rows, table_counts

from carrefour.backups.actions import read_manifest
from carrefour.backups.database import BackupError

KEY = "une phrase de passe pour les sauvegardes, assez longue"
SEEDED = 12
IMAGE = "media/initiatives/2026/atelier.png"

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def source(tmp_path_factory, django_db_blocker):
    with django_db_blocker.unblock():
        side = Side(tmp_path_factory.mktemp("source"), key=KEY)
        migrated = side.run("migrate", "--verbosity", "0")
        assert migrated.returncode == 0, migrated.stderr[-3000:]
        seeded = side.run(str(SEEDED), command=SEED)
        assert seeded.returncode == 0, seeded.stderr[-3000:]
        yield side
        side.drop()


@pytest.fixture(scope="module")
def archives(source, tmp_path_factory) -> dict[str, Path]:
    """One encrypted and one plain archive of the seeded source."""
    found = {}
    for kind, key in (("encrypted", KEY), ("plain", "")):
        output = tmp_path_factory.mktemp(kind)
        done = source.run("backup", "--output", str(output), CARREFOUR_BACKUP_KEY=key)
        assert done.returncode == 0, done.stderr[-3000:]
        (found[kind],) = output.iterdir()
    return found


@pytest.fixture
def target(tmp_path):
    side = Side(tmp_path / "target", key=KEY)
    side.folder.mkdir()
    yield side
    side.drop()


def copy(archive: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(archive, tmp_path / archive.name))


def test_restore_into_an_empty_database_gives_the_same_rows_and_media(source, archives, target):
    assert archives["encrypted"].name.endswith(".tar.gz.enc")

    done = target.run("restore", str(archives["encrypted"]))

    assert done.returncode == 0, done.stderr[-3000:]
    assert "Restauration vérifiée" in done.stdout
    assert "Index de recherche reconstruit" in done.stdout
    expected, restored = table_counts(source), table_counts(target)
    for table in ("core_auditevent", "search_indexconsumer"):  # the restore is audited, the new index registered
        expected.pop(table), restored.pop(table)
    assert restored == expected
    assert expected["catalog_initiative"] == SEEDED and expected["catalog_location"] == SEEDED
    assert initiative_rows(target) == initiative_rows(source)
    assert (target.folder / IMAGE).read_bytes() == (source.folder / IMAGE).read_bytes()
    assert (target.folder / "index").is_dir()


def test_encrypted_archive_does_not_hold_the_data_in_clear(archives):
    encrypted, plain = archives["encrypted"].read_bytes(), archives["plain"].read_bytes()

    assert plain[:2] == b"\x1f\x8b" and encrypted[:2] != b"\x1f\x8b"
    # Markers long enough never to appear by chance in ciphertext (a 3-byte one did, now and then).
    markers = (b"manifest.json", "Atelier vélo solidaire".encode(), b"\x89PNG\r\n\x1a\n")
    unpacked = gzip.decompress(plain)
    assert all(marker in unpacked for marker in markers[:1])
    assert not any(marker in encrypted for marker in markers)


def test_restore_refuses_a_non_empty_database_without_yes(source, archives, target):
    assert target.run("restore", str(archives["plain"])).returncode == 0
    execute(target, "UPDATE catalog_initiative SET name = %s", "Modifiée depuis la sauvegarde")

    refused = target.run("restore", str(archives["plain"]))

    assert refused.returncode != 0
    assert "n'est pas vide" in refused.stderr and "--yes" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert {name for (name,) in _names(target)} == {"Modifiée depuis la sauvegarde"}
    forced = target.run("restore", str(archives["plain"]), "--yes")
    assert forced.returncode == 0, forced.stderr[-3000:]
    assert initiative_rows(target) == initiative_rows(source)


def test_a_wrong_key_gives_a_french_error_and_changes_nothing(archives, target):
    done = target.run("restore", str(archives["encrypted"]), CARREFOUR_BACKUP_KEY="ce n'est pas la bonne clé")

    assert done.returncode != 0
    assert "la clé (CARREFOUR_BACKUP_KEY) est incorrecte" in done.stderr
    assert "Traceback" not in done.stderr
    assert "catalog_initiative" not in table_counts(target)


def test_a_missing_key_for_an_encrypted_archive_is_explained(archives, settings):
    settings.BACKUP_KEY = ""
    with pytest.raises(BackupError, match="Cette sauvegarde est chiffrée : définissez CARREFOUR_BACKUP_KEY"):
        read_manifest(archives["encrypted"])


def test_a_corrupted_plain_archive_is_refused_before_anything_is_restored(archives, settings, tmp_path):
    settings.BACKUP_KEY = ""
    archive = copy(archives["plain"], tmp_path)
    data = bytearray(archive.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 64] = b"\x00" * 64
    archive.write_bytes(bytes(data))

    with pytest.raises(BackupError, match="L'archive est illisible ou altérée"):
        read_manifest(archive)


@pytest.mark.parametrize("damage", ["truncate", "flip"])
def test_a_damaged_encrypted_archive_is_refused(damage, archives, settings, tmp_path):
    settings.BACKUP_KEY = KEY
    archive = copy(archives["encrypted"], tmp_path)
    data = bytearray(archive.read_bytes())
    if damage == "truncate":
        data = data[:-100]
    else:
        data[-50] ^= 0xFF
    archive.write_bytes(bytes(data))

    with pytest.raises(BackupError, match="altérée"):
        read_manifest(archive)


def test_the_intact_archives_read_back_with_their_manifest(archives, settings):
    settings.BACKUP_KEY = KEY
    manifest = read_manifest(archives["encrypted"])

    assert manifest["tables"]["catalog_initiative"] == SEEDED
    assert manifest["media_files"] == 1 and IMAGE in manifest["files"]
    assert len(manifest["initiatives_sha256"]) == 64 and manifest["migrations"]


def _names(side: Side) -> list[tuple]:
    wrapper = side.wrapper()
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT name FROM catalog_initiative")
            return cursor.fetchall()
    finally:
        wrapper.close()
