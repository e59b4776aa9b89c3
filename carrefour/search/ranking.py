"""Fair ranking: blend text relevance with distance, quality and freshness, then diversify. See RANKING.md.

Signals are read from fast fields as columns (one call per field for all candidates) and blended with list
comprehensions; `Candidate` objects are only made for the few that can reach the requested pages.
"""

import math
import time
from collections import Counter
from dataclasses import dataclass

import tantivy

from carrefour.search.geo import KM_PER_DEGREE, distance_from

TOP_K = 500
WEIGHTS = {"text": 0.55, "distance": 0.25, "quality": 0.12, "freshness": 0.08}
DISTANCE_SCALE_KM = 25.0
FRESHNESS_SECONDS = 365.0 * 86400
CAPS = {"source": 2, "carrier": 2, "departement": 5}  # hits per page at most, for one value of each
EXTRA_POINTS = ("lat2", "lon2", "lat3", "lon3")
IDENTITY_FIELDS = ("id", "source_key", "carrier", "dep_key")


@dataclass(slots=True)
class Candidate:
    address: tantivy.DocAddress
    raw: float  # BM25 (or the index-time prior when there is no text)
    quality: float = 0.0
    fresh: int = 0
    distance_km: float | None = None
    score: float = 0.0
    id: int = 0
    source: int = 0
    carrier: int = 0
    departement: int = 0
    signals: tuple = ()  # (text, quality, freshness, distance), each in [0, 1]
    blended_rank: int = 0  # rank before diversification, from 1
    explanation: dict | None = None


def weights(has_text: bool, near: bool) -> dict[str, float]:
    """The blend's weights for this request, normalised to sum to 1 (absent signals give their share away)."""
    active = {name: weight for name, weight in WEIGHTS.items() if (name != "text" or has_text)}
    if not near:
        active.pop("distance")
    total = sum(active.values())
    return {name: weight / total for name, weight in active.items()}


def blend(searcher, hits, has_text: bool, near, points_of, keep: int) -> tuple[list[Candidate], dict]:
    """The `keep` best hits by blended score, best first, with the weights used (for explanations)."""
    addresses = [address for _, address in hits]
    if not addresses:
        return [], weights(has_text, near is not None)
    raws = [raw for raw, _ in hits]
    qualities = [q or 0.0 for q in searcher.fast_field_values("quality", addresses)]
    freshes = [f or 0 for f in searcher.fast_field_values("fresh", addresses)]
    used = weights(has_text, near is not None)
    best, now = (max(raws) or 1.0) if has_text else 1.0, time.time()
    w_text, w_quality, w_fresh = used.get("text", 0.0) / best, used["quality"], used["freshness"]
    exp = math.exp
    scores = [
        w_text * raw + w_quality * q + w_fresh * exp(-max(now - f, 0) / FRESHNESS_SECONDS)
        for raw, q, f in zip(raws, qualities, freshes, strict=True)
    ]
    distances = distances_to(searcher, addresses, near, points_of, exact=False) if near is not None else None
    if distances is not None:
        scores = _with_distances(scores, distances, used["distance"])
    order = sorted(range(len(scores)), key=scores.__getitem__, reverse=True)[:keep]
    kept = [
        Candidate(addresses[i], raws[i], qualities[i], freshes[i], distances[i] if distances else None, scores[i])
        for i in order
    ]
    for rank, candidate in enumerate(kept, start=1):
        candidate.blended_rank = rank
        candidate.signals = _signals(candidate, best if has_text else 0.0, now)
    identify(searcher, kept)
    return kept, used


def _with_distances(scores: list[float], distances: list[float | None], weight: float) -> list[float]:
    exp = math.exp
    return [
        s if d is None else s + weight * exp(-d / DISTANCE_SCALE_KM) for s, d in zip(scores, distances, strict=True)
    ]


def _signals(candidate: Candidate, best: float, now: float) -> tuple:
    distance = candidate.distance_km
    return (
        candidate.raw / best if best else 0.0,
        candidate.quality,
        math.exp(-max(now - candidate.fresh, 0) / FRESHNESS_SECONDS),
        math.exp(-distance / DISTANCE_SCALE_KM) if distance is not None else 0.0,
    )


def identify(searcher: tantivy.Searcher, candidates: list[Candidate]) -> None:
    """Id, source, carrying organisation and département of each candidate (for diversification and ties)."""
    if not candidates:
        return
    addresses = [candidate.address for candidate in candidates]
    columns = [searcher.fast_field_values(name, addresses) for name in IDENTITY_FIELDS]
    for candidate, pk, source, carrier, departement in zip(candidates, *columns, strict=True):
        candidate.id, candidate.source, candidate.carrier, candidate.departement = pk, source, carrier, departement


def plain(searcher: tantivy.Searcher, hits) -> list[Candidate]:
    """Candidates in the order tantivy gave them (freshness sort, deep pages)."""
    candidates = [Candidate(address, raw, score=raw) for raw, address in hits]
    identify(searcher, candidates)
    return candidates


def distances_to(searcher, addresses: list, near, points_of, exact: bool = True) -> list[float | None]:
    """Distance from `near` to the nearest location of each document.

    The first three locations are fast fields; `points_of(address)` reads all the locations of the rare sheets
    that have more. `exact=False` uses the equirectangular approximation (well under 1 % at a few hundred km):
    enough for a ranking signal, and three times cheaper.
    """
    km = distance_from(*near) if exact else _approximate_distance_from(*near)
    lats, lons, nlocs = (searcher.fast_field_values(name, addresses) for name in ("lat", "lon", "nloc"))
    result = [None if lat is None or lon is None else km(lat, lon) for lat, lon in zip(lats, lons, strict=True)]
    several = [i for i, count in enumerate(nlocs) if count and count > 1]
    if several:
        extra = [searcher.fast_field_values(name, [addresses[i] for i in several]) for name in EXTRA_POINTS]
        for position, i in enumerate(several):
            lat2, lon2, lat3, lon3 = (column[position] for column in extra)
            points = points_of(addresses[i]) if nlocs[i] > 3 else [(lat2, lon2), (lat3, lon3)]
            for lat, lon in points:
                nearest = result[i]
                if lat is not None and lon is not None and nearest is not None:
                    result[i] = min(nearest, km(lat, lon))
    return result


def _approximate_distance_from(lat0: float, lon0: float):
    scale = math.cos(math.radians(lat0))

    def km(lat: float, lon: float) -> float:
        dx, dy = (lon - lon0) * scale, lat - lat0
        return KM_PER_DEGREE * math.sqrt(dx * dx + dy * dy)

    return km


def explain(candidate: Candidate, used: dict[str, float]) -> dict:
    """Each part of a blended score: weight × signal, and the raw text score."""
    signals = dict(zip(("text", "quality", "freshness", "distance"), candidate.signals, strict=True))
    parts = {name: round(weight * signals[name], 6) for name, weight in used.items()}
    parts.update({f"{name}_signal": round(signals[name], 6) for name in used})
    return {
        "score": round(candidate.score, 6),
        "bm25": round(candidate.raw, 6),
        "blended_rank": candidate.blended_rank,
        "distance_km": round(candidate.distance_km, 3) if candidate.distance_km is not None else None,
        **parts,
    }


def diversify(ranked: list[Candidate], page_size: int, pages: int, caps: dict[str, int] = CAPS) -> list[Candidate]:
    """The first `pages` pages: on each, at most 2 hits per source and per carrying organisation, 5 per département.

    A candidate over a cap waits for the next page, keeping its rank; when too few others remain, waiting candidates
    fill the page in rank order, so that a page is never left short.
    """
    result: list[Candidate] = []
    pending = ranked
    for _ in range(pages):
        if not pending:
            break
        page, pending = _one_page(pending, page_size, caps)
        result.extend(page)
    return result


def _one_page(
    pending: list[Candidate], page_size: int, caps: dict[str, int]
) -> tuple[list[Candidate], list[Candidate]]:
    counts: Counter[tuple[str, int]] = Counter()
    page: list[Candidate] = []
    deferred: list[Candidate] = []
    for position, candidate in enumerate(pending):
        if len(page) == page_size:
            return page, deferred + pending[position:]
        keys = [(name, getattr(candidate, name)) for name in caps if getattr(candidate, name)]
        if all(counts[key] < caps[key[0]] for key in keys):
            page.append(candidate)
            counts.update(keys)
        else:
            deferred.append(candidate)
    fill = deferred[: page_size - len(page)]
    return sorted(page + fill, key=rank_key), deferred[len(fill) :]


def rank_key(candidate: Candidate) -> tuple[float, int]:
    return -candidate.score, candidate.blended_rank
