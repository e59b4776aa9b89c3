"""What is in the exports folder: the files each format and distribution gives, their size and date, and the
manifest (`metadata.json`) the export command leaves beside them (counts, attribution, first issue date)."""

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from carrefour.opendata.exports import FORMATS, Format
from carrefour.opendata.exports.files import exports_dir
from carrefour.opendata.licences import Distribution, distributions

MANIFEST = "metadata.json"
README = "LISEZMOI.txt"
SCHEMA = "schema-initiatives.json"
COMPANIONS = (README, SCHEMA, MANIFEST)
MEDIA_TYPES = {".txt": "text/plain; charset=utf-8", ".json": "application/json"}


@dataclass(frozen=True)
class ExportFile:
    name: str
    format: Format
    distribution: Distribution
    size: int | None  # None: not generated yet
    modified: datetime | None

    @property
    def exists(self) -> bool:
        return self.size is not None


def _stat(path: Path) -> tuple[int | None, datetime | None]:
    try:
        info = path.stat()
    except FileNotFoundError:
        return None, None
    return info.st_size, datetime.fromtimestamp(info.st_mtime, tz=UTC)


def export_files() -> list[ExportFile]:
    folder = exports_dir()
    files = []
    for dist in distributions():
        for item in FORMATS.values():
            name = item.filename(dist)
            files.append(ExportFile(name, item, dist, *_stat(folder / name)))
    return files


def media_type(name: str) -> str | None:
    """The content type of a file the download view may serve, or None for any other name."""
    for export in export_files():
        if export.name == name:
            charset = "; charset=utf-8" if export.format.media_type.startswith("text/") else ""
            return export.format.media_type + charset
    if name in COMPANIONS:
        return MEDIA_TYPES[Path(name).suffix]
    return None


def read_manifest() -> dict:
    try:
        return json.loads((exports_dir() / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
