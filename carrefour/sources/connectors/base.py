"""What every connector yields: raw rows with their line numbers, and problems found while reading."""

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RawRow:
    """One record as read: `line` is the line (CSV), sheet row (XLSX) or position from 1 (JSON, HTML)."""

    line: int
    values: dict


@dataclass(frozen=True)
class RowIssue:
    line: int
    field: str
    value: str
    rule: str
    message_fr: str
    severity: str = "error"  # "error": the row is rejected; "warning": kept, reported

    def as_dict(self) -> dict:
        return asdict(self)


class ConnectorError(Exception):
    """The input cannot be read at all. The message, in French, says why and what to do."""


@dataclass
class Reading:
    """The outcome of reading an input: rows (an iterator, consumed once), plus issues and file-level warnings."""

    rows: Iterator[RawRow]
    issues: list[RowIssue] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)


def read_bytes(path: Path | str, max_bytes: int = 200_000_000) -> bytes:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ConnectorError(
                _("Le fichier %(name)s est trop volumineux (%(size)d octets).") % {"name": path.name, "size": size}
            )
        return path.read_bytes()
    except OSError as exc:
        raise ConnectorError(
            _("Le fichier %(name)s est introuvable ou illisible (%(error)s).")
            % {"name": path.name, "error": exc.strerror}
        ) from exc


def flatten(value: dict, prefix: str = "") -> dict:
    """{"geo": {"latitude": 1}} → {"geo.latitude": 1}; lists are kept as lists."""
    flat: dict = {}
    for key, item in value.items():
        name = f"{prefix}{key}"
        if isinstance(item, dict):
            flat.update(flatten(item, f"{name}."))
        else:
            flat[name] = item
    return flat


def dig(value, path: str):
    """`a.b.c` inside nested dicts; None when a step is missing."""
    for step in [part for part in (path or "").split(".") if part]:
        if not isinstance(value, dict):
            return None
        value = value.get(step)
    return value
