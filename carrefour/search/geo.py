"""Exact geographic filters on a term index: a quadtree of cells, plus one exact point term per location.

Every location is indexed as the key of its cell at each level of a quadtree (base cells of 4°, then ten levels of
halving, ≈ 430 m at the finest) and as a point term `p<finest cell>@lat,lon`. A region (a circle or a box) is covered
by cells: those entirely inside become cell terms; those crossing the edge are resolved exactly by listing the point
terms under them (`terms_with_prefix`) and testing each point. The filter is then a single term-set query, exact by
construction, that facet counts and sorts reuse without touching a single document in Python.
"""

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

EARTH_RADIUS_KM = 6371.0088
BASE_DEGREES = 4.0
LEVELS = 10
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180
FEW_DOCUMENTS = 48  # a crossing cell with fewer documents is resolved point by point at once
STOP_FRACTION = 6  # cells crossing the edge are split down to 1/6 of the radius (or box side), then points tested
INSIDE, OUTSIDE, CROSSING = "inside", "outside", "crossing"


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def distance_from(lat: float, lon: float) -> Callable[[float, float], float]:
    """`haversine_km` from a fixed point, with its trigonometry computed once: for many points."""
    phi0, lambda0, cos0 = math.radians(lat), math.radians(lon), math.cos(math.radians(lat))
    sin, cos, asin, sqrt, radians = math.sin, math.cos, math.asin, math.sqrt, math.radians
    diameter = 2 * EARTH_RADIUS_KM

    def km(lat2: float, lon2: float) -> float:
        phi = radians(lat2)
        a = sin((phi - phi0) / 2) ** 2 + cos0 * cos(phi) * sin((radians(lon2) - lambda0) / 2) ** 2
        return diameter * asin(min(1.0, sqrt(a)))

    return km


@dataclass(frozen=True, slots=True)
class Cell:
    base_y: int
    base_x: int
    digits: str  # one quadrant digit (0-3) per level below the base cell: 0 south-west, 1 south-east, 2 north-west…
    south: float
    west: float
    size: float

    @classmethod
    def base(cls, base_y: int, base_x: int) -> "Cell":
        return cls(base_y, base_x, "", base_y * BASE_DEGREES - 90, base_x * BASE_DEGREES - 180, BASE_DEGREES)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(south, west, north, east)."""
        return self.south, self.west, self.south + self.size, self.west + self.size

    @property
    def key(self) -> str:
        return f"{self.base_y}.{self.base_x}/{self.digits}"

    def children(self) -> Iterator["Cell"]:
        half = self.size / 2
        for digit in range(4):
            south = self.south + half * (digit // 2)
            west = self.west + half * (digit % 2)
            yield Cell(self.base_y, self.base_x, self.digits + str(digit), south, west, half)


def cell_of(lat: float, lon: float, level: int = LEVELS) -> Cell:
    y, x = (lat + 90) / BASE_DEGREES, (lon + 180) / BASE_DEGREES
    base_y, base_x = int(math.floor(y)), int(math.floor(x))
    count = 1 << level
    sy = min(int((y - base_y) * count), count - 1)
    sx = min(int((x - base_x) * count), count - 1)
    digits = "".join(str(((sy >> bit) & 1) * 2 + ((sx >> bit) & 1)) for bit in range(level - 1, -1, -1))
    size = BASE_DEGREES / count
    return Cell(
        base_y, base_x, digits, base_y * BASE_DEGREES - 90 + sy * size, base_x * BASE_DEGREES - 180 + sx * size, size
    )


def point_terms(lat: float, lon: float) -> list[str]:
    """The terms indexed for one location: its cell at every level, then its exact point."""
    finest = cell_of(lat, lon)
    cells = [f"c{finest.base_y}.{finest.base_x}/{finest.digits[:level]}" for level in range(LEVELS + 1)]
    return [*cells, f"p{finest.key}@{lat:.5f},{lon:.5f}"]


def parse_point(term: str) -> tuple[float, float]:
    lat, lon = term.rpartition("@")[2].split(",")
    return float(lat), float(lon)


class Region:
    """A shape that can classify a cell and test a point exactly."""

    stop_degrees: float = 0.0

    def classify(self, cell: Cell) -> str:
        raise NotImplementedError

    def contains(self, lat: float, lon: float) -> bool:
        raise NotImplementedError

    def start_cells(self) -> Iterator[Cell]:
        """The cells of the coarsest useful level (about half the envelope's size) that meet the envelope."""
        south, west, north, east = self.envelope()
        span = max(north - south, east - west)
        level = max(0, min(LEVELS, int(math.floor(math.log2(2 * BASE_DEGREES / span))) if span > 0 else LEVELS))
        size = BASE_DEGREES / (1 << level)
        for y in range(int(math.floor((south + 90) / size)), int(math.floor((north + 90) / size)) + 1):
            for x in range(int(math.floor((west + 180) / size)), int(math.floor((east + 180) / size)) + 1):
                yield cell_of(y * size - 90 + size / 2, x * size - 180 + size / 2, level)

    def envelope(self) -> tuple[float, float, float, float]:
        raise NotImplementedError


class Circle(Region):
    def __init__(self, lat: float, lon: float, radius_km: float):
        self.lat, self.lon, self.radius_km = lat, lon, radius_km
        self.km = distance_from(lat, lon)
        self.margin_km = 0.01 * radius_km + 0.05
        self.stop_degrees = max(radius_km / STOP_FRACTION / KM_PER_DEGREE, BASE_DEGREES / (1 << LEVELS))
        self._envelope = self._compute_envelope()

    def _compute_envelope(self) -> tuple[float, float, float, float]:
        dlat = (self.radius_km + self.margin_km) / KM_PER_DEGREE
        dlon = dlat / max(math.cos(math.radians(min(abs(self.lat) + dlat, 89.0))), 0.01)
        return self.lat - dlat, self.lon - dlon, self.lat + dlat, self.lon + dlon

    def envelope(self) -> tuple[float, float, float, float]:
        return self._envelope

    def classify(self, cell: Cell) -> str:
        south, west, north, east = cell.bounds
        e_south, e_west, e_north, e_east = self._envelope
        if south > e_north or north < e_south or west > e_east or east < e_west:
            return OUTSIDE
        nearest = self.km(min(max(self.lat, south), north), min(max(self.lon, west), east))
        if nearest > self.radius_km + self.margin_km:
            return OUTSIDE
        # The farthest point of a latitude/longitude rectangle from any point is one of its corners: on the side
        # of the farthest meridian, at the south or the north end.
        far_lon = west if abs(self.lon - west) > abs(self.lon - east) else east
        farthest = max(self.km(south, far_lon), self.km(north, far_lon))
        return INSIDE if farthest < self.radius_km else CROSSING

    def contains(self, lat: float, lon: float) -> bool:
        return self.km(lat, lon) <= self.radius_km


class Box(Region):
    def __init__(self, west: float, south: float, east: float, north: float):
        self.west, self.south, self.east, self.north = west, south, east, north
        self.stop_degrees = max(min(east - west, north - south) / STOP_FRACTION, BASE_DEGREES / (1 << LEVELS))

    def envelope(self) -> tuple[float, float, float, float]:
        return self.south, self.west, self.north, self.east

    def classify(self, cell: Cell) -> str:
        south, west, north, east = cell.bounds
        if south > self.north or north < self.south or west > self.east or east < self.west:
            return OUTSIDE
        if south >= self.south and north <= self.north and west >= self.west and east <= self.east:
            return INSIDE
        return CROSSING

    def contains(self, lat: float, lon: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east


class TermSource(Protocol):
    """The index's term dictionary for the geo field."""

    def doc_freq(self, term: str) -> int: ...

    def with_prefix(self, prefix: str) -> list[str]: ...


def covering_terms(region: Region, dictionary: TermSource) -> list[str]:
    """The geo terms whose union is exactly the set of indexed locations inside `region`."""
    terms: list[str] = []
    pending = list(region.start_cells())
    while pending:
        cell = pending.pop()
        verdict = region.classify(cell)
        documents = dictionary.doc_freq(f"c{cell.key}") if verdict != OUTSIDE else 0
        if not documents:
            continue
        if verdict == INSIDE:
            terms.append(f"c{cell.key}")
        elif documents > FEW_DOCUMENTS and cell.size > region.stop_degrees and len(cell.digits) < LEVELS:
            pending.extend(cell.children())
        else:
            points = dictionary.with_prefix(f"p{cell.key}")
            terms.extend(term for term in points if region.contains(*parse_point(term)))
    return terms
