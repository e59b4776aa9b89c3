"""What the matcher knows about a sheet, loaded in a few bulk queries (no per-sheet query)."""

from collections import defaultdict
from dataclasses import dataclass, field

from carrefour.catalog.models import Initiative, Location, Role, Stakeholder
from carrefour.sources.models import SourceRecord


@dataclass
class Place:
    commune: str
    commune_name: str
    address: str
    latitude: float | None
    longitude: float | None
    # False when the point is only the commune's centre (a sheet located « à la commune »): no use for distances.
    precise: bool = True


@dataclass
class Sheet:
    id: int
    name: str
    website: str
    updated_at: object = None
    places: list[Place] = field(default_factory=list)
    sirets: set[str] = field(default_factory=set)
    sirens: set[str] = field(default_factory=set)
    rnas: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)

    @property
    def communes(self) -> set[str]:
        return {p.commune for p in self.places}


def load_sheets(queryset=None, batch_size: int = 5000) -> dict[int, Sheet]:
    """Every sheet of `queryset` (default: published, not merged) with its places, identifiers and sources."""
    if queryset is None:
        queryset = Initiative.objects.filter(status=Initiative.Status.PUBLISHED, merged_into__isnull=True)
    sheets = {
        row["id"]: Sheet(row["id"], row["name"], row["website"], row["updated_at"])
        for row in queryset.values("id", "name", "website", "updated_at").iterator(chunk_size=batch_size)
    }
    ids = list(sheets)
    for start in range(0, len(ids), batch_size):
        _load_details(sheets, ids[start : start + batch_size])
    return sheets


def _at_centre(lat, lon, centre_lat, centre_lon) -> bool:
    """A point within about 10 m of the commune's centre is the centre, not an address."""
    if None in (lat, lon, centre_lat, centre_lon):
        return False
    return abs(lat - centre_lat) < 1e-4 and abs(lon - centre_lon) < 1e-4


def _load_details(sheets: dict[int, Sheet], ids: list[int]) -> None:
    locations = Location.objects.filter(initiative_id__in=ids).order_by("position", "id")
    fields = ("initiative_id", "commune_id", "commune__name", "address", "latitude", "longitude", "precision")
    for row in locations.values(*fields, "commune__latitude", "commune__longitude"):
        lat, lon = row["latitude"], row["longitude"]
        precise = row["precision"] == Location.Precision.ADDRESS or not _at_centre(
            lat, lon, row["commune__latitude"], row["commune__longitude"]
        )
        sheets[row["initiative_id"]].places.append(
            Place(row["commune_id"], row["commune__name"], row["address"], lat, lon, precise)
        )
    stakes = Stakeholder.objects.filter(initiative_id__in=ids, role=Role.CARRIER)
    for row in stakes.values("initiative_id", "organisation__siret", "organisation__siren", "organisation__rna"):
        sheet = sheets[row["initiative_id"]]
        siret, siren, rna = row["organisation__siret"], row["organisation__siren"], row["organisation__rna"]
        if siret:
            sheet.sirets.add(siret)
            sheet.sirens.add(siret[:9])
        if siren:
            sheet.sirens.add(siren)
        if rna:
            sheet.rnas.add(rna.upper())
    by_source = defaultdict(set)
    for row in SourceRecord.objects.filter(initiative_id__in=ids).values("initiative_id", "source__slug"):
        by_source[row["initiative_id"]].add(row["source__slug"])
    for pk, slugs in by_source.items():
        sheets[pk].sources = slugs
