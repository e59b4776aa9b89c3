"""Areas, neighbours and simplified child polygons of territories, computed from the commune polygons with shapely.

Neighbours: two territories of the same level are neighbours when a commune of one and a commune of the other have
intersecting polygons (they share a border or a corner). Computed for every level in one pass over the 35,000
commune polygons (an STRtree, about 3 s), kept in memory for the life of the process and in the shared cache.
Areas are in km², from the polygons in degrees scaled by the cosine of their latitude (within a few percent).
"""

import json
import threading
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import shapely
from django.core.cache import cache

from carrefour.territories.levels import members_filter
from carrefour.territories.models import Commune, Departement

CACHE_VERSION = 1
CACHE_SECONDS = 30 * 86400  # the gazetteer changes once a year
KM_PER_DEGREE = 111.32
LEVEL_KEYS = ("commune", "epci", "departement", "region")
CHILD_TOLERANCE = {"epci": 0.004, "commune": 0.002}  # degrees: ~400 m and ~200 m
CHILD_GRID = 0.0001


@dataclass(frozen=True)
class Geography:
    areas: dict[str, dict[str, float]]  # level → code → km²
    neighbours: dict[str, dict[str, tuple[str, ...]]]  # level → code → neighbour codes, sorted


_memo: Geography | None = None
_lock = threading.Lock()


def geography() -> Geography:
    """Areas and neighbours of every territory (memoised, cached, or computed)."""
    global _memo
    if _memo is None:
        with _lock:
            if _memo is None:
                key = f"territories:geography:v{CACHE_VERSION}"
                found = cache.get(key)
                if found is None:
                    found = compute_geography()
                    cache.set(key, found, CACHE_SECONDS)
                _memo = found
    return _memo


def forget() -> None:
    global _memo
    _memo = None


def compute_geography() -> Geography:
    rows = list(
        Commune.objects.exclude(geometry=None).values_list("code", "epci_id", "departement_id", "region_id", "geometry")
    )
    polygons = shapely.from_wkb(np.array([bytes(row[4]) for row in rows], dtype=object))
    latitudes = shapely.get_y(shapely.centroid(polygons))
    km2 = shapely.area(polygons) * KM_PER_DEGREE**2 * np.cos(np.radians(latitudes))
    areas: dict[str, dict[str, float]] = {level: defaultdict(float) for level in LEVEL_KEYS}
    for row, area in zip(rows, km2.tolist(), strict=True):
        for level, code in zip(LEVEL_KEYS, row[:4], strict=True):
            if code:
                areas[level][code] += area
    left, right = shapely.STRtree(polygons).query(polygons, predicate="intersects")
    keep = left < right
    pairs: dict[str, set[tuple[str, str]]] = {level: set() for level in LEVEL_KEYS}
    for i, j in zip(left[keep].tolist(), right[keep].tolist(), strict=True):
        for position, level in enumerate(LEVEL_KEYS):
            a, b = rows[i][position], rows[j][position]
            if a and b and a != b:
                pairs[level].add((a, b))
    neighbours: dict[str, dict[str, tuple[str, ...]]] = {}
    for level, found in pairs.items():
        linked: dict[str, set[str]] = defaultdict(set)
        for a, b in found:
            linked[a].add(b)
            linked[b].add(a)
        neighbours[level] = {code: tuple(sorted(codes)) for code, codes in linked.items()}
    return Geography({level: dict(values) for level, values in areas.items()}, neighbours)


def area_km2(level: str, code: str) -> float | None:
    return geography().areas[level].get(code)


def density(level: str, code: str, population: int) -> float | None:
    area = area_km2(level, code)
    return population / area if area else None


def neighbour_codes(level: str, code: str) -> tuple[str, ...]:
    return geography().neighbours[level].get(code, ())


def children_geojson(level: str, code: str, child_level: str) -> str:
    """The simplified polygons of the children of a territory, as a GeoJSON FeatureCollection text (cached).

    Départements use their stored outline; EPCI are the union of their communes inside the parent; communes are
    their own polygon, simplified. Properties: `code`.
    """
    key = f"territories:children:v{CACHE_VERSION}:{level}:{code}:{child_level}"
    text = cache.get(key)
    if text is None:
        text = _feature_collection(_child_shapes(level, code, child_level))
        cache.set(key, text, CACHE_SECONDS)
    return text


def outline_geojson(level: str, code: str) -> str:
    """The simplified outline of one territory, as a FeatureCollection text (for the commune page's map)."""
    key = f"territories:outline:v{CACHE_VERSION}:{level}:{code}"
    text = cache.get(key)
    if text is None:
        rows = list(Commune.objects.filter(members_filter(level, code)).exclude(geometry=None).values_list("geometry"))
        polygons = shapely.from_wkb(np.array([bytes(row[0]) for row in rows], dtype=object))
        shapes = {code: _simplified(shapely.union_all(polygons), CHILD_TOLERANCE["commune"])} if rows else {}
        text = _feature_collection(shapes)
        cache.set(key, text, CACHE_SECONDS)
    return text


def _child_shapes(level: str, code: str, child_level: str) -> dict[str, str]:
    if child_level == "departement":
        rows = Departement.objects.filter(region_id=code).exclude(outline="").values_list("code", "outline")
        return dict(rows)
    key = "pk" if child_level == "commune" else f"{child_level}_id"
    rows = list(Commune.objects.filter(members_filter(level, code)).exclude(geometry=None).values_list(key, "geometry"))
    groups: dict[str, list[bytes]] = defaultdict(list)
    for child, geometry in rows:
        if child:
            groups[child].append(bytes(geometry))
    shapes = {}
    for child, parts in groups.items():
        merged = shapely.union_all(shapely.from_wkb(np.array(parts, dtype=object)))
        shapes[child] = _simplified(merged, CHILD_TOLERANCE[child_level])
    return shapes


def _simplified(geometry, tolerance: float) -> str:
    simplified = shapely.simplify(geometry, tolerance, preserve_topology=True)
    return shapely.to_geojson(shapely.set_precision(simplified, CHILD_GRID))


def _feature_collection(shapes: dict[str, str]) -> str:
    features = ",".join(
        f'{{"type":"Feature","properties":{{"code":{json.dumps(code)}}},"geometry":{geometry}}}'
        for code, geometry in sorted(shapes.items())
    )
    return f'{{"type":"FeatureCollection","features":[{features}]}}'
