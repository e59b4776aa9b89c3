"""Query-string parameters → `SearchRequest`, the one parser shared by the search page and the API.

Bad input never reaches the engine: every parameter is checked against the bounds of R-SEC-16, and each problem
becomes a French message naming the parameter. The parsed filters remember which query-string pairs they came
from, so each can describe itself and say how to remove it (see `describe.py`).
"""

import math
import re
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from carrefour.search.bounds import MAX_BBOX_SPAN, MAX_RADIUS_KM, MAX_RESULT_WINDOW
from carrefour.search.filters import FACET_LABELS, FacetFilter, Filter, PlaceFilter, TextFilter, ZoneFilter, decimal
from carrefour.search.types import FACETS, MAX_FILTER_VALUES, MAX_PAGE_SIZE, MAX_QUERY_LENGTH, SORTS, SearchRequest

DEFAULT_PAGE_SIZE = 20
# Facet values are taxonomy codes, INSEE codes, SIREN numbers or source slugs.
_FACET_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,79}")
_NUMBER = re.compile(r"[-+]?(?:[0-9]{1,4}(?:\.[0-9]{0,20})?|\.[0-9]{1,20})")
_INTEGER = re.compile(r"[0-9]{1,6}")


@dataclass(frozen=True)
class ParamError:
    param: str
    message: str


class SearchParamsError(ValueError):
    """One or more parameters are out of bounds; `errors` lists them, each with a French message."""

    def __init__(self, errors: list[ParamError]):
        self.errors = errors
        super().__init__(" ".join(error.message for error in errors))


@dataclass(frozen=True)
class ParsedSearch:
    request: SearchRequest
    filters: list[Filter] = field(default_factory=list)
    place_name: str = ""  # the commune given by `autour`, for the page and the API's "query as understood"


def parse_search(params, *, default_page_size: int = DEFAULT_PAGE_SIZE, max_page_size: int = MAX_PAGE_SIZE):
    """Parse a QueryDict (`request.GET`) into a `ParsedSearch`, or raise `SearchParamsError`."""
    parser = _Parser(params)
    text = parser.text()
    facet_filters = parser.facets()
    place = parser.place()
    bbox = parser.bbox()
    sort = parser.sort(has_place=place is not None)
    page = parser.integer("page", 1, 1, MAX_RESULT_WINDOW)
    page_size = parser.integer("page_size", default_page_size, 1, max_page_size)
    explain = parser.flag("explain")
    if not parser.errors and page * page_size > MAX_RESULT_WINDOW:
        parser.fail(
            "page",
            _("Au-delà de %(window)s résultats, affinez la recherche plutôt que de tourner les pages.")
            % {"window": number_format(MAX_RESULT_WINDOW, force_grouping=True)},
        )
    if parser.errors:
        raise SearchParamsError(parser.errors)

    filters: dict[str, tuple[str, ...]] = {}
    for item in facet_filters:
        filters.setdefault(item.facet, ())
        filters[item.facet] += (item.value,)
    request = SearchRequest(
        text=text,
        filters=filters,
        near=place.point if place else None,
        radius_km=place.radius_km if place else None,
        bbox=bbox.bbox if bbox else None,
        sort=sort,
        page=page,
        page_size=page_size,
        explain=explain,
    )
    active: list[Filter] = [TextFilter(text)] if text else []
    active += facet_filters
    active += [item for item in (place, bbox) if item is not None]
    return ParsedSearch(request=request, filters=active, place_name=place.commune_name if place else "")


class _Parser:
    def __init__(self, params):
        self.params = params
        self.errors: list[ParamError] = []

    def fail(self, param: str, message: str) -> None:
        self.errors.append(ParamError(param, message))

    def single(self, name: str) -> str:
        return (self.params.get(name) or "").strip()

    def text(self) -> str:
        text = " ".join(self.single("q").split())
        if len(text) > MAX_QUERY_LENGTH:
            self.fail(
                "q",
                _("La recherche ne peut dépasser %(max)s caractères (elle en compte %(length)s) : raccourcissez-la.")
                % {"max": MAX_QUERY_LENGTH, "length": len(text)},
            )
        return text

    def facets(self) -> list[FacetFilter]:
        found = []
        for facet in FACETS:
            values = dict.fromkeys(v.strip() for v in self.params.getlist(facet) if v.strip())
            for value in values:
                if _FACET_VALUE.fullmatch(value):
                    found.append(FacetFilter(facet, value))
                else:
                    self.fail(
                        facet,
                        _("Valeur non reconnue pour le filtre « %(label)s » (%(facet)s) : « %(value)s ».")
                        % {"label": FACET_LABELS[facet], "facet": facet, "value": value[:40]},
                    )
        if len(found) > MAX_FILTER_VALUES:
            self.fail(
                "filters",
                _("%(count)s valeurs de filtre sont choisies, %(max)s au plus sont possibles : retirez-en.")
                % {"count": len(found), "max": MAX_FILTER_VALUES},
            )
        return found

    def numbers(self, name: str, count: int) -> list[float] | None:
        raw = self.single(name)
        parts = [part.strip() for part in raw.split(",")]
        if len(parts) != count or not all(_NUMBER.fullmatch(part) for part in parts):
            return None
        numbers = [float(part) for part in parts]
        return numbers if all(math.isfinite(number) for number in numbers) else None

    def place(self) -> PlaceFilter | None:
        near, commune_code = self.single("near"), self.single("autour")
        radius = self.radius()
        if near and commune_code:
            self.fail("near", _("Indiquez soit un point (near), soit une commune (autour), mais pas les deux."))
            return None
        if near:
            point = self.numbers("near", 2)
            if point is None:
                self.fail(
                    "near",
                    _("La position doit s'écrire latitude,longitude en degrés décimaux, par exemple 48.8566,2.3522."),
                )
                return None
            lat, lon = point
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                self.fail("near", _("La latitude doit être entre -90 et 90, la longitude entre -180 et 180."))
                return None
            return PlaceFilter(point=(lat, lon), radius_km=radius)
        if commune_code:
            return self.commune_place(commune_code, radius)
        if radius is not None:
            self.fail(
                "radius_km",
                _("Le rayon demande un point de départ : ajoutez near=latitude,longitude ou autour=<code INSEE>."),
            )
        return None

    def commune_place(self, code: str, radius: float | None) -> PlaceFilter | None:
        from carrefour.territories.lookups import commune_by_code

        commune = commune_by_code(code)
        if commune is None or commune.latitude is None or commune.longitude is None:
            self.fail(
                "autour",
                _("Commune inconnue pour « autour » : « %(code)s ». Indiquez son code INSEE, par exemple 29232.")
                % {"code": code[:10]},
            )
            return None
        return PlaceFilter(
            point=(commune.latitude, commune.longitude),
            radius_km=radius,
            commune_code=commune.code,
            commune_name=commune.name,
        )

    def radius(self) -> float | None:
        names = [name for name in RADIUS_PARAMS if self.single(name)]
        if not names:
            return None
        values = self.numbers(names[0], 1)
        if values is None or not 0 < values[0] <= MAX_RADIUS_KM:
            self.fail(
                names[0],
                _("Le rayon doit être un nombre de kilomètres supérieur à 0 et au plus %(max)s, par exemple 20.")
                % {"max": decimal(MAX_RADIUS_KM)},
            )
            return None
        return values[0]

    def bbox(self) -> ZoneFilter | None:
        if not self.single("bbox"):
            return None
        box = self.numbers("bbox", 4)
        if box is None:
            self.fail("bbox", _("La zone doit s'écrire ouest,sud,est,nord en degrés décimaux."))
            return None
        west, south, east, north = box
        if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
            self.fail(
                "bbox",
                _(
                    "La zone n'est pas valide : l'ouest doit être inférieur à l'est, le sud au nord, "
                    "avec des longitudes entre -180 et 180 et des latitudes entre -90 et 90."
                ),
            )
            return None
        if east - west > MAX_BBOX_SPAN[0] or north - south > MAX_BBOX_SPAN[1]:
            self.fail(
                "bbox",
                _("La zone est trop grande : %(width)s° de longitude sur %(height)s° de latitude au plus. Zoomez.")
                % {"width": decimal(MAX_BBOX_SPAN[0]), "height": decimal(MAX_BBOX_SPAN[1])},
            )
            return None
        return ZoneFilter(bbox=(west, south, east, north))

    def sort(self, has_place: bool) -> str:
        sort = self.single("sort") or "relevance"
        if sort not in SORTS:
            self.fail(
                "sort",
                _("Tri inconnu : « %(sort)s ». Choisissez relevance (pertinence), distance ou freshness (fraîcheur).")
                % {"sort": sort[:40]},
            )
            return "relevance"
        if sort == "distance" and not has_place:
            self.fail("sort", _("Le tri par distance demande un lieu : near=latitude,longitude ou autour=<INSEE>."))
        return sort

    def flag(self, name: str) -> bool:
        raw = self.single(name).lower()
        if raw in ("", "0", "false", "non"):
            return False
        if raw in ("1", "true", "oui"):
            return True
        self.fail(name, _("« %(name)s » doit valoir 1 (oui) ou 0 (non).") % {"name": name})
        return False

    def integer(self, name: str, default: int, low: int, high: int) -> int:
        raw = self.single(name)
        if not raw:
            return default
        if not _INTEGER.fullmatch(raw) or not low <= int(raw) <= high:
            label = {"page": _("Le numéro de page"), "page_size": _("La taille de page")}.get(name, name)
            self.fail(
                name,
                _("%(label)s doit être un nombre entier entre %(low)s et %(high)s.")
                % {"label": label, "low": low, "high": high},
            )
            return default
        return int(raw)


RADIUS_PARAMS = ("radius_km", "rayon")
