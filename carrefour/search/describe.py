"""The active filters of a search in words, each with the address of the same search without it."""

from dataclasses import dataclass
from urllib.parse import urlencode

from carrefour.search.facets import TERM_VOCABULARIES
from carrefour.search.filters import FacetFilter, Filter
from carrefour.search.params import ParsedSearch
from carrefour.search.types import SearchResponse

# Facets whose values are terms of a taxonomy vocabulary.


@dataclass(frozen=True)
class ActiveFilter:
    label: str
    remove_url: str  # a query string starting with "?", or "" for the empty search


def describe(parsed: ParsedSearch, params, response: SearchResponse | None = None) -> list[ActiveFilter]:
    """One chip per active filter: its description and the query string that removes it (back to page 1)."""
    labels = value_labels(parsed.filters, response)
    return [ActiveFilter(item.describe(labels), query_without(params, item)) for item in parsed.filters]


def query_without(params, removed: Filter | None = None, **replace: str) -> str:
    """The query string of `params` without `removed`'s pairs nor the page number; `replace` sets single values.

    An empty value in `replace` removes the parameter. The result starts with "?", or is "" when nothing is left.
    """
    pairs = [
        (name, value)
        for name, values in params.lists()
        for value in values
        if name != "page" and name not in replace and value != "" and not (removed and removed.owns(name, value))
    ]
    pairs += [(name, value) for name, value in replace.items() if value]
    return "?" + urlencode(pairs) if pairs else ""


def value_labels(filters: list[Filter], response: SearchResponse | None = None) -> dict[tuple[str, str], str]:
    """Labels of the selected facet values: from the response's facet counts, else from the database."""
    labels = {}
    if response is not None:
        for facet, values in response.facets.items():
            labels.update({(facet, item.value): item.label for item in values})
    missing: dict[str, list[str]] = {}
    for item in filters:
        if isinstance(item, FacetFilter) and (item.facet, item.value) not in labels:
            missing.setdefault(item.facet, []).append(item.value)
    for facet, codes in missing.items():
        labels.update({(facet, code): label for code, label in _labels_from_database(facet, codes).items()})
    return labels


def _labels_from_database(facet: str, values: list[str]) -> dict[str, str]:
    from carrefour.catalog.models import Term
    from carrefour.sources.models import Source
    from carrefour.territories.models import EPCI, Commune, Departement, Region

    if facet in TERM_VOCABULARIES:
        terms = Term.objects.filter(vocabulary=TERM_VOCABULARIES[facet], code__in=values)
        return dict(terms.values_list("code", "label"))
    if facet == "commune":
        communes = Commune.objects.filter(code__in=values)
        return {
            code: f"{name} ({departement})"
            for code, name, departement in communes.values_list("code", "name", "departement_id")
        }
    if facet == "departement":
        return {
            code: f"{name} ({code})"
            for code, name in Departement.objects.filter(code__in=values).values_list("code", "name")
        }
    if facet == "region":
        return dict(Region.objects.filter(code__in=values).values_list("code", "name"))
    if facet == "epci":
        return dict(EPCI.objects.filter(code__in=values).values_list("code", "name"))
    if facet == "source":
        return dict(Source.objects.filter(slug__in=values).values_list("slug", "name"))
    return {}
