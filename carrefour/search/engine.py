"""`query(SearchRequest) -> SearchResponse`: the one search interface of the page, the API, the widget and alerts."""

import os
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import tantivy

from carrefour.search import facets, geoquery, ranking, spelling, store, textquery
from carrefour.search.bounds import check
from carrefour.search.hits import build_hit
from carrefour.search.schema import FRESH_FIELD, SCHEMA, match_count, read_payload
from carrefour.search.types import Hit, SearchRequest, SearchResponse

Occur = tantivy.Occur
Query = tantivy.Query
ALL_MEASURED = 300  # up to this many matches, a nearest-first pass measures them all
NEAREST_POOL = 200  # near a point without text nor radius: the blend starts from (at least) the 200 nearest


@dataclass
class Plan:
    """The parts of a request as tantivy queries: text and places make the base, facet filters narrow it."""

    text: textquery.TextQuery
    filters: dict[str, Query]
    places: list[Query]

    def query(self, with_filters: bool = True) -> Query:
        clauses = [self.text.query] if self.text.query is not None else []
        clauses += self.places + (list(self.filters.values()) if with_filters else [])
        if not clauses:
            return Query.all_query()
        return clauses[0] if len(clauses) == 1 else Query.boolean_query([(Occur.Must, c) for c in clauses])


def query(request: SearchRequest) -> SearchResponse:
    check(request)
    searcher = store.searcher()
    plan = _plan(searcher, request)
    selected, requested = _selected(request), tuple(request.facets)
    # One pass counts the matches and every facet, in another thread (tantivy releases the GIL) while this one
    # ranks and builds the hits; the ranking passes need no count, except the nearest-first ones.
    counting = _executor().submit(facets.aggregate, searcher, plan.query(with_filters=False), selected, requested)
    main = plan.query()
    if request.sort == "freshness":
        page = _by_freshness(searcher, main, request)
    elif request.sort == "distance":
        page = _by_distance(searcher, main, request, counting)
    else:
        page = _by_relevance(searcher, main, request, plan.text.query is not None, counting)
    hits = [_hit(searcher, candidate, plan.text, request) for candidate in page]
    counted, count = counting.result()
    counts = facets.values(counted, selected, requested)
    suggestions = spelling.suggest(searcher, plan.text.analysis) if count == 0 and request.text.strip() else []
    return SearchResponse(request, count, hits, counts, _understood(request, plan.text), suggestions)


def points(request: SearchRequest, limit: int) -> tuple[int, list[dict]]:
    """The stored payloads of the best `limit` matches of a request, in one pass, for the map; and the match count.

    Pagination, sorting and facets of `request` are ignored: the map shows every match it can, best first.
    """
    check(request)
    searcher = store.searcher()
    plan = _plan(searcher, request)
    order = None if plan.text.query is not None else "prior"
    result = searcher.search(plan.query(), limit, count=True, order_by_field=order)
    return match_count(result), [read_payload(searcher, address) for _, address in result.hits]


_pool: tuple[int, ThreadPoolExecutor] | None = None


def _executor() -> ThreadPoolExecutor:
    """A small pool per process (re-created after a fork: threads do not survive it)."""
    global _pool
    if _pool is None or _pool[0] != os.getpid():
        _pool = (os.getpid(), ThreadPoolExecutor(max_workers=2, thread_name_prefix="search-facets"))
    return _pool[1]


def _selected(request: SearchRequest) -> dict[str, tuple[str, ...]]:
    return {name: tuple(values) for name, values in request.filters.items() if values}


def _plan(searcher: tantivy.Searcher, request: SearchRequest) -> Plan:
    filters = {}
    for name, values in _selected(request).items():
        unique = sorted(set(values))
        filters[name] = (
            Query.term_query(SCHEMA, name, unique[0])
            if len(unique) == 1
            else Query.term_set_query(SCHEMA, name, unique)
        )
    places = []
    if request.near is not None and request.radius_km is not None:
        places.append(geoquery.circle(searcher, request.near, request.radius_km))
    if request.bbox is not None:
        places.append(geoquery.box(searcher, request.bbox))
    return Plan(textquery.build(searcher, request.text), filters, places)


def _window(request: SearchRequest) -> tuple[int, int]:
    return (request.page - 1) * request.page_size, request.page_size


def _by_relevance(searcher, main: Query, request: SearchRequest, has_text: bool, counting: Future):
    offset, size = _window(request)
    order = None if has_text else "prior"
    if offset + size > ranking.TOP_K:  # past the re-ranked window: plain text (or prior) order
        return ranking.plain(
            searcher, searcher.search(main, size, count=False, offset=offset, order_by_field=order).hits
        )
    if request.near is not None and not has_text and request.radius_km is None:
        hits = _nearest_hits(searcher, main, request.near, NEAREST_POOL, counting.result()[1])
    else:
        hits = searcher.search(main, ranking.TOP_K, count=False, order_by_field=order).hits
    keep = request.page * size * 3 + 50  # diversification never reaches further
    pool, used = ranking.blend(searcher, hits, has_text, request.near, _points_of(searcher), keep)
    ranked = ranking.diversify(pool, size, request.page, _caps(request))[offset : offset + size]
    if request.explain:
        for rank, candidate in enumerate(ranked, start=offset + 1):
            parts = ranking.explain(candidate, used)
            diversified = rank != parts["blended_rank"]
            candidate.explanation = {"sort": "relevance", "rank": rank, "diversified": diversified, **parts}
    return ranked


def _caps(request: SearchRequest) -> dict[str, int]:
    """No cap per département when the request is about one place: there, every result shares it."""
    local = request.near is not None or request.bbox is not None
    local = local or any(request.filters.get(name) for name in ("region", "departement", "epci", "commune"))
    return {name: cap for name, cap in ranking.CAPS.items() if not (local and name == "departement")}


def _nearest_hits(searcher, main: Query, near, needed: int, count: int) -> list:
    """Hits among which are the `needed` matches nearest to `near` (all of them when there are few).

    Otherwise a circle just large enough is found first (see `geoquery.nearest_radius`).
    """
    enough = max(4 * needed + 100, ALL_MEASURED)
    around = main
    if count > enough:
        radius = geoquery.nearest_radius(searcher, main, near, needed, count)
        around = Query.boolean_query([(Occur.Must, main), (Occur.Must, geoquery.circle(searcher, near, radius))])
    return searcher.search(around, enough, count=False).hits


def _by_distance(searcher, main: Query, request: SearchRequest, counting: Future):
    offset, size = _window(request)
    hits = _nearest_hits(searcher, main, request.near, offset + size, counting.result()[1])
    addresses = [address for _, address in hits]
    distances = ranking.distances_to(searcher, addresses, request.near, _points_of(searcher))
    order = sorted(range(len(hits)), key=lambda i: (distances[i] is None, distances[i] or 0.0))
    page = [
        ranking.Candidate(addresses[i], hits[i][0], distance_km=distances[i]) for i in order[offset : offset + size]
    ]
    ranking.identify(searcher, page)
    return page


def _by_freshness(searcher, main: Query, request: SearchRequest):
    offset, size = _window(request)
    return ranking.plain(
        searcher, searcher.search(main, size, count=False, offset=offset, order_by_field=FRESH_FIELD).hits
    )


def _points_of(searcher: tantivy.Searcher):
    """Every location of a document, read from its stored payload (for the rare sheets with more than three)."""
    return lambda address: [tuple(point) for point in read_payload(searcher, address)["points"]]


def _hit(searcher, candidate: ranking.Candidate, text: textquery.TextQuery, request: SearchRequest) -> Hit:
    explanation = _explanation(candidate, request) if request.explain else None
    return build_hit(searcher, candidate, text.highlight_terms, text.analysis.prefix, request.near, explanation)


def _explanation(candidate: ranking.Candidate, request: SearchRequest) -> dict:
    if candidate.explanation is not None:
        return candidate.explanation
    if request.sort == "distance":
        return {"sort": "distance", "distance_km": candidate.distance_km}
    return {"sort": request.sort, "raw": candidate.raw, "fresh": candidate.fresh}


def _understood(request: SearchRequest, text: textquery.TextQuery) -> dict:
    analysis = text.analysis
    return {
        "text": request.text,
        "terms": analysis.terms,
        "phrases": analysis.phrases,
        "prefix": analysis.prefix,
        "approximate": list(text.corrected),
        "corrections": text.corrected,
        "filters": _selected(request),
        "near": request.near,
        "radius_km": request.radius_km,
        "bbox": request.bbox,
        "sort": request.sort,
    }
