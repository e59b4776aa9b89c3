"""Geographic queries on the index: region filters (circle, box) and the nearest matches to a point."""

import threading
from collections import OrderedDict

import tantivy

from carrefour.search import store
from carrefour.search.geo import KM_PER_DEGREE, LEVELS, Box, Circle, Region, cell_of, covering_terms
from carrefour.search.schema import GEO_FIELD, SCHEMA, match_count

Occur = tantivy.Occur
Query = tantivy.Query
MIN_RADIUS_KM = 0.5
COVERINGS_KEPT = 512
GROWTH = 3.0
WORLD_KM = 20_100.0  # half the equator: a circle that holds the whole Earth
MAX_STEPS = 12


class Dictionary:
    """The geo field's term dictionary, as `geo.covering_terms` wants it."""

    def __init__(self, searcher: tantivy.Searcher):
        self.searcher = searcher

    def doc_freq(self, term: str) -> int:
        return self.searcher.doc_freq(GEO_FIELD, term)

    def with_prefix(self, prefix: str) -> list[str]:
        return [term for term, _ in self.searcher.terms_with_prefix(GEO_FIELD, prefix)]


_coverings: OrderedDict[tuple, list[str]] = OrderedDict()
_coverings_lock = threading.Lock()


def region_query(searcher: tantivy.Searcher, region: Region, key: tuple) -> Query:
    """The exact filter of `region`. Coverings are kept per index state (a few hundred, least recently used
    first out): the same place asked again (a city, a map view) costs nothing more; any commit invalidates."""
    key = (store.generation(), *key)
    with _coverings_lock:
        terms = _coverings.get(key)
        if terms is not None:
            _coverings.move_to_end(key)
    if terms is None:
        terms = covering_terms(region, Dictionary(searcher))
        with _coverings_lock:
            _coverings[key] = terms
            while len(_coverings) > COVERINGS_KEPT:
                _coverings.popitem(last=False)
    return Query.term_set_query(SCHEMA, GEO_FIELD, terms) if terms else Query.empty_query()


def circle(searcher: tantivy.Searcher, near: tuple[float, float], radius_km: float) -> Query:
    return region_query(searcher, Circle(near[0], near[1], radius_km), ("circle", *near, radius_km))


def box(searcher: tantivy.Searcher, bbox: tuple[float, float, float, float]) -> Query:
    return region_query(searcher, Box(*bbox), ("box", *bbox))


def nearest_radius(searcher: tantivy.Searcher, base: Query, near, needed: int, matches: int) -> float:
    """A radius holding at least `needed` of the `matches` of `base` (or all of them), yet not many more.

    Starts from the quadtree's counts around the point, then grows, or narrows by bisection while the circle holds
    far more than needed.
    """
    low, high = 0.0, None
    radius = first_radius(searcher, near, needed, matches / max(searcher.num_docs, 1))
    for _ in range(MAX_STEPS):
        found = _count(searcher, base, near, radius)
        if found < needed:
            if radius >= WORLD_KM:
                return WORLD_KM
            low = radius
            radius = min(radius * GROWTH, WORLD_KM) if high is None else (low + high) / 2
        elif found <= 4 * needed + 100:
            return radius
        else:
            high = radius
            radius = (low + high) / 2
    return high or WORLD_KM


def first_radius(searcher: tantivy.Searcher, near, needed: int, share: float) -> float:
    """The side of the smallest quadtree cell around the point expected to hold twice `needed` matches."""
    for level in range(LEVELS, -1, -1):
        cell = cell_of(near[0], near[1], level)
        if searcher.doc_freq(GEO_FIELD, f"c{cell.key}") * share >= 2 * needed:
            return max(cell.size * KM_PER_DEGREE, MIN_RADIUS_KM)
    return WORLD_KM


def _count(searcher: tantivy.Searcher, base: Query, near, radius: float) -> int:
    query = Query.boolean_query([(Occur.Must, base), (Occur.Must, circle(searcher, near, radius))])
    return match_count(searcher.search(query, 1, count=True))
