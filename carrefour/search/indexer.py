"""Writing the index: applying the outbox, rebuilding from scratch.

Only one process writes at a time (`store.writer_lock`; tantivy also refuses a second writer). Outbox rows are
deleted only after the tantivy commit that applied them: a crash in between replays them, and replaying is
idempotent (an upsert is « delete by id, then add », in one commit).
"""

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

import tantivy
from django.utils import timezone

from carrefour.search import store
from carrefour.search.documents import build
from carrefour.search.models import IndexOutbox
from carrefour.search.schema import SCHEMA
from carrefour.search.sheets import Reader

logger = logging.getLogger(__name__)

OUTBOX_BATCH = 500
REINDEX_CHUNK = 900  # ids per query: under SQLite's historical limit of 999 parameters
WRITER_HEAP = 32_000_000
REINDEX_HEAP = 256_000_000


def batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def apply_outbox(blocking: bool = True) -> int:
    """Apply every pending outbox row; returns how many rows were applied.

    With `blocking=False`, give up at once when another process holds the writer lock: that process checks the
    outbox again after releasing it, so no row is left behind.
    """
    applied = 0
    while True:
        with store.writer_lock(blocking) as locked:
            if not locked:
                return applied
            applied += _drain()
        if not IndexOutbox.objects.exists():
            return applied


def _drain() -> int:
    if not IndexOutbox.objects.exists():
        return 0
    index = tantivy.Index.open(str(store.ensure_current(store.root())))
    writer = index.writer(heap_size=WRITER_HEAP, num_threads=1)
    reader, applied = Reader(), 0
    try:
        while rows := list(IndexOutbox.objects.order_by("id").values_list("id", "initiative_id")[:OUTBOX_BATCH]):
            _upsert(writer, reader, list(dict.fromkeys(pk for _, pk in rows)))
            writer.commit()
            forget_rows([row_id for row_id, _ in rows])
            applied += len(rows)
    except BaseException:
        writer.rollback()
        del writer  # releases tantivy's own lock before ours
        raise
    # Let the merges the commits started finish (small segments: milliseconds), or segments would pile up.
    writer.wait_merging_threads()
    return applied


def forget_rows(row_ids: list[int]) -> None:
    """Delete applied outbox rows: only after the index commit, so that a crash before this line replays them."""
    IndexOutbox.objects.filter(id__in=row_ids).delete()


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
    base = store.root()
    with store.writer_lock():
        already_visible = list(IndexOutbox.objects.values_list("id", flat=True))
        generation = store.new_generation(base)
        try:
            count = _build(generation, progress)
        except BaseException:
            store.remove_tree(generation)
            raise
        store.swap(base, generation)
        # The build read the database after these rows were committed: they are in the new generation.
        for chunk in batched(already_visible, OUTBOX_BATCH):
            forget_rows(chunk)
    seconds = time.perf_counter() - started
    apply_outbox()  # changes committed while the build was running
    return {"documents": count, "seconds": seconds, "docs_per_second": count / seconds if seconds else 0.0}


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
