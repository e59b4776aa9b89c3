"""Backup building blocks without a database: streamed encryption, retention, archive member checks."""

import datetime as dt
import io
import tarfile
from pathlib import Path

import pytest

from carrefour.backups import crypto, retention
from carrefour.backups.archive import extract
from carrefour.backups.database import BackupError


def encrypt(data: bytes, key: str) -> bytes:
    out = io.BytesIO()
    writer = crypto.EncryptingWriter(out, key)
    for start in range(0, len(data), 300_000):
        writer.write(data[start : start + 300_000])
    writer.close()
    return out.getvalue()


def test_encryption_round_trips_over_several_chunks():
    data = bytes(range(256)) * (3 * crypto.CHUNK // 256 + 17)
    sealed = encrypt(data, "clé")

    assert crypto.DecryptingReader(io.BytesIO(sealed), "clé").read() == data
    assert data[:4096] not in sealed


def test_dropping_the_last_chunk_is_detected_even_at_a_chunk_boundary():
    data = b"x" * (2 * crypto.CHUNK + 10)
    sealed = encrypt(data, "clé")
    first_two = crypto.HEADER_BYTES + 2 * (4 + crypto.CHUNK + crypto.TAG_BYTES)

    reader = crypto.DecryptingReader(io.BytesIO(sealed[:first_two]), "clé")
    with pytest.raises(crypto.BackupCryptoError, match="tronquée ou altérée"):
        reader.read()


def test_a_wrong_key_is_reported_in_french():
    reader = crypto.DecryptingReader(io.BytesIO(encrypt(b"contenu", "bonne clé")), "mauvaise clé")
    with pytest.raises(crypto.BackupCryptoError, match="clé .* est incorrecte"):
        reader.read()


def dated(*stamps: str) -> list[tuple[dt.datetime, Path]]:
    moments = [dt.datetime.fromisoformat(stamp).replace(tzinfo=dt.UTC) for stamp in stamps]
    return sorted(((moment, Path(f"carrefour-{moment:%Y%m%dT%H%M%SZ}.tar.gz")) for moment in moments), reverse=True)


def test_retention_keeps_the_newest_per_day_and_per_month():
    days = [f"2026-11-{day:02d}T02:00:00" for day in range(1, 30)]
    months = [f"2026-{month:02d}-15T02:00:00" for month in range(1, 11)]
    archives = dated(*days, "2026-11-29T14:00:00", *months)

    kept = retention.to_keep(archives, daily=14, monthly=6)

    kept_names = sorted(path.name for path in kept)
    assert "carrefour-20261129T140000Z.tar.gz" in kept_names and "carrefour-20261129T020000Z.tar.gz" not in kept_names
    assert "carrefour-20261116T020000Z.tar.gz" in kept_names and "carrefour-20261115T020000Z.tar.gz" not in kept_names
    monthly = {name[10:16] for name in kept_names if name[16:18] == "15" and name[10:16] != "202611"}
    assert monthly == {"202606", "202607", "202608", "202609", "202610"}
    assert len(kept) == 14 + 5


def test_pruning_touches_only_our_archives(tmp_path):
    for day in range(1, 5):
        (tmp_path / f"carrefour-202611{day:02d}T020000Z.tar.gz.enc").write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("à garder")

    removed = retention.prune(tmp_path, daily=2, monthly=0)

    assert sorted(path.name for path in removed) == ["carrefour-20261101T020000Z.tar.gz.enc",
                                                     "carrefour-20261102T020000Z.tar.gz.enc"]  # fmt: skip
    assert (tmp_path / "notes.txt").exists()


@pytest.mark.parametrize("name", ["../evasion.txt", "/etc/passwd", "autre.txt"])
def test_unexpected_archive_members_are_refused(name, tmp_path, settings):
    settings.BACKUP_KEY = ""
    archive = tmp_path / "carrefour-20261129T020000Z.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo(name)
        info.size = 3
        tar.addfile(info, io.BytesIO(b"abc"))
    work = tmp_path / "work"
    work.mkdir()

    with pytest.raises(BackupError, match="(refusé|inattendu)"):
        extract(archive, "", work)
