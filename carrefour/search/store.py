"""Where the index lives on disk, and the reader each process keeps open.

    SEARCH_INDEX_DIR/
        .writer.lock      flock: one writing process at a time (outbox, reindex)
        current           symlink → the generation readers use, swapped atomically by `reindex`
        gen-<stamp>/      tantivy index directories (the current one; others only while a reindex runs),
                          each with its outbox cursor (outbox-cursor.json, carrefour/search/cursor.py)

A reader checks per query, with two cheap system calls, whether `current` moved (a reindex) or whether the
generation's meta.json changed (a commit), and only then reopens or reloads.
"""

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import tantivy
from django.conf import settings

from carrefour.search.schema import SCHEMA, SCHEMA_VERSION

CURRENT = "current"
LOCK_FILE = ".writer.lock"
GENERATION_PREFIX = "gen-"
VERSION_PREFIX = f"{GENERATION_PREFIX}v{SCHEMA_VERSION}-"


class OutdatedIndex(RuntimeError):
    """The index on disk was built with another schema version: run `carrefour reindex`."""


def root() -> Path:
    path = Path(settings.SEARCH_INDEX_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def current_target(base: Path) -> str | None:
    try:
        return os.readlink(base / CURRENT)
    except FileNotFoundError:
        return None


def new_generation(base: Path) -> Path:
    path = base / f"{VERSION_PREFIX}{time.strftime('%Y%m%dT%H%M%S')}-{time.time_ns() % 10**9:09d}-{os.getpid()}"
    path.mkdir()
    return path


def swap(base: Path, generation: Path) -> None:
    """Point `current` at `generation` atomically, then delete the other generations.

    A reader that still has an old generation open keeps its memory-mapped files (POSIX unlink semantics) and
    reopens `current` at its next query.
    """
    temporary = base / f".{CURRENT}-{os.getpid()}"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(generation.name)
    os.replace(temporary, base / CURRENT)
    for path in base.glob(f"{GENERATION_PREFIX}*"):
        if path.name != generation.name:
            remove_tree(path)


def remove_tree(path: Path) -> None:
    for child in path.iterdir():
        remove_tree(child) if child.is_dir() and not child.is_symlink() else child.unlink(missing_ok=True)
    path.rmdir()


@contextmanager
def writer_lock(blocking: bool = True) -> Iterator[bool]:
    """Hold the writer lock; yields False at once (without the lock) when `blocking` is False and it is taken."""
    with open(root() / LOCK_FILE, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_current(base: Path) -> Path:
    """The current generation, created empty the first time (the caller holds the writer lock).

    An empty generation replays every row still in the outbox but is marked incomplete: the index worker rebuilds
    it from the catalogue (carrefour/search/outbox.py, `rebuild_reason`).
    """
    target = current_target(base)
    if target is not None and not target.startswith(VERSION_PREFIX):
        raise OutdatedIndex(f"{base / target} was built with another schema: run `carrefour reindex`.")
    if target is None:
        from carrefour.core.replicas import primary
        from carrefour.search import cursor, outbox

        generation = new_generation(base)
        tantivy.Index(SCHEMA, str(generation))
        with primary():
            cursor.save(generation, outbox.empty_cursor())
        swap(base, generation)
        target = generation.name
    return base / target


def current_path(base: Path) -> Path | None:
    """The current generation's folder, or None before the first one exists."""
    target = current_target(base)
    return base / target if target is not None else None


@dataclass
class _Opened:
    base: Path
    target: str
    index: tantivy.Index
    stamp: tuple[int, int]


_opened: _Opened | None = None
_opening = threading.Lock()


def _meta_stamp(path: Path) -> tuple[int, int]:
    stat = os.stat(path / "meta.json")
    return stat.st_ino, stat.st_mtime_ns


def searcher() -> tantivy.Searcher:
    """A searcher on the latest committed state of the current generation."""
    global _opened
    base = root()
    opened, target = _opened, current_target(base)
    if target is None:
        with writer_lock():
            target = ensure_current(base).name
    if opened is None or opened.base != base or opened.target != target:
        if not target.startswith(VERSION_PREFIX):
            raise OutdatedIndex(f"{base / target} was built with another schema: run `carrefour reindex`.")
        with _opening:
            index = tantivy.Index.open(str(base / target))
            index.config_reader("manual")  # reloaded on demand above, no watcher thread
            opened = _opened = _Opened(base, target, index, _meta_stamp(base / target))
    else:
        stamp = _meta_stamp(base / target)
        if stamp != opened.stamp:
            opened.index.reload()
            opened.stamp = stamp
    return opened.index.searcher()


def generation() -> tuple:
    """Identifies the committed state the last `searcher()` call saw: a key for caches derived from the index."""
    opened = _opened
    return (str(opened.base), opened.target, opened.stamp) if opened else ()


def forget() -> None:
    """Drop the open reader (tests switch index directories)."""
    global _opened
    _opened = None
