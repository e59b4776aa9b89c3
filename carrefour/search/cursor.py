"""How far one index generation has followed the outbox: a small JSON file written after each index commit.

    gen-…/outbox-cursor.json   {"position": 812, "floor": 0, "complete": true, "gaps": [[790, 790, 1764412345.2]]}

- `position`: the highest outbox id applied; rows with a larger id are still to apply.
- `gaps`: ids at or below `position` that were not visible when the rows around them were applied. On PostgreSQL,
  ids come from a sequence and transactions commit in any order: a transaction holding id 790 can commit after id
  791 was applied. We keep such holes (as ranges, with the time they were first seen) and look them up again at
  every pass; a row that shows up there is applied and cut out of its range. A hole older than
  `SEARCH_OUTBOX_GAP_SECONDS` is given up: its transaction rolled back (sequences skip rolled-back ids) or the
  row was deleted. We chose holes over a time window (re-reading the last N seconds of rows at every pass) because
  it re-reads nothing that was applied, and over a commit-ordered log (PostgreSQL transaction ids and snapshot
  xmin) because it also works on SQLite and is not held back by unrelated long transactions.
- `floor`: ids at or below it are never holes (they were settled, purged or predate this index).
- `complete`: False for an index created empty on first use rather than built from the whole catalogue.

The watermark (every row at or below it is applied) is what the index reports to the database, for purging.
Writing is durable (temporary file, fsync, rename, fsync of the folder); a crash before the write replays rows,
and replaying is idempotent.
"""

import json
import logging
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

logger = logging.getLogger(__name__)

FILE_NAME = "outbox-cursor.json"
MAX_GAPS = 1000  # ranges; beyond that the oldest are given up early (with a warning)


@dataclass(frozen=True)
class Gap:
    low: int
    high: int
    seen: float  # epoch seconds when first seen

    def __post_init__(self):
        if self.low > self.high:
            raise ValueError(f"empty gap {self.low}–{self.high}")


@dataclass(frozen=True)
class Cursor:
    position: int = 0
    floor: int = 0
    complete: bool = True
    gaps: tuple[Gap, ...] = field(default=())

    @property
    def watermark(self) -> int:
        """Every outbox row with an id at or below this one has been applied to this index (or given up)."""
        return min(gap.low for gap in self.gaps) - 1 if self.gaps else self.position

    def advance(self, applied_ids: list[int], now: float, floor: int = 0) -> "Cursor":
        """The cursor after applying these rows (fresh ones above `position`, late ones found in gaps)."""
        gaps = list(self.gaps)
        applied = sorted(set(applied_ids))
        late = [pk for pk in applied if pk <= self.position]
        if late:
            gaps = _cut(gaps, late)
        fresh = [pk for pk in applied if pk > self.position]
        if not fresh:
            return replace(self, gaps=tuple(gaps))
        previous = max(self.position, self.floor, floor)
        for pk in fresh:
            if pk > previous + 1:
                gaps.append(Gap(previous + 1, pk - 1, now))
            previous = max(previous, pk)
        return replace(self, position=fresh[-1], gaps=tuple(_cap(gaps)))

    def expire(self, now: float, max_age: float) -> tuple["Cursor", list[Gap]]:
        """Give up the holes older than `max_age` seconds; returns the new cursor and the holes given up."""
        expired = [gap for gap in self.gaps if now - gap.seen >= max_age]
        if not expired:
            return self, []
        return replace(self, gaps=tuple(gap for gap in self.gaps if now - gap.seen < max_age)), expired


def _cut(gaps: list[Gap], ids: list[int]) -> list[Gap]:
    """Remove found ids from the gap ranges, splitting a range when an id falls in its middle."""
    result = []
    for gap in gaps:
        low = gap.low
        for pk in (pk for pk in ids if gap.low <= pk <= gap.high):
            if pk > low:
                result.append(Gap(low, pk - 1, gap.seen))
            low = pk + 1
        if low <= gap.high:
            result.append(Gap(low, gap.high, gap.seen))
    return result


def _cap(gaps: list[Gap]) -> list[Gap]:
    if len(gaps) <= MAX_GAPS:
        return gaps
    ordered = sorted(gaps, key=lambda gap: (gap.seen, gap.low))
    dropped = ordered[: len(gaps) - MAX_GAPS]
    logger.warning("Too many outbox gaps: giving up %s of them early (oldest first).", len(dropped))
    return sorted(ordered[len(dropped) :], key=lambda gap: gap.low)


def load(generation: Path) -> Cursor:
    """The generation's cursor. A generation without one was built before cursors existed: at that time the
    indexer deleted the rows it applied, so every remaining row is still to apply (position 0)."""
    try:
        data = json.loads((generation / FILE_NAME).read_text())
    except FileNotFoundError:
        return Cursor()
    gaps = tuple(Gap(int(low), int(high), float(seen)) for low, high, seen in data.get("gaps", ()))
    return Cursor(int(data["position"]), int(data.get("floor", 0)), bool(data.get("complete", True)), gaps)


def save(generation: Path, cursor: Cursor) -> None:
    data = {
        "position": cursor.position,
        "floor": cursor.floor,
        "complete": cursor.complete,
        "gaps": [[gap.low, gap.high, gap.seen] for gap in cursor.gaps],
    }
    temporary = generation / f".{FILE_NAME}.{os.getpid()}"
    with open(temporary, "w") as handle:
        json.dump(data, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, generation / FILE_NAME)
    folder = os.open(generation, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
