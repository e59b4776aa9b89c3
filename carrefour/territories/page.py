"""What a territory page shows, assembled from one engine query (counts, the page of initiatives, child counts),
the gazetteer (populations, neighbours) and the partners. Views stay thin: they call `territory_context`."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Sum
from django.urls import reverse

from carrefour import search
from carrefour.core.maps import map_config
from carrefour.search.types import SearchResponse
from carrefour.search.views import result_rows
from carrefour.territories import choropleth, counts, partners, shapes
from carrefour.territories.levels import LEVELS, density_label, trail
from carrefour.territories.models import EPCI, Commune, Departement

PAGE_SIZE = 20
MAX_PAGE = 500  # 10,000 results: the engine's window; the full search is one link away
SHOWN_FACETS = ("theme", "type", "public")


@dataclass(frozen=True)
class Choices:
    page: int
    measure: str
    child_level: str | None


def parse_choices(level: str, params) -> Choices:
    """Page number, choropleth measure and child level from the query string; anything unexpected gets the default."""
    text = (params.get("page") or "1").strip()
    page = int(text) if text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_PAGE else 1
    measure = params.get("mesure") if params.get("mesure") in choropleth.MEASURES else "taux"
    children = LEVELS[level].children
    child_level = params.get("niveau") if params.get("niveau") in children else (children[0] if children else None)
    return Choices(page, measure, child_level)


def territory_context(level: str, territory, choices: Choices) -> dict:
    code = territory.pk
    facets = (*SHOWN_FACETS, "source", *((choices.child_level,) if choices.child_level else ()))
    response = search.query(
        counts.territory_request(level, code, facets=facets, page=choices.page, page_size=PAGE_SIZE)
    )
    area = shapes.area_km2(level, code)
    density = territory.population / area if area else None
    context = {
        "level": LEVELS[level],
        "territory": territory,
        "trail": trail(level, territory),
        "response": response,
        "results": result_rows(response.hits),
        "pages": _pagination(response, choices),
        "facet_groups": [(name, [v for v in response.facets.get(name, ()) if v.count]) for name in SHOWN_FACETS],
        "area": area,
        "density": density,
        "character": density_label(density),
        "neighbours": neighbours(level, code),
        "sources": partners.sources(response),
        "organisations": partners.carrying_organisations(level, code),
        "search_url": f"{reverse('search:search')}?{level}={code}",
        "points_url": f"{reverse('api:search_points')}?{level}={code}",
        "map_config": map_config(),
        "choices": choices,
        "measures": choropleth.MEASURES,
    }
    if choices.child_level:
        context.update(_choropleth(level, code, choices, response))
    else:
        context["outline_url"] = reverse("territories:outline", kwargs={"level": level, "code": code})
    return context


def _choropleth(level: str, code: str, choices: Choices, response: SearchResponse) -> dict:
    child_level = choices.child_level
    children = child_rows(level, code, child_level)
    counted = counts.facet_counts(response, child_level)
    by_code = counts.child_counts(level, code, child_level, [child.code for child in children], counted)
    for child in children:
        child.count = by_code.get(child.code, 0)
    steps = choropleth.classify(children, choices.measure)
    return {
        "child_level": LEVELS[child_level],
        "child_levels": [LEVELS[name] for name in LEVELS[level].children],
        "children": children,
        "steps": steps,
        "measure_label": choropleth.MEASURES[choices.measure],
        "empty_colour": choropleth.EMPTY_COLOUR,
        "choropleth_data": {
            "shapesUrl": reverse(
                "territories:children", kwargs={"level": level, "code": code, "child_level": child_level}
            ),
            "values": {
                child.code: {"name": child.name, "url": child.url, "colour": child.colour, "count": child.count}
                for child in children
            },
        },
    }


def child_rows(level: str, code: str, child_level: str) -> list[choropleth.Child]:
    """The children of a territory with their population inside it (an EPCI may straddle départements)."""
    url = LEVELS[child_level].url
    if child_level == "departement":
        rows = Departement.objects.filter(region_id=code).values_list("code", "name", "population")
    elif child_level == "commune":
        rows = Commune.objects.filter(**{f"{level}_id": code}).values_list("code", "name", "population")
    else:
        inside = dict(
            Commune.objects.filter(departement_id=code)
            .exclude(epci=None)
            .values("epci_id")
            .annotate(inside=Sum("population"))
            .values_list("epci_id", "inside")
        )
        names = dict(EPCI.objects.filter(pk__in=inside).values_list("code", "name"))
        rows = [(epci, names[epci], inside[epci]) for epci in inside]
    children = [choropleth.Child(child, name, url(child), population or 0, 0) for child, name, population in rows]
    return sorted(children, key=lambda child: child.name)


def neighbours(level: str, code: str) -> list:
    codes = shapes.neighbour_codes(level, code)
    model = LEVELS[level].model
    return list(model.objects.filter(pk__in=codes).only("pk", "name").order_by("name"))


def choice_query(choices: Choices, page: int) -> str:
    """The query string of this page with another page number (the choropleth choices are kept)."""
    params = {"mesure": choices.measure, "niveau": choices.child_level or "", "page": str(page) if page > 1 else ""}
    return "?" + urlencode({name: value for name, value in params.items() if value})


def _pagination(response: SearchResponse, choices: Choices) -> dict | None:
    last = min(max(1, -(-response.count // PAGE_SIZE)), MAX_PAGE)
    number = response.request.page
    if last == 1 and number == 1:
        return None
    return {
        "number": number,
        "last": last,
        "previous": choice_query(choices, number - 1) if number > 1 else "",
        "next": choice_query(choices, number + 1) if number < last else "",
        "first_index": (number - 1) * PAGE_SIZE + 1,
    }
