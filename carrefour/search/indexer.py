"""Writing the index: following the outbox, rebuilding from scratch.

Only one process writes an index folder at a time (`store.writer_lock`; tantivy also refuses a second writer).
Each index generation keeps its own cursor in the outbox (carrefour/search/cursor.py), written after the tantivy
commit that applied the rows: a crash in between replays them, and replaying is idempotent (an upsert is « delete
by id, then add what the database holds now », in one commit). Several servers, each with its own index folder,
follow the same outbox; rows are purged once every live index has passed them (carrefour/search/outbox.py).
Every read here goes to the primary database: a replica lagging behind would make the cursor pass rows whose
changes it does not show yet.
"""

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import tantivy
from django.conf import settings
from django.utils import timezone

from carrefour.core.replicas import primary
from carrefour.search import cursor as cursors
from carrefour.search import outbox, store
from carrefour.search.cursor import Cursor
from carrefour.search.documents import build
from carrefour.search.schema import SCHEMA
from carrefour.search.sheets import Reader

logger = logging.getLogger(__name__)

OUTBOX_BATCH = 500
REINDEX_CHUNK = 900  # ids per query: under SQLite's historical limit of 999 parameters
WRITER_HEAP = 32_000_000
REINDEX_HEAP = 256_000_000


@dataclass(frozen=True)
class AppliedBatch:
    """Rows whose changes the index has just committed, and the cursor that records it."""

    generation: Path
    cursor: Cursor
    row_ids: list[int]


def batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def apply_outbox(blocking: bool = True, rebuild: bool = False) -> int:
    """Apply every outbox row this index has not applied yet; returns how many rows were applied.

    With `blocking=False`, give up at once when another process holds the writer lock: that process checks the
    outbox again after releasing it, so no row is left behind. With `rebuild=True` (the index worker), an index that
    cannot catch up from the outbox (created empty, or rows it needed were purged) is rebuilt first.
    """
    applied = 0
    with primary():
        while True:
            with store.writer_lock(blocking) as locked:
                if not locked:
                    return applied
                applied += _drain(rebuild)
            current = store.current_path(store.root())
            state = cursors.load(current) if current else Cursor()
            if not outbox.has_pending(state.position, state.gaps):
                return applied


def _drain(rebuild: bool) -> int:
    base = store.root()
    try:
        generation = store.ensure_current(base)
    except store.OutdatedIndex:
        if not rebuild:
            raise
        logger.warning("Rebuilding the search index %s: it was built with another schema.", outbox.consumer_name())
        _rebuild(base)
        generation = store.ensure_current(base)
    state = cursors.load(generation)
    if rebuild and (reason := outbox.rebuild_reason(state)):
        logger.warning("Rebuilding the search index %s: %s.", outbox.consumer_name(), reason)
        _rebuild(base)
        generation = store.ensure_current(base)
        state = cursors.load(generation)
    applied, state = _apply_rows(generation, state)
    expired_state, expired = state.expire(time.time(), settings.SEARCH_OUTBOX_GAP_SECONDS)
    if expired:
        logger.info("Outbox ids never committed, given up: %s.", ", ".join(f"{g.low}–{g.high}" for g in expired))
        cursors.save(generation, expired_state)
    outbox.report(expired_state, advanced=bool(applied or expired))
    return applied


def _apply_rows(generation: Path, state: Cursor) -> tuple[int, Cursor]:
    rows = outbox.rows_in_gaps(state.gaps) + outbox.rows_after(state.position, OUTBOX_BATCH)
    if not rows:
        return 0, state
    floor = outbox.horizon()
    writer = tantivy.Index.open(str(generation)).writer(heap_size=WRITER_HEAP, num_threads=1)
    reader, applied = Reader(), 0
    try:
        while rows:
            _upsert(writer, reader, list(dict.fromkeys(pk for _, pk in rows)))
            writer.commit()
            row_ids = [row_id for row_id, _ in rows]
            state = state.advance(row_ids, time.time(), floor)
            forget_rows(AppliedBatch(generation, state, row_ids))
            applied += len(rows)
            rows = outbox.rows_after(state.position, OUTBOX_BATCH)
    except BaseException:
        writer.rollback()
        del writer  # releases tantivy's own lock before ours
        raise
    # Let the merges the commits started finish (small segments: milliseconds), or segments would pile up.
    writer.wait_merging_threads()
    return applied, state


def forget_rows(batch: AppliedBatch) -> None:
    """Move the index's cursor past applied rows: only after the index commit, so a crash before this replays them."""
    cursors.save(batch.generation, batch.cursor)


def _upsert(writer: tantivy.IndexWriter, reader: Reader, ids: list[int]) -> None:
    """Delete each initiative's document, then add back those still published, as they are now in the database."""
    for pk in ids:
        writer.delete_documents_by_term("id", pk)
    now = timezone.now()
    for sheet in reader.read(ids):
        try:
            document = build(sheet, reader, now)
        except Exception:  # one broken sheet must not hold back the others; its next save enqueues it again
            logger.exception("Initiative %s could not be indexed; it is left out of the index.", sheet.row["id"])
            continue
        writer.add_document(document)


def reindex(progress: Callable[[int, int], None] | None = None) -> dict:
    """Rebuild the whole index into a new generation, then swap it in: readers never see a partial index."""
    started = time.perf_counter()
    with primary():
        with store.writer_lock():
            count = _rebuild(store.root(), progress)
        seconds = time.perf_counter() - started
        apply_outbox()  # changes committed while the build was running
    return {"documents": count, "seconds": seconds, "docs_per_second": count / seconds if seconds else 0.0}


def _rebuild(base: Path, progress: Callable[[int, int], None] | None = None) -> int:
    """Build a new generation (the caller holds the writer lock). Its cursor is taken before the build reads the
    database, so every row after it is replayed on top of the build (some twice: harmless)."""
    state = outbox.starting_cursor(time.time())
    generation = store.new_generation(base)
    try:
        count = _build(generation, progress)
        cursors.save(generation, state)
    except BaseException:
        store.remove_tree(generation)
        raise
    store.swap(base, generation)
    outbox.report(state, advanced=True)
    return count


def _build(generation, progress) -> int:
    index = tantivy.Index(SCHEMA, str(generation))
    writer = index.writer(heap_size=REINDEX_HEAP, num_threads=2)
    reader, now, count = Reader(), timezone.now(), 0
    ids = reader.published_ids()
    try:
        for chunk in batched(ids, REINDEX_CHUNK):
            for sheet in reader.read(chunk):
                writer.add_document(build(sheet, reader, now))
                count += 1
            if progress:
                progress(count, len(ids))
        writer.commit()
        writer.wait_merging_threads()
    except BaseException:
        writer.rollback()
        raise
    return count
