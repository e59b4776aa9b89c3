"""A saved search is the query string of /recherche/: normalised, checked and described by the search app's parser."""

from urllib.parse import urlencode

from django.http import QueryDict
from django.utils.translation import gettext as _

from carrefour.search.describe import describe
from carrefour.search.params import ParsedSearch, parse_search

# Parameters that change how results are shown, not which initiatives match.
DISPLAY_PARAMS = {"page", "page_size", "sort", "vue", "explain"}
MAX_QUERY_STRING = 2000


def normalise(params) -> str:
    """The matching part of a query string (a QueryDict or a string), in a stable order."""
    if isinstance(params, str):
        params = QueryDict(params.lstrip("?"))
    pairs = [
        (name, value.strip())
        for name in sorted(params.keys())
        if name not in DISPLAY_PARAMS
        for value in params.getlist(name)
        if value.strip()
    ]
    return urlencode(pairs)


def parse(query_string: str) -> ParsedSearch:
    """Raises `carrefour.search.params.SearchParamsError` (with French messages) when the search is not valid."""
    return parse_search(QueryDict(query_string))


def describe_search(query_string: str) -> list[str]:
    parsed = parse(query_string)
    return [chip.label for chip in describe(parsed, QueryDict(query_string))]


def default_label(query_string: str) -> str:
    words = describe_search(query_string)
    label = " ; ".join(words) if words else _("Toutes les initiatives")
    return label[:200]
