"""One backup = one tar archive: `manifest.json`, the database dump and the media files, optionally encrypted.

Names are `carrefour-<UTC timestamp>.tar.gz`, or `.tar.gz.enc` when `CARREFOUR_BACKUP_KEY` is set. The archive is
written beside its final name and renamed once complete, so a half-written archive never looks like a backup.
"""

import hashlib
import io
import json
import os
import shutil
import tarfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.utils import timezone
from django.utils.translation import gettext as _

from carrefour.backups.crypto import BackupCryptoError, DecryptingReader, EncryptingWriter, is_encrypted
from carrefour.backups.database import DUMP_NAMES, BackupError, dump

MANIFEST_NAME = "manifest.json"
MEDIA_PREFIX = "media"
PREFIX = "carrefour-"
STAMP_FORMAT = "%Y%m%dT%H%M%SZ"
PLAIN_SUFFIX = ".tar.gz"
ENCRYPTED_SUFFIX = ".tar.gz.enc"


@dataclass
class Extracted:
    manifest: dict
    database: Path
    media: Path


def archive_name(moment, encrypted: bool) -> str:
    return f"{PREFIX}{moment.strftime(STAMP_FORMAT)}{ENCRYPTED_SUFFIX if encrypted else PLAIN_SUFFIX}"


def media_files(media_root: Path) -> list[Path]:
    if not media_root.is_dir():
        return []
    return sorted(path for path in media_root.rglob("*") if path.is_file() and not path.is_symlink())


def write_archive(connection, output: Path, media_root: Path, key: str, work: Path) -> tuple[Path, dict]:
    output.mkdir(parents=True, exist_ok=True)
    files = media_files(media_root)
    database = work / DUMP_NAMES.get(connection.vendor, "database")
    measured = dump(connection, database, len(files))
    members = [(database, database.name)]
    members += [(path, f"{MEDIA_PREFIX}/{path.relative_to(media_root).as_posix()}") for path in files]
    # gzip inside a streamed tar is not checked on reading: each member's own checksum is.
    measured["files"] = {name: file_sha256(path) for path, name in members}
    final = output / archive_name(timezone.now().astimezone(timezone.get_fixed_timezone(0)), bool(key))
    partial = final.with_name(final.name + ".partial")
    try:
        _write_members(partial, measured, members, key)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, final)
    return final, measured


def _write_members(partial: Path, measured: dict, members: list[tuple[Path, str]], key: str) -> None:
    with open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as raw:
        sink = EncryptingWriter(raw, key) if key else raw
        with tarfile.open(fileobj=sink, mode="w|gz") as tar:
            _add_bytes(tar, MANIFEST_NAME, json.dumps(measured, ensure_ascii=False, indent=2).encode("utf-8"))
            for path, name in members:
                tar.add(path, arcname=name, recursive=False)
        if key:
            sink.close()
        raw.flush()
        os.fsync(raw.fileno())


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


@contextmanager
def open_stream(path: Path, key: str):
    if not path.is_file():
        raise BackupError(_("Archive introuvable : %(path)s") % {"path": path})
    with open(path, "rb") as raw:
        if is_encrypted(path):
            if not key:
                raise BackupError(_("Cette sauvegarde est chiffrée : définissez CARREFOUR_BACKUP_KEY pour la lire."))
            yield DecryptingReader(raw, key)
        else:
            yield raw


def extract(path: Path, key: str, work: Path) -> Extracted:
    """Unpack an archive into `work`, refusing any member outside the expected names."""
    found: dict = {}
    media = work / MEDIA_PREFIX
    media.mkdir()
    try:
        with open_stream(path, key) as stream, tarfile.open(fileobj=stream, mode="r|gz") as tar:
            for member in tar:
                _extract_member(tar, member, work, found)
    except BackupCryptoError as exc:
        raise BackupError(str(exc)) from exc
    except (tarfile.TarError, zlib.error, EOFError, OSError, ValueError) as exc:
        raise BackupError(_("L'archive est illisible ou altérée : %(error)s") % {"error": exc}) from exc
    if "manifest" not in found or "database" not in found:
        raise BackupError(_("L'archive est incomplète : manifeste ou base de données absent."))
    _check_files(found["manifest"], work)
    return Extracted(manifest=found["manifest"], database=found["database"], media=media)


def _check_files(manifest: dict, work: Path) -> None:
    expected = manifest.get("files")
    if not isinstance(expected, dict):
        raise BackupError(_("L'archive est illisible ou altérée : liste des fichiers absente du manifeste."))
    extracted = {path.relative_to(work).as_posix() for path in work.rglob("*") if path.is_file()}
    if extracted != set(expected):
        raise BackupError(_("L'archive est illisible ou altérée : des fichiers annoncés par le manifeste manquent."))
    for name, checksum in expected.items():
        if file_sha256(work / name) != checksum:
            raise BackupError(
                _("L'archive est illisible ou altérée : somme de contrôle incorrecte pour %(name)s.") % {"name": name}
            )


def _extract_member(tar: tarfile.TarFile, member: tarfile.TarInfo, work: Path, found: dict) -> None:
    name = PurePosixPath(member.name)
    if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
        raise BackupError(_("Élément refusé dans l'archive : %(name)s") % {"name": member.name})
    if member.isdir():
        return
    if member.name == MANIFEST_NAME:
        found["manifest"] = json.loads(tar.extractfile(member).read().decode("utf-8"))
        return
    if member.name in DUMP_NAMES.values():
        target = work / member.name
        found["database"] = target
    elif name.parts[0] == MEDIA_PREFIX and len(name.parts) > 1:
        target = work.joinpath(*name.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
    else:
        raise BackupError(_("Élément inattendu dans l'archive : %(name)s") % {"name": member.name})
    with open(target, "wb") as out:
        shutil.copyfileobj(tar.extractfile(member), out)


def install_media(extracted: Path, media_root: Path) -> int:
    """Copy the archived media files into place (files of the same name are replaced; others are kept)."""
    count = 0
    for path in media_files(extracted):
        target = media_root / path.relative_to(extracted)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        count += 1
    return count
