"""Retention of backup archives: the newest archive of each of the last N days and of the last M months is kept."""

import datetime as dt
from pathlib import Path

from carrefour.backups.archive import ENCRYPTED_SUFFIX, PLAIN_SUFFIX, PREFIX, STAMP_FORMAT

DEFAULT_DAILY = 14
DEFAULT_MONTHLY = 6


def archive_time(path: Path) -> dt.datetime | None:
    name = path.name
    for suffix in (ENCRYPTED_SUFFIX, PLAIN_SUFFIX):
        if name.startswith(PREFIX) and name.endswith(suffix):
            try:
                return dt.datetime.strptime(name[len(PREFIX) : -len(suffix)], STAMP_FORMAT).replace(tzinfo=dt.UTC)
            except ValueError:
                return None
    return None


def archives(folder: Path) -> list[tuple[dt.datetime, Path]]:
    """Our archives in `folder`, newest first (other files are never touched)."""
    found = [(archive_time(path), path) for path in folder.iterdir() if path.is_file()] if folder.is_dir() else []
    return sorted(((moment, path) for moment, path in found if moment is not None), reverse=True)


def to_keep(dated: list[tuple[dt.datetime, Path]], daily: int, monthly: int) -> set[Path]:
    keep: set[Path] = set()
    days: set[dt.date] = set()
    months: set[tuple[int, int]] = set()
    for moment, path in dated:
        if moment.date() not in days and len(days) < daily:
            days.add(moment.date())
            keep.add(path)
        month = (moment.year, moment.month)
        if month not in months and len(months) < monthly:
            months.add(month)
            keep.add(path)
    return keep


def prune(folder: Path, daily: int = DEFAULT_DAILY, monthly: int = DEFAULT_MONTHLY) -> list[Path]:
    """Delete the archives that fall outside the retention; returns what was deleted."""
    dated = archives(folder)
    keep = to_keep(dated, daily, monthly)
    removed = [path for _moment, path in dated if path not in keep]
    for path in removed:
        path.unlink()
    return removed
