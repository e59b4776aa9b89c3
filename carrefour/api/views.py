"""Public read API, version 1: search, map points and autocomplete. JSON, GET only, errors in French.

Parameters are parsed by the same function as the search page (`carrefour.search.params.parse_search`), and
answered by the same engine (`carrefour.search.query`).

`GET /api/v1/search` also takes `facets`, the comma-separated names of the facets to count (see `FACETS`; an unknown
name is a 400; `facets=` with nothing counts none and answers `"facets": {}`). Without it, the cheap facets the search
page shows first are counted — theme, subtheme, public, type, stage, scale, region, departement, source, org_type —
plus commune and epci when a commune, EPCI or département filter is active (counting them over the whole country
costs the most and says little). The response keeps its shape: `facets` holds exactly the facets counted.
"""

import dataclasses
from functools import wraps

from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from django.utils.translation import gettext as _

from carrefour import search
from carrefour.search.describe import describe, query_without
from carrefour.search.links import initiative_url
from carrefour.search.params import ParamError, ParsedSearch, SearchParamsError, parse_search
from carrefour.search.store import OutdatedIndex
from carrefour.search.types import FACETS, MAX_QUERY_LENGTH, Hit, SearchResponse
from carrefour.search.views import UNAVAILABLE, hit_url

LICENCE = "etalab-2.0"


def licence_fields() -> dict:
    """Licence and attribution (R-DATA-15), as in every other API response."""
    from carrefour.api.responses import envelope

    return {key: value for key, value in envelope({}).items()}


MAX_POINTS = 5000
MAX_SUGGESTIONS = 20
# Counted when `facets` is absent; the large ones (commune, EPCI) only when the search is about a territory.
DEFAULT_FACETS = tuple(facet for facet in FACETS if facet not in ("commune", "epci"))
LOCAL_FILTERS = ("departement", "epci", "commune")


def json_response(data: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False})


def error_response(error: Exception) -> JsonResponse:
    data: dict = {"error": str(error)}
    if isinstance(error, SearchParamsError):
        data["errors"] = [{"param": item.param, "message": item.message} for item in error.errors]
    return json_response(data, status=400)


def read_only(view):
    """GET (and HEAD) only, with a JSON 405 otherwise (a POST without CSRF token is refused first, in JSON: 403)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = json_response({"error": _("Méthode non autorisée : cette adresse ne répond qu'à GET.")}, 405)
            response["Allow"] = "GET, HEAD"
            return response
        return view(request, *args, **kwargs)

    return wrapper


@read_only
def search_view(request):
    try:
        parsed = parse_search(request.GET)
        wanted = requested_facets(request.GET, parsed.request.filters)
        response = search.query(dataclasses.replace(parsed.request, facets=wanted))
    except (SearchParamsError, search.SearchError) as error:
        return error_response(error)
    except OutdatedIndex:
        return json_response({"error": str(UNAVAILABLE)}, status=503)
    return json_response(
        {
            "count": response.count,
            "results": [hit_json(request, hit) for hit in response.hits],
            "facets": {
                facet: [{"value": v.value, "label": v.label, "count": v.count, "selected": v.selected} for v in values]
                for facet, values in response.facets.items()
            },
            "query": understood(parsed, response, request.GET),
            "next": _page_link(request, response, +1),
            "previous": _page_link(request, response, -1),
            **licence_fields(),
        }
    )


def requested_facets(params, filters: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The facets to count: those named by `facets` (in FACETS order), or the default described above."""
    if "facets" not in params:
        local = any(filters.get(name) for name in LOCAL_FILTERS)
        return FACETS if local else DEFAULT_FACETS
    names = {name.strip() for name in params.get("facets", "").split(",") if name.strip()}
    unknown = sorted(names - set(FACETS))
    if unknown:
        message = _("Facette inconnue (facets) : %(names)s. Facettes possibles : %(known)s.") % {
            "names": ", ".join(f"« {name[:40]} »" for name in unknown[:5]),
            "known": ", ".join(FACETS),
        }
        raise SearchParamsError([ParamError("facets", message)])
    return tuple(facet for facet in FACETS if facet in names)


def hit_json(request, hit: Hit) -> dict:
    data = {
        "id": hit.id,
        "slug": hit.slug,
        "url": request.build_absolute_uri(hit_url(hit)),
        "name": hit.name,
        "summary": hit.summary,
        "commune": hit.commune,
        "commune_code": hit.commune_code,
        "departement": hit.departement,
        "region": hit.region,
        "lat": hit.lat,
        "lon": hit.lon,
        "themes": hit.themes,
        "score": round(hit.score, 6),
    }
    if hit.distance_km is not None:
        data["distance_km"] = round(hit.distance_km, 3)
    if hit.explanation is not None:
        data["explanation"] = hit.explanation
    return data


def understood(parsed: ParsedSearch, response: SearchResponse, params) -> dict:
    """The request as the engine read it: parsed parameters, the engine's own reading, and the filters in words."""
    request = parsed.request
    data = {
        "text": request.text,
        "filters": {facet: list(values) for facet, values in request.filters.items()},
        "near": list(request.near) if request.near else None,
        "place": parsed.place_name or None,
        "radius_km": request.radius_km,
        "bbox": list(request.bbox) if request.bbox else None,
        "sort": request.sort,
        "page": request.page,
        "page_size": request.page_size,
        "description": [chip.label for chip in describe(parsed, params, response)],
    }
    data.update(response.understood or {})
    if response.suggestions:
        data["suggestions"] = response.suggestions
    return data


def _page_link(request, response: SearchResponse, step: int) -> str | None:
    page = response.request.page + step
    last = -(-response.count // response.request.page_size)
    if page < 1 or page > last:
        return None
    return request.build_absolute_uri(request.path + query_without(request.GET, page=str(page)))


@read_only
def search_points(request):
    """Every located result of a search (up to MAX_POINTS), for the map: [id, lat, lon, name, url, commune]."""
    try:
        parsed = parse_search(request.GET)
        count, payloads = search.points(parsed.request, MAX_POINTS)
        points = [
            [data["id"], *data["points"][0], data["name"], initiative_url(data["slug"]), data["commune"]]
            for data in payloads
            if data["points"]
        ]
    except (SearchParamsError, search.SearchError) as error:
        return error_response(error)
    except OutdatedIndex:
        return json_response({"error": str(UNAVAILABLE)}, status=503)
    return json_response(
        {
            "count": count,
            "points": points,
            "truncated": count > MAX_POINTS,
            "fields": ["id", "lat", "lon", "name", "url", "commune"],
            **licence_fields(),
        }
    )


@read_only
def suggest_view(request):
    text = " ".join((request.GET.get("q") or "").split())
    if len(text) > MAX_QUERY_LENGTH:
        message = _("La recherche ne peut dépasser %(max)s caractères.") % {"max": MAX_QUERY_LENGTH}
        return json_response({"error": message}, status=400)
    limit_text = request.GET.get("limit") or "8"
    if not limit_text.isascii() or not limit_text.isdigit() or not 1 <= int(limit_text) <= MAX_SUGGESTIONS:
        message = _("« limit » doit être un nombre entier entre 1 et %(max)s.") % {"max": MAX_SUGGESTIONS}
        return json_response({"error": message}, status=400)
    if not text:
        return json_response({"q": text, "initiatives": [], "territories": [], "themes": []})
    try:
        suggestions = search.suggest(text, limit=int(limit_text))
    except search.SearchError as error:
        return error_response(error)
    return json_response({"q": text, **suggestions})
