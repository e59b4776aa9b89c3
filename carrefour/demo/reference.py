"""Reference data read once before generating: taxonomy terms, place and organisation kinds, communes."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Min

from carrefour.catalog.models import Term, Vocabulary
from carrefour.demo.vocabulary import matches, templates
from carrefour.territories.models import Commune, PostalCode


class Place(NamedTuple):
    code: str
    name: str
    departement: str
    region: str
    population: int
    latitude: float
    longitude: float


@dataclass(frozen=True, eq=False)
class PlaceKind:
    """A type of place (a place_type term) with its templates and its preferred themes and publics."""

    term: Term | None
    entry: dict
    weight: int
    themes: list[Term] = field(default_factory=list)
    publics: list[Term] = field(default_factory=list)


@dataclass(frozen=True, eq=False)
class OrgKind:
    """A structure type (a structure_type term) with its name templates."""

    term: Term | None
    entry: dict


@dataclass
class Reference:
    terms: dict[str, list[Term]]
    place_kinds: list[PlaceKind]
    org_kinds: list[OrgKind]
    places: list[Place]
    postal_codes: dict[str, str]

    def vocabulary(self, name: str) -> list[Term]:
        return self.terms.get(name, [])


def load_reference() -> Reference:
    terms = _load_terms()
    places = list(
        Place(*row)
        for row in Commune.objects.filter(latitude__isnull=False, longitude__isnull=False)
        .order_by("code")
        .values_list("code", "name", "departement_id", "region_id", "population", "latitude", "longitude")
    )
    postal_codes = dict(
        PostalCode.objects.values("commune_id").annotate(first=Min("code")).values_list("commune_id", "first")
    )
    return Reference(
        terms=terms,
        place_kinds=_place_kinds(terms),
        org_kinds=_org_kinds(terms),
        places=places,
        postal_codes=postal_codes,
    )


def _load_terms() -> dict[str, list[Term]]:
    terms: dict[str, list[Term]] = defaultdict(list)
    for term in Term.objects.filter(is_active=True).order_by("vocabulary", "position", "code"):
        terms[term.vocabulary].append(term)
    return dict(terms)


def _place_kinds(terms: dict[str, list[Term]]) -> list[PlaceKind]:
    entries = templates("place_types")
    kinds = []
    for term in terms.get(Vocabulary.PLACE_TYPE, []):
        entry = next((e for e in entries if matches(e["match"], term.code, term.label)), None)
        if entry is None:
            entry = _unknown_place_entry(entries[-1], term.label)
        kinds.append(
            PlaceKind(
                term=term,
                entry=entry,
                weight=entry["weight"],
                themes=[t for t in terms.get(Vocabulary.THEME, []) if matches(entry["themes"], t.code, t.label)],
                publics=[t for t in terms.get(Vocabulary.PUBLIC, []) if matches(entry["publics"], t.code, t.label)],
            )
        )
    return kinds or [PlaceKind(term=None, entry=entries[-1], weight=1)]


def _unknown_place_entry(fallback: dict, label: str) -> dict:
    """Templates for a place type the demo data files do not know yet: the generic ones, named after it."""
    return {
        **fallback,
        "title": label,
        "noun": f"initiative de type « {label} »",
        "article": "une",
        "feminine": True,
        "weight": 2,
    }


def _org_kinds(terms: dict[str, list[Term]]) -> list[OrgKind]:
    entries = templates("common")["structure_types"]
    kinds = []
    for term in terms.get(Vocabulary.STRUCTURE_TYPE, []):
        entry = next((e for e in entries if matches(e["match"], term.code, term.label)), entries[-1])
        kinds.append(OrgKind(term=term, entry=entry))
    return kinds or [OrgKind(term=None, entry=entries[0])]
