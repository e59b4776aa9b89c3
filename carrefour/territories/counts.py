"""What a territory holds, counted by the search engine (one engine, one counting path): facet counts of the
initiatives located in it, the counts of its child territories, and rates per 10,000 inhabitants.

The engine counts communes and EPCI as « large » facets: only the most frequent values come back
(`facets.LARGE_FACET_SIZE`). When the answer may have been cut, the children left out are counted with a few more
engine queries (a group of up to MAX_FILTER_VALUES children at once; a group counting zero needs no more).
"""

from collections import Counter

from carrefour import search
from carrefour.search.facets import LARGE_FACET_SIZE
from carrefour.search.types import MAX_FILTER_VALUES, SearchRequest, SearchResponse

PER = 10_000  # rates are per 10,000 inhabitants
PROFILE_FACETS = ("theme", "type", "public", "source")
LARGE_FACETS = ("epci", "commune")


def territory_request(level: str, code: str, **fields) -> SearchRequest:
    return SearchRequest(filters={level: (code,)}, **fields)


def rate(count: int, population: int) -> float | None:
    return count * PER / population if population else None


def facet_counts(response: SearchResponse, facet: str) -> Counter:
    return Counter({value.value: value.count for value in response.facets.get(facet, ()) if value.count})


def profile(level: str, code: str, facets: tuple[str, ...] = PROFILE_FACETS) -> tuple[int, dict[str, Counter]]:
    """(number of published initiatives, counts per facet value) of a territory, from one engine query."""
    response = search.query(territory_request(level, code, facets=facets, page_size=1))
    return response.count, {facet: facet_counts(response, facet) for facet in facets}


def count(filters: dict[str, tuple[str, ...]]) -> int:
    return search.query(SearchRequest(filters=filters, facets=(), page_size=1)).count


def child_counts(level: str, code: str, child_level: str, children: list[str], counted: Counter) -> dict[str, int]:
    """The number of initiatives of each child, from the facet counts of the parent's query (`counted`), completed
    by extra queries when a large facet may have been cut."""
    wanted = set(children)
    result = {child: counted.get(child, 0) for child in children}
    if child_level not in LARGE_FACETS or len(counted) < LARGE_FACET_SIZE:
        return result
    missing = [child for child in children if child not in counted]
    parent = {level: (code,)}
    for start in range(0, len(missing), MAX_FILTER_VALUES - 1):
        group = tuple(missing[start : start + MAX_FILTER_VALUES - 1])
        if not count({**parent, child_level: group}):
            continue
        for child in group:
            result[child] = count({**parent, child_level: (child,)})
    return {child: value for child, value in result.items() if child in wanted}


def covered(level: str, within: tuple[str, str] | None = None) -> Counter:
    """Initiatives per territory of `level` (only those with at least one), optionally within (level, code).

    For communes and EPCI the engine returns the most covered ones only (`LARGE_FACET_SIZE`): enough to choose
    comparable territories among them.
    """
    filters = {within[0]: (within[1],)} if within else {}
    response = search.query(SearchRequest(filters=filters, facets=(level,), page_size=1))
    return facet_counts(response, level)
