"""The search page: parse the query string, ask the one search interface, render the list (the map is layered on)."""

import dataclasses
from collections import defaultdict

from django.http import QueryDict
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from carrefour import search
from carrefour.catalog.models import Initiative, Location, Role, Stakeholder
from carrefour.core.maps import map_config
from carrefour.search.bounds import MAX_BBOX_SPAN
from carrefour.search.describe import describe, query_without
from carrefour.search.explain import explanation_lines
from carrefour.search.filters import FACET_LABELS, TextFilter
from carrefour.search.links import initiative_url
from carrefour.search.params import ParamError, ParsedSearch, SearchParamsError, parse_search
from carrefour.search.store import OutdatedIndex
from carrefour.search.types import Hit, SearchResponse
from carrefour.stats.record import record_zero_result

UNAVAILABLE = gettext_lazy(
    "La recherche est momentanément indisponible : son index est en cours de reconstruction. Réessayez dans un instant."
)
VISIBLE_FACET_VALUES = 6  # the others sit behind a « show more » disclosure
MAX_RELAXATIONS = 6  # on a zero-result page, how many « without this filter » counts to offer
SORT_LABELS = {
    "relevance": gettext_lazy("Pertinence"),
    "distance": gettext_lazy("Distance (les plus proches d'abord)"),
    "freshness": gettext_lazy("Fraîcheur (les plus récentes d'abord)"),
}


def search_page(request):
    try:
        parsed = parse_search(request.GET)
        response = search.query(parsed.request)
    except SearchParamsError as error:
        return _render_errors(request, error.errors)
    except search.SearchError as error:
        return _render_errors(request, [ParamError("", str(error))])
    except OutdatedIndex:
        return _render_errors(request, [ParamError("", str(UNAVAILABLE))], status=503)
    chips = describe(parsed, request.GET, response)
    context = {
        **_form_context(request, parsed.request.text, parsed),
        "response": response,
        "results": result_rows(response.hits),
        "facets": _facet_groups(response),
        "chips": chips,
        "pages": _pagination(request.GET, response),
        "map_config": map_config(),
        "points_query": query_without(request.GET, page_size="", vue=""),
        "max_bbox": ",".join(str(span) for span in MAX_BBOX_SPAN),
        "explain_toggle": query_without(
            request.GET,
            page=str(parsed.request.page) if parsed.request.page > 1 else "",
            explain="" if parsed.request.explain else "1",
        ),
    }
    if response.count == 0:
        if parsed.request.page == 1:
            record_zero_result(parsed.request.text)  # aggregated, folded, never personal (stats/record.py)
        context["spellings"] = [
            {"text": text, "url": query_without(request.GET, TextFilter(parsed.request.text), q=text)}
            for text in response.suggestions
        ]
        context["relaxations"] = _relaxations(parsed, chips)
    return render(request, "search/search.html", context)


def _render_errors(request, errors: list[ParamError], status: int = 400):
    context = {
        **_form_context(request, " ".join((request.GET.get("q") or "").split()), None),
        "errors": errors,
        "q_error": next((error.message for error in errors if error.param == "q"), ""),
    }
    return render(request, "search/search.html", context, status=status)


def _form_context(request, text: str, parsed: ParsedSearch | None) -> dict:
    sort = parsed.request.sort if parsed else "relevance"
    has_place = bool(parsed and parsed.request.near)
    sorts = [(value, label) for value, label in SORT_LABELS.items() if value != "distance" or has_place]
    # Parameters with no visible field are carried as hidden inputs, so the form keeps the whole state.
    hidden = [
        (name, value)
        for name in ("near", "autour", "radius_km", "rayon", "bbox", "page_size", "vue", "explain")
        for value in request.GET.getlist(name)
        if value
    ]
    return {"q": text, "sort": sort, "sorts": sorts, "hidden_params": hidden, "parsed": parsed}


@dataclasses.dataclass(frozen=True)
class ResultPlace:
    address: str
    postal_code: str
    commune: str
    departement: str


@dataclasses.dataclass
class ResultRow:
    hit: Hit
    url: str
    carriers: list[str]  # names of the carrying organisations
    locations: list[ResultPlace]
    why: list[str] = dataclasses.field(default_factory=list)  # the rank explanation, when asked for


def hit_url(hit: Hit) -> str:
    """The page of a hit (one shared `reverse()`, see `links.py`), for the page, the API and the map points."""
    return initiative_url(hit.slug)


def result_rows(hits: list[Hit]) -> list[ResultRow]:
    """The page's hits with what a result line shows beyond the index: carrying organisations, addresses.

    An initiative unpublished since it was indexed is left out: the database is the source of truth. Three queries of
    plain values (no model instances: a page of 20 results would build some 120 of them).
    """
    ids = [hit.id for hit in hits]
    published = dict(Initiative.published.filter(pk__in=ids).values_list("pk", "slug"))
    carriers: dict[int, list[str]] = defaultdict(list)
    for initiative_id, name in (
        Stakeholder.objects.filter(initiative_id__in=published, role=Role.CARRIER)
        .order_by("id")
        .values_list("initiative_id", "organisation__name")
    ):
        carriers[initiative_id].append(name)
    places: dict[int, list[ResultPlace]] = defaultdict(list)
    for initiative_id, *place in (
        Location.objects.filter(initiative_id__in=published)
        .order_by("position", "id")
        .values_list("initiative_id", "address", "postal_code", "commune__name", "commune__departement_id")
    ):
        places[initiative_id].append(ResultPlace(*place))
    return [
        ResultRow(
            hit, initiative_url(published[hit.id]), carriers[hit.id], places[hit.id], explanation_lines(hit.explanation)
        )
        for hit in hits
        if hit.id in published
    ]


def _facet_groups(response: SearchResponse) -> list[dict]:
    groups = []
    for facet, label in FACET_LABELS.items():
        values = response.facets.get(facet) or []
        if not values:
            continue
        # Selected values come first, so that the disclosure never hides a ticked box.
        ordered = [v for v in values if v.selected] + [v for v in values if not v.selected]
        shown = max(VISIBLE_FACET_VALUES, sum(1 for v in values if v.selected))
        groups.append({"name": facet, "label": label, "values": ordered[:shown], "more": ordered[shown:]})
    return groups


def _pagination(params, response: SearchResponse) -> dict | None:
    size = response.request.page_size
    last = max(1, -(-response.count // size))
    number = response.request.page
    if last == 1 and number == 1:
        return None
    return {
        "number": number,
        "last": last,
        "previous": query_without(params, page=str(number - 1)) if number > 1 else "",
        "next": query_without(params, page=str(number + 1)) if number < last else "",
        "last_url": query_without(params, page=str(last)),
        "first_index": (number - 1) * size + 1,
    }


def _relaxations(parsed: ParsedSearch, chips) -> list[dict]:
    """For a search that found nothing: each active filter, with the number of results without it."""
    relaxed = []
    for chip in chips[:MAX_RELAXATIONS]:
        try:
            other = parse_search(QueryDict(chip.remove_url.removeprefix("?")))
            request = dataclasses.replace(other.request, page=1, page_size=1, facets=())
            count = search.query(request).count
        except (SearchParamsError, search.SearchError):
            continue
        relaxed.append({"label": chip.label, "url": chip.remove_url, "count": count})
    return relaxed
