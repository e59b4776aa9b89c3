"""The partners active in a territory: the sources whose records are located there (engine facet counts) and the
organisations carrying initiatives there (a grouped query on the territory's locations, cached a few minutes)."""

from django.core.cache import cache
from django.db.models import Count
from django.urls import reverse

from carrefour.catalog.models import Initiative, Organisation, Role
from carrefour.search.types import FacetValue

MAX_ORGANISATIONS = 12
CACHE_SECONDS = 10 * 60
LOCATION_FIELD = {
    "region": "commune__region_id",
    "departement": "commune__departement_id",
    "epci": "commune__epci_id",
    "commune": "commune_id",
}


def sources(response) -> list[FacetValue]:
    """The sources of the territory's initiatives, with their counts, from the page's own engine response."""
    return [value for value in response.facets.get("source", ()) if value.count]


def carrying_organisations(level: str, code: str) -> list[dict]:
    """The organisations carrying the most published initiatives located in the territory: name, url, count."""
    key = f"territories:organisations:v1:{level}:{code}"
    found = cache.get(key)
    if found is None:
        found = _carrying_organisations(level, code)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _carrying_organisations(level: str, code: str) -> list[dict]:
    located = {
        "stakes__role": Role.CARRIER,
        "stakes__initiative__status": Initiative.Status.PUBLISHED,
        f"stakes__initiative__locations__{LOCATION_FIELD[level]}": code,
    }
    rows = (
        Organisation.objects.filter(**located)
        .values("pk", "name", "slug")
        .annotate(count=Count("stakes__initiative", distinct=True))
        .order_by("-count", "name")[:MAX_ORGANISATIONS]
    )
    return [{"name": row["name"], "url": _organisation_url(row["slug"]), "count": row["count"]} for row in rows]


def _organisation_url(slug: str) -> str:
    return reverse("catalog:organisation", kwargs={"slug": slug})
