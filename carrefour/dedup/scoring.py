"""Scoring a pair of sheets: a score in [0, 1], the reasons in French, and the facts the rules need."""

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

from django.utils.translation import gettext as _

from carrefour.dedup.features import Sheet
from carrefour.dedup.normalise import (
    NormalisedName,
    address_numbers,
    fold_keeping_damage,
    normalise_address,
    normalise_name,
    web_key,
)
from carrefour.dedup.similarity import text_similarity

# Weights of the score (see RULES.md): a name carries at most NAME_WEIGHT, place and identity evidence the rest.
NAME_WEIGHT = 0.6
GENERIC_NAME_WEIGHT = 0.35
EVIDENCE_WEIGHT = 0.4
NEAR_METRES, CLOSE_METRES, BLOCK_METRES = 50, 150, 300
SAME_ADDRESS = 0.9


class Prepared:
    """A sheet with its normalised name, addresses and web key, computed once."""

    def __init__(self, sheet: Sheet):
        self.sheet = sheet
        self.name: NormalisedName = normalise_name(sheet.name)
        self.web = web_key(sheet.website)
        self.addresses = [(p, normalise_address(p.address)) for p in sheet.places]

    @cached_property
    def place_words(self) -> dict[str, set[str]]:
        return {p.commune: set(fold_keeping_damage(p.commune_name).split()) for p in self.sheet.places}


@dataclass
class Comparison:
    first: int
    second: int
    name: float = 0.0
    generic_name: bool = False
    distance: float | None = None
    same_commune: bool = False
    address: float = 0.0
    address_conflict: bool = False
    same_siret: bool = False
    same_siren: bool = False
    same_rna: bool = False
    same_web_page: bool = False
    same_web_host: bool = False
    shared_source: bool = False
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)


class Positioned(Protocol):
    """A place of a sheet being compared (features.Place) or of a stored sheet (catalog.Location)."""

    @property
    def latitude(self) -> float | None: ...

    @property
    def longitude(self) -> float | None: ...


def distance_metres(a: Positioned, b: Positioned) -> float | None:
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    if not getattr(a, "precise", True) or not getattr(b, "precise", True):
        return None
    lat = math.radians((a.latitude + b.latitude) / 2)
    dx = math.radians(b.longitude - a.longitude) * math.cos(lat)
    dy = math.radians(b.latitude - a.latitude)
    return 6_371_000 * math.hypot(dx, dy)


def compare(a: Prepared, b: Prepared) -> Comparison:
    if a.sheet.id > b.sheet.id:
        a, b = b, a
    result = Comparison(a.sheet.id, b.sheet.id)
    _compare_places(a, b, result)
    _compare_names(a, b, result)
    _compare_identity(a, b, result)
    result.shared_source = bool(a.sheet.sources & b.sheet.sources)
    result.score = round(_score(result), 4)
    result.reasons = reasons(result)
    return result


def _compare_names(a: Prepared, b: Prepared, result: Comparison) -> None:
    shared = set(a.place_words) & set(b.place_words)
    place_words = set().union(*(a.place_words[c] for c in shared)) if shared else set()
    mine, theirs = a.name.without(place_words), b.name.without(place_words)
    full_a = " ".join(t for t in a.name.tokens if t not in place_words) or a.name.text
    full_b = " ".join(t for t in b.name.tokens if t not in place_words) or b.name.text
    full = text_similarity(full_a, full_b)
    if mine and theirs:
        # Distinctive words decide, but the whole name tempers them (« Médiathèque X » is not « Mairie X »).
        result.name = (text_similarity(" ".join(mine), " ".join(theirs)) + full) / 2
    else:
        result.generic_name = True
        result.name = full


def _compare_places(a: Prepared, b: Prepared, result: Comparison) -> None:
    for place_a, address_a in a.addresses:
        for place_b, address_b in b.addresses:
            distance = distance_metres(place_a, place_b)
            if distance is not None and (result.distance is None or distance < result.distance):
                result.distance = distance
            if place_a.commune == place_b.commune:
                result.same_commune = True
                similarity = _address_similarity(address_a, address_b)
                result.address = max(result.address, similarity)
                result.address_conflict = result.address_conflict or bool(address_a and address_b and similarity < 0.5)


def _address_similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    numbers_a, numbers_b = address_numbers(a), address_numbers(b)
    if numbers_a and numbers_b and not numbers_a & numbers_b:
        return 0.0
    return text_similarity(a, b)


def _compare_identity(a: Prepared, b: Prepared, result: Comparison) -> None:
    sa, sb = a.sheet, b.sheet
    result.same_siret = bool(sa.sirets & sb.sirets)
    result.same_siren = bool(sa.sirens & sb.sirens)
    result.same_rna = bool(sa.rnas & sb.rnas)
    if a.web and b.web and a.web.host == b.web.host:
        # Two different pages of one site (a platform, a town hall's site) say nothing; a home page and a page do.
        result.same_web_page = a.web.path == b.web.path
        result.same_web_host = result.same_web_page or not (a.web.path and b.web.path)


def place_evidence(c: Comparison) -> float:
    near = c.distance is not None and c.distance <= NEAR_METRES
    close = c.distance is not None and c.distance <= CLOSE_METRES
    block = c.distance is not None and c.distance <= BLOCK_METRES
    far = c.distance is not None and c.distance > 5 * BLOCK_METRES
    if near or (c.address >= SAME_ADDRESS and not far):
        return 1.0 if near and c.address >= SAME_ADDRESS else 0.9
    if close:
        return 0.7
    if block:
        return 0.5
    return 0.3 if c.same_commune and not far else 0.0


def identity_evidence(c: Comparison) -> float:
    # One organisation often carries several initiatives: an identifier is evidence, never proof on its own.
    if c.same_siret or c.same_rna or c.same_web_page:
        return 0.7
    if c.same_web_host:
        return 0.5
    return 0.3 if c.same_siren else 0.0


def place_conflict(c: Comparison) -> float:
    """A factor ≤ 1 for signs of two different places: one organisation's several sites share name and website."""
    if c.address >= SAME_ADDRESS:
        return 1.0
    if c.distance is not None and c.distance > BLOCK_METRES:
        return 0.6
    if not c.same_commune and (c.distance is None or c.distance > BLOCK_METRES):
        return 0.7
    if c.same_commune and c.address_conflict and (c.distance is None or c.distance > CLOSE_METRES):
        return 0.8
    return 1.0


def _score(c: Comparison) -> float:
    place, identity = place_evidence(c), identity_evidence(c)
    evidence = 1 - (1 - place) * (1 - identity)
    weight = GENERIC_NAME_WEIGHT if c.generic_name else NAME_WEIGHT
    return min(1.0, (weight * c.name + EVIDENCE_WEIGHT * evidence) * place_conflict(c))


def reasons(c: Comparison) -> list[str]:
    found = []
    if c.name >= 0.999:
        found.append(_("Noms identiques") + (_(" (nom générique)") if c.generic_name else ""))
    elif c.name >= 0.8:
        found.append(_("Noms proches (%(percent)d %%)") % {"percent": round(c.name * 100)})
    elif c.generic_name:
        found.append(_("Nom générique"))
    if c.same_siret:
        found.append(_("Même SIRET de l'organisation porteuse"))
    elif c.same_siren:
        found.append(_("Même SIREN de l'organisation porteuse"))
    if c.same_rna:
        found.append(_("Même numéro RNA de l'organisation porteuse"))
    if c.same_web_page:
        found.append(_("Même site web"))
    elif c.same_web_host:
        found.append(_("Même domaine de site web"))
    if c.distance is not None and c.distance <= BLOCK_METRES:
        found.append(_("Lieux à %(metres)d m l'un de l'autre") % {"metres": round(c.distance)})
    if c.address >= SAME_ADDRESS:
        found.append(_("Même adresse"))
    elif c.same_commune:
        found.append(_("Même commune"))
    if c.shared_source:
        found.append(_("Deux fiches d'une même source"))
    return found
