"""The bounds of a search request, checked before any work; a violation is a `SearchError` with a French message."""

import math
import re

from django.utils.translation import gettext as _

from carrefour.search.types import FACETS, MAX_FILTER_VALUES, MAX_PAGE_SIZE, MAX_QUERY_LENGTH, SORTS, SearchRequest

MAX_RADIUS_KM = 1000.0
# Facet values are taxonomy codes, INSEE codes, SIREN numbers or source slugs.
FACET_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,79}")
MAX_RESULT_WINDOW = 10_000  # page × page_size
MAX_BBOX_SPAN = (90.0, 60.0)  # degrees of longitude, of latitude
# Where France is, overseas included (west, south, east, north), with about one degree of margin: a bounding box
# must meet one of them.
FRENCH_AREAS = (
    (-6.5, 40.2, 10.7, 52.2),  # metropolitan France and Corsica
    (-64.2, 13.3, -59.8, 19.2),  # Guadeloupe, Martinique, Saint-Martin, Saint-Barthélemy
    (-55.7, 1.1, -50.5, 6.9),  # Guyane
    (54.2, -22.4, 56.9, -19.8),  # La Réunion
    (44.0, -14.1, 46.3, -11.6),  # Mayotte
    (-57.5, 45.7, -55.1, 48.2),  # Saint-Pierre-et-Miquelon
    (-156.0, -29.0, -133.0, -6.0),  # Polynésie française
    (162.5, -23.8, 169.2, -18.5),  # Nouvelle-Calédonie
    (-179.3, -15.4, -175.1, -12.2),  # Wallis-et-Futuna
)


class SearchError(ValueError):
    """A request outside the bounds; its message is in French and can be shown as is (HTTP 400)."""


def check(request: SearchRequest) -> None:
    _check_text(request.text)
    _check_filters(request.filters)
    _check_place(request)
    _check_pages(request)
    unknown = [name for name in request.facets if name not in FACETS]
    if unknown:
        raise SearchError(_("Facette inconnue : « %(name)s ».") % {"name": unknown[0]})


def _check_text(text) -> None:
    if not isinstance(text, str):
        raise SearchError(_("Le texte recherché est invalide."))
    if len(text) > MAX_QUERY_LENGTH:
        raise SearchError(
            _("Le texte recherché est trop long : %(max)s caractères au plus.") % {"max": MAX_QUERY_LENGTH}
        )


def _check_filters(filters) -> None:
    total = 0
    for name, values in filters.items():
        if name not in FACETS:
            raise SearchError(_("Filtre inconnu : « %(name)s ».") % {"name": name})
        if isinstance(values, str) or not all(isinstance(v, str) and FACET_VALUE.fullmatch(v) for v in values):
            raise SearchError(_("Valeur invalide pour le filtre « %(name)s ».") % {"name": name})
        total += len(values)
    if total > MAX_FILTER_VALUES:
        raise SearchError(_("Trop de filtres : %(max)s valeurs au plus.") % {"max": MAX_FILTER_VALUES})


def _finite(*numbers) -> bool:
    return all(isinstance(n, int | float) and not isinstance(n, bool) and math.isfinite(n) for n in numbers)


def _check_place(request: SearchRequest) -> None:
    if request.near is not None:
        if len(request.near) != 2 or not _finite(*request.near):
            raise SearchError(_("Le point de recherche est invalide."))
        lat, lon = request.near
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise SearchError(_("Le point de recherche est hors du globe."))
    if request.radius_km is not None:
        if request.near is None:
            raise SearchError(_("Un rayon de recherche demande un point ou une commune."))
        if not _finite(request.radius_km) or not 0 < request.radius_km <= MAX_RADIUS_KM:
            raise SearchError(_("Le rayon doit être compris entre 0 et %(max)s km.") % {"max": int(MAX_RADIUS_KM)})
    if request.bbox is not None:
        _check_bbox(request.bbox)


def _check_bbox(bbox) -> None:
    if len(bbox) != 4 or not _finite(*bbox):
        raise SearchError(_("La zone de recherche est invalide."))
    west, south, east, north = bbox
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise SearchError(_("La zone de recherche est invalide : ouest < est et sud < nord, en degrés."))
    if east - west > MAX_BBOX_SPAN[0] or north - south > MAX_BBOX_SPAN[1]:
        raise SearchError(_("La zone de recherche est trop grande."))
    if not any(w <= east and west <= e and s <= north and south <= n for w, s, e, n in FRENCH_AREAS):
        raise SearchError(_("La zone de recherche est hors de France."))


def _check_pages(request: SearchRequest) -> None:
    if request.sort not in SORTS:
        raise SearchError(_("Tri inconnu : « %(sort)s ».") % {"sort": request.sort})
    if request.sort == "distance" and request.near is None:
        raise SearchError(_("Le tri par distance demande un point ou une commune."))
    page, size = request.page, request.page_size
    if not (isinstance(page, int) and isinstance(size, int)) or page < 1 or not 1 <= size <= MAX_PAGE_SIZE:
        raise SearchError(_("Pagination invalide : %(max)s résultats par page au plus.") % {"max": MAX_PAGE_SIZE})
    if page * size > MAX_RESULT_WINDOW:
        raise SearchError(_("Page trop lointaine : affinez plutôt la recherche."))
