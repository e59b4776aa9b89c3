"""Blocking: the pairs worth scoring, found through shared keys instead of comparing every sheet with every other.

Keys: a carrier's SIRET, SIREN or RNA; a website host; a commune; a grid cell of about 300 m (a point is compared
with its own cell and the eight around it). A block too large to compare in full (a city, a commune centroid shared
by hundreds of sheets) is split by the words of the names, and the words too common to mean anything are skipped.
"""

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import combinations, product

from carrefour.dedup.scoring import BLOCK_METRES, Prepared, distance_metres

SMALL_BLOCK = 40
COMMON_WORD = 60
CELL_DEGREES_LAT = BLOCK_METRES / 111_000


def _cell(lat: float, lon: float) -> tuple[int, int]:
    lon_degrees = CELL_DEGREES_LAT / max(0.2, math.cos(math.radians(lat)))
    return math.floor(lat / CELL_DEGREES_LAT), math.floor(lon / lon_degrees)


def _words(prepared: Prepared) -> set[str]:
    name = prepared.name
    return set(name.distinctive) or ({name.text} if name.text else set())


def _pairs_in(members: list[Prepared]) -> Iterator[tuple[int, int]]:
    if len(members) <= SMALL_BLOCK:
        for a, b in combinations(members, 2):
            yield a.sheet.id, b.sheet.id
        return
    by_word = defaultdict(list)
    for member in members:
        for word in _words(member):
            by_word[word].append(member)
    for group in by_word.values():
        if 1 < len(group) <= COMMON_WORD:
            for a, b in combinations(group, 2):
                yield a.sheet.id, b.sheet.id


def _pairs_across(left: list[Prepared], right: list[Prepared]) -> Iterator[tuple[int, int]]:
    if len(left) * len(right) <= SMALL_BLOCK * SMALL_BLOCK // 2:
        for a, b in product(left, right):
            yield a.sheet.id, b.sheet.id
        return
    by_word = defaultdict(list)
    for member in right:
        for word in _words(member):
            by_word[word].append(member)
    for a in left:
        for word in _words(a):
            group = by_word.get(word, ())
            if len(group) <= COMMON_WORD:
                for b in group:
                    yield a.sheet.id, b.sheet.id


def key_blocks(prepared: Iterable[Prepared]) -> dict[tuple, list[Prepared]]:
    blocks = defaultdict(list)
    for item in prepared:
        sheet = item.sheet
        keys = {("siret", v) for v in sheet.sirets} | {("siren", v) for v in sheet.sirens}
        keys |= {("rna", v) for v in sheet.rnas} | {("commune", v) for v in sheet.communes}
        if item.web:
            keys.add(("web", item.web.host))
        for key in keys:
            blocks[key].append(item)
    return blocks


def grid_pairs(prepared: Iterable[Prepared]) -> Iterator[tuple[int, int]]:
    cells = defaultdict(list)
    for item in prepared:
        for cell in {_cell(p.latitude, p.longitude) for p in item.sheet.places if p.precise and p.latitude is not None}:
            cells[cell].append(item)
    for (row, col), members in cells.items():
        yield from _pairs_in(members)
        for d_row, d_col in ((0, 1), (1, -1), (1, 0), (1, 1)):
            neighbours = cells.get((row + d_row, col + d_col))
            if neighbours:
                yield from _pairs_across(members, neighbours)


def candidate_pairs(prepared: dict[int, Prepared], changed: set[int] | None = None) -> set[tuple[int, int]]:
    """Every blocked pair (smaller id first), limited to pairs touching `changed` when given."""
    pairs = set()
    items = list(prepared.values())
    streams = [_pairs_in(members) for members in key_blocks(items).values()]
    streams.append(grid_pairs(items))
    for stream in streams:
        for a, b in stream:
            if a == b or (changed is not None and a not in changed and b not in changed):
                continue
            pairs.add((a, b) if a < b else (b, a))
    return {pair for pair in pairs if _close_enough(prepared[pair[0]], prepared[pair[1]])}


def _close_enough(a: Prepared, b: Prepared) -> bool:
    """Pairs found through a grid cell but more than 300 m apart and in different communes are dropped."""
    if a.sheet.communes & b.sheet.communes or a.sheet.sirens & b.sheet.sirens or a.sheet.rnas & b.sheet.rnas:
        return True
    if a.web and b.web and a.web.host == b.web.host:
        return True
    return any(
        (d := distance_metres(p, q)) is not None and d <= BLOCK_METRES for p in a.sheet.places for q in b.sheet.places
    )
