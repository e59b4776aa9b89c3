"""Gazetteer lookups: by INSEE code, by postal code, by name, and point → commune."""

import re

import numpy as np
import shapely
from django.db.models import Case, Q, QuerySet, Value, When

from carrefour.core.text import fold
from carrefour.territories.models import Commune, Departement

_COG_CODE = re.compile(r"(?:\d{5}|2[AB]\d{3})")
_POSTAL_CODE = re.compile(r"\d{4,5}")
# Municipal arrondissements have INSEE codes of their own; they belong to their commune.
_ARRONDISSEMENTS = (
    (range(75101, 75121), "75056"),  # Paris
    (range(13201, 13217), "13055"),  # Marseille
    (range(69381, 69390), "69123"),  # Lyon
)
# Articles that start commune names, so that "havre" also finds « Le Havre » (fold("L'Isle") == "l isle").
_ARTICLES = ("le", "la", "les", "l", "aux", "las", "los")
NAME_RESULTS = 20


def is_valid_cog_code(code: str) -> bool:
    """Format check of an INSEE commune code: 5 digits, or 2A/2B and 3 digits for Corsica."""
    return bool(_COG_CODE.fullmatch(code or ""))


def commune_by_code(code: str) -> Commune | None:
    """The commune with this INSEE code; an arrondissement code (75112, 13201, 69383) gives its commune."""
    code = (code or "").strip().upper()
    if not is_valid_cog_code(code):
        return None
    code = _arrondissement_commune(code) or code
    return _communes().filter(pk=code).first()


def communes_by_postal_code(code) -> list[Commune]:
    """Communes served by a postal code, most populated first. `4000` and `4000.0` (spreadsheets) mean 04000."""
    normalised = normalise_postal_code(code)
    if normalised is None:
        return []
    return list(_communes().filter(postal_codes__code=normalised).distinct().order_by("-population", "code"))


def normalise_postal_code(value) -> str | None:
    """Five-digit postal code: 4000 → "04000", "29600.0" → "29600", "75 001" → "75001"; None if not one."""
    text = str(value if value is not None else "").strip().replace(" ", "")
    text = re.sub(r"\.0+$", "", text)
    if not _POSTAL_CODE.fullmatch(text):
        return None
    return text.zfill(5)


def communes_by_name(name: str, departement: Departement | str | None = None, limit: int = NAME_RESULTS):
    """Candidates for a commune name, accent- and case-insensitive, each with its département.

    Exact matches first (« Saint-Denis » gives every Saint-Denis), then the name with an article (« havre » →
    « Le Havre »), then names starting with it (« saint etienne » → Saint-Étienne-du-Rouvray…); most populated
    first within each group.
    """
    folded = fold(name)
    if not folded:
        return []
    communes = _communes()
    if departement is not None:
        communes = communes.filter(departement=departement)
    with_article = [f"{article} {folded}" for article in _ARTICLES]
    found = list(
        communes.filter(search_name__in=[folded, *with_article])
        .annotate(rank=Case(When(search_name=folded, then=Value(0)), default=Value(1)))
        .order_by("rank", "-population", "code")
    )
    if len(found) < limit:
        starting = communes.filter(search_name__startswith=f"{folded} ").order_by("-population", "code")
        found += list(starting[: limit - len(found)])
    return found[:limit]


def commune_at(latitude: float, longitude: float) -> Commune | None:
    """The commune whose polygon covers the point (WGS84), or None (at sea, abroad, or outside every polygon)."""
    candidates = list(
        _communes(with_geometry=True)
        .filter(Q(min_lon__lte=longitude, max_lon__gte=longitude) & Q(min_lat__lte=latitude, max_lat__gte=latitude))
        .exclude(geometry=None)
        .order_by("code")
    )
    if not candidates:
        return None
    polygons = shapely.from_wkb(np.array([bytes(commune.geometry) for commune in candidates], dtype=object))
    covering = np.flatnonzero(shapely.covers(polygons, shapely.Point(longitude, latitude)))
    return candidates[covering[0]] if len(covering) else None


def _arrondissement_commune(code: str) -> str | None:
    if not code.isdigit():
        return None
    number = int(code)
    return next((commune for codes, commune in _ARRONDISSEMENTS if number in codes), None)


def _communes(with_geometry: bool = False) -> QuerySet[Commune]:
    communes = Commune.objects.select_related("departement").defer("departement__outline")
    return communes if with_geometry else communes.defer("geometry")
