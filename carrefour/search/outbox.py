"""The outbox seen as a log shared by every index: reading rows after a cursor, reporting, purging.

Each index folder is a consumer with a stable name (`CARREFOUR_INDEX_NAME`, by default the host name and the index
folder). After applying rows it reports its watermark; rows are purged once every consumer seen within
`SEARCH_CONSUMER_TTL_SECONDS` has passed them, and rows older than `SEARCH_OUTBOX_RETENTION_SECONDS` are purged
regardless. The highest purged id is kept in `OutboxHorizon`: an index whose watermark is below it missed rows and
must be rebuilt (the index worker does it on its own).
"""

import hashlib
import logging
import socket
import time
from datetime import timedelta
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, IntegrityError, OperationalError, connections, transaction
from django.db.models import Max, Min, Q
from django.utils import timezone

from carrefour.search.cursor import Cursor, Gap
from carrefour.search.models import IndexConsumer, IndexOutbox, OutboxHorizon

logger = logging.getLogger(__name__)

GAP_QUERY_CHUNK = 100  # id ranges per query
REPORT_EVERY = 60.0  # seconds: an unchanged watermark is reported (and idle purges run) at most this often
NAME_LENGTH = 255

_reported: dict[str, tuple[int, float]] = {}
_purged: dict[str, float] = {}


def consumer_name() -> str:
    name = getattr(settings, "SEARCH_INDEX_NAME", "") or f"{socket.gethostname()}:{settings.SEARCH_INDEX_DIR}"
    if len(name) > NAME_LENGTH:
        name = f"{name[: NAME_LENGTH - 17]}~{hashlib.sha256(name.encode()).hexdigest()[:16]}"
    return name


def rows_after(position: int, limit: int) -> list[tuple[int, int]]:
    """(id, initiative id) of the next rows after `position`, in id order."""
    return list(IndexOutbox.objects.filter(id__gt=position).order_by("id").values_list("id", "initiative_id")[:limit])


def rows_in_gaps(gaps: tuple[Gap, ...]) -> list[tuple[int, int]]:
    """Rows that became visible inside known holes (transactions that committed after later ids were applied)."""
    found: list[tuple[int, int]] = []
    for start in range(0, len(gaps), GAP_QUERY_CHUNK):
        ranges = [Q(id__range=(gap.low, gap.high)) for gap in gaps[start : start + GAP_QUERY_CHUNK]]
        found += IndexOutbox.objects.filter(reduce(or_, ranges)).values_list("id", "initiative_id")
    return sorted(found)


def has_pending(position: int, gaps: tuple[Gap, ...]) -> bool:
    return IndexOutbox.objects.filter(id__gt=position).exists() or bool(gaps and rows_in_gaps(gaps))


def allocated_through() -> int:
    """The highest outbox id handed out so far, committed or not (the sequence, not the visible rows)."""
    connection = connections[DEFAULT_DB_ALIAS]
    table = IndexOutbox._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_sequence_last_value(pg_get_serial_sequence(%s, 'id'))", [table])
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        else:
            cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(table)}")  # noqa: S608  # nosec B608 - a table name
        row = cursor.fetchone()
    visible = IndexOutbox.objects.aggregate(top=Max("id"))["top"] or 0
    return max((row[0] if row and row[0] is not None else 0), visible)


def horizon() -> int:
    return OutboxHorizon.objects.filter(pk=1).values_list("purged_through", flat=True).first() or 0


def starting_cursor(now: float) -> Cursor:
    """The cursor of an index about to be built from the database (the build reads the database afterwards).

    Every id handed out so far is behind it, so the rows of transactions still in flight must not be missed. On
    PostgreSQL we briefly take a SHARE lock on the outbox: it waits for every transaction that inserted rows to end
    (and holds new inserts back for that moment), so no id at or below the top is still in flight. If that wait
    passes `SEARCH_OUTBOX_LOCK_TIMEOUT` (a long import running), the ids that are not visible since the last row
    older than the gap delay become holes instead. On SQLite writers are serialised: nothing is ever in flight.
    """
    floor = horizon()
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        return Cursor(position=max(allocated_through(), floor), floor=floor)
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                timeout = int(settings.SEARCH_OUTBOX_LOCK_TIMEOUT * 1000)
                cursor.execute(f"SET LOCAL lock_timeout = {timeout}")
                cursor.execute(f"LOCK TABLE {connection.ops.quote_name(IndexOutbox._meta.db_table)} IN SHARE MODE")
            top = allocated_through()
        return Cursor(position=max(top, floor), floor=floor)
    except OperationalError:
        logger.warning("Writers held the outbox too long: rows in flight become gaps of the rebuilt index.")
    return _cursor_with_holes(floor, allocated_through(), now)


def _cursor_with_holes(floor: int, top: int, now: float) -> Cursor:
    settled_before = timezone.now() - timedelta(seconds=settings.SEARCH_OUTBOX_GAP_SECONDS)
    settled = IndexOutbox.objects.filter(created_at__lt=settled_before).aggregate(top=Max("id"))["top"] or 0
    low = max(floor, settled)
    gaps, previous = [], low
    for pk in IndexOutbox.objects.filter(id__gt=low, id__lte=top).order_by("id").values_list("id", flat=True):
        if pk > previous + 1:
            gaps.append(Gap(previous + 1, pk - 1, now))
        previous = pk
    if top > previous:
        gaps.append(Gap(previous + 1, top, now))
    return Cursor(position=max(top, low), floor=low, gaps=tuple(gaps))


def empty_cursor() -> Cursor:
    """The cursor of an index created empty on first use: it replays every row still in the outbox."""
    return Cursor(position=0, floor=allocated_through(), complete=False)


def rebuild_reason(cursor: Cursor) -> str | None:
    """Why this index cannot catch up from the outbox alone, or None."""
    if not cursor.complete:
        return "the index was created empty, not built from the catalogue"
    purged = horizon()
    if cursor.watermark < purged:
        return f"outbox rows up to #{purged} were purged but this index only applied up to #{cursor.watermark}"
    return None


def report(cursor: Cursor, advanced: bool) -> None:
    """Record this index's watermark (throttled when nothing changed), then purge what every index has passed."""
    name, now = consumer_name(), time.monotonic()
    last = _reported.get(name)
    if advanced or last is None or last[0] != cursor.watermark or now - last[1] >= REPORT_EVERY:
        IndexConsumer.objects.update_or_create(
            name=name, defaults={"last_applied_id": cursor.watermark, "last_seen_at": timezone.now()}
        )
        _reported[name] = (cursor.watermark, now)
    if advanced or now - _purged.get(name, float("-inf")) >= REPORT_EVERY:
        purge()
        _purged[name] = now


def purge() -> int:
    """Delete the rows every live index has applied, and the rows past retention; returns how many."""
    now = timezone.now()
    live_since = now - timedelta(seconds=settings.SEARCH_CONSUMER_TTL_SECONDS)
    retained_since = now - timedelta(seconds=settings.SEARCH_OUTBOX_RETENTION_SECONDS)
    live = IndexConsumer.objects.filter(last_seen_at__gte=live_since).aggregate(low=Min("last_applied_id"))["low"]
    expired = IndexOutbox.objects.filter(created_at__lt=retained_since).aggregate(top=Max("id"))["top"]
    threshold = max(live or 0, expired or 0)
    if threshold <= 0:
        return 0
    with transaction.atomic():
        deleted, _ = IndexOutbox.objects.filter(id__lte=threshold).delete()
        _raise_horizon(threshold, now)
    IndexConsumer.objects.filter(last_seen_at__lt=retained_since).delete()  # servers gone for good
    return deleted


def _raise_horizon(threshold: int, now) -> None:
    """Move the horizon up to `threshold` (never down: another server may have purged further meanwhile)."""
    later = OutboxHorizon.objects.filter(pk=1, purged_through__lt=threshold)
    if later.update(purged_through=threshold, purged_at=now) or OutboxHorizon.objects.filter(pk=1).exists():
        return
    try:
        with transaction.atomic():
            OutboxHorizon.objects.create(pk=1, purged_through=threshold, purged_at=now)
    except IntegrityError:  # created by another server between the two queries
        later.update(purged_through=threshold, purged_at=now)


def forget_process_state() -> None:
    """Tests: forget the throttles of this process."""
    _reported.clear()
    _purged.clear()
