"""Bulk reading of published initiatives for the index: a few `values()` queries per chunk, no model instances.

The reference tables (terms, territories, sources) are read once per `Reader`; a chunk of initiatives then costs one
query per related table, whatever its size.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypedDict

from carrefour.catalog.models import Initiative, InitiativeImage, Location, Role, Stakeholder, Term
from carrefour.sources.models import Source, SourceRecord
from carrefour.territories.models import Commune, Departement, Region

TERM_LINKS = ("themes", "publics", "place_types", "innovation_forms")


class InitiativeRow(TypedDict):
    id: int
    name: str
    slug: str
    summary: str
    description: str
    website: str
    stage_id: int | None
    scale_id: int | None
    updated_at: datetime
    last_confirmed_at: datetime | None


INITIATIVE_COLUMNS = tuple(InitiativeRow.__annotations__)


class LocationRow(TypedDict):
    initiative_id: int
    commune_id: str
    latitude: float | None
    longitude: float | None
    precision: str


class StakeholderRow(TypedDict):
    initiative_id: int
    role: str
    organisation_id: int
    organisation__name: str
    organisation__structure_type_id: int | None
    is_carrier: bool


@dataclass(frozen=True)
class TermRow:
    vocabulary: str
    code: str
    label: str
    parent_id: int | None


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    departement: str
    region: str
    epci: str


@dataclass
class Sheet:
    """Everything the index needs about one published initiative."""

    row: InitiativeRow
    terms: dict[str, list[TermRow]] = field(default_factory=lambda: defaultdict(list))
    locations: list[LocationRow] = field(default_factory=list)
    stakeholders: list[StakeholderRow] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    has_image: bool = False

    @property
    def freshness(self) -> datetime:
        confirmed = self.row["last_confirmed_at"]
        return max(self.row["updated_at"], confirmed) if confirmed else self.row["updated_at"]


class Reader:
    """Reads sheets in chunks; reference tables are loaded once, on creation."""

    def __init__(self):
        self.terms = {
            row["id"]: TermRow(row["vocabulary"], row["code"], row["label"], row["parent_id"])
            for row in Term.objects.values("id", "vocabulary", "code", "label", "parent_id")
        }
        self.departements = dict(Departement.objects.values_list("code", "name"))
        self.regions = dict(Region.objects.values_list("code", "name"))
        self.sources = dict(Source.objects.values_list("id", "slug"))
        self.source_keys = {slug: pk for pk, slug in self.sources.items()}
        self.places: dict[str, Place] = {}

    def published_ids(self) -> list[int]:
        return list(Initiative.published.order_by("id").values_list("id", flat=True))

    def read(self, ids: list[int]) -> list[Sheet]:
        """The published initiatives among `ids`, with their related rows."""
        sheets = {
            row["id"]: Sheet(row)
            for row in Initiative.published.filter(id__in=ids).values(*INITIATIVE_COLUMNS).order_by("id")
        }
        if sheets:
            keys = list(sheets)
            self._read_terms(sheets, keys)
            self._read_locations(sheets, keys)
            self._read_stakeholders(sheets, keys)
            for initiative_id, source_id in SourceRecord.objects.filter(initiative_id__in=keys).values_list(
                "initiative_id", "source_id"
            ):
                sheets[initiative_id].sources.append(self.sources.get(source_id, ""))
            for initiative_id in InitiativeImage.objects.filter(initiative_id__in=keys).values_list(
                "initiative_id", flat=True
            ):
                sheets[initiative_id].has_image = True
        return list(sheets.values())

    def term(self, term_id: int | None) -> TermRow | None:
        return self.terms.get(term_id) if term_id else None

    def place(self, code: str) -> Place:
        return self.places[code]

    def _read_terms(self, sheets: dict[int, Sheet], keys: list[int]) -> None:
        for name in TERM_LINKS:
            through = getattr(Initiative, name).through
            for initiative_id, term_id in through.objects.filter(initiative_id__in=keys).values_list(
                "initiative_id", "term_id"
            ):
                if term := self.terms.get(term_id):
                    sheets[initiative_id].terms[name].append(term)

    def _read_locations(self, sheets: dict[int, Sheet], keys: list[int]) -> None:
        located = Location.objects.filter(initiative_id__in=keys).order_by("initiative_id", "position", "id")
        rows: list[LocationRow] = list(
            located.values("initiative_id", "commune_id", "latitude", "longitude", "precision")
        )
        self._load_places({row["commune_id"] for row in rows} - self.places.keys())
        for row in rows:
            sheets[row["initiative_id"]].locations.append(row)

    def _load_places(self, codes: set[str]) -> None:
        if not codes:
            return
        columns = ("code", "name", "departement_id", "region_id", "epci_id")
        for code, name, departement, region, epci in Commune.objects.filter(code__in=codes).values_list(*columns):
            self.places[code] = Place(code, name, departement, region, epci or "")

    def _read_stakeholders(self, sheets: dict[int, Sheet], keys: list[int]) -> None:
        rows = (
            Stakeholder.objects.filter(initiative_id__in=keys)
            .order_by("initiative_id", "id")
            .values("initiative_id", "role", "organisation_id", "organisation__name", "organisation__structure_type_id")
        )
        for row in rows:
            stakeholder = StakeholderRow(**row, is_carrier=row["role"] == Role.CARRIER)
            sheets[stakeholder["initiative_id"]].stakeholders.append(stakeholder)
