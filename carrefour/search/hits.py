"""A ranked candidate → the `Hit` shown to people, from the index's stored payload (never from the database)."""

import tantivy

from carrefour.search.analysis import snippet
from carrefour.search.geo import haversine_km
from carrefour.search.ranking import Candidate
from carrefour.search.schema import read_payload
from carrefour.search.types import Hit

SNIPPET_LENGTH = 200


def build_hit(
    searcher: tantivy.Searcher,
    candidate: Candidate,
    terms: set[str] | frozenset[str],
    prefix: str | None = None,
    near: tuple[float, float] | None = None,
    explanation: dict | None = None,
) -> Hit:
    data = read_payload(searcher, candidate.address)
    points = data["points"]
    lat, lon = points[0] if points else (None, None)
    distance = candidate.distance_km
    if near is not None and points:
        distance = min(haversine_km(near[0], near[1], *point) for point in points)
    return Hit(
        id=data["id"],
        slug=data["slug"],
        name=data["name"],
        summary=data["summary"],
        commune=data["commune"],
        commune_code=data["commune_code"],
        departement=data["departement"],
        region=data["region"],
        lat=lat,
        lon=lon,
        themes=data["themes"],
        score=round(candidate.score or candidate.raw, 6),
        distance_km=round(distance, 3) if distance is not None else None,
        snippet=snippet(data["summary"], terms, SNIPPET_LENGTH, prefix),
        explanation=explanation,
    )
