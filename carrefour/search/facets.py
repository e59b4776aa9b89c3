"""Exact facet counts over the filtered result set, and the labels of facet values.

For a facet F, values are counted over the query with every filter except F's own: selecting a value never hides
the other values of its facet (OR within a facet, AND across facets). Facets without a selected value share one
aggregation over the full query; each facet with a selection costs one more. Small vocabularies are counted on
their dense slot columns (see schema.SLOTS), whose counts add up exactly.
"""

import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import tantivy

from carrefour.catalog.models import Term
from carrefour.search.schema import EMPTY_SLOT, OVERFLOW_FIELD, more_field, slot_fields
from carrefour.search.types import FacetValue
from carrefour.sources.models import Source
from carrefour.territories.models import EPCI, Commune, Departement, Region

LARGE_FACET_SIZE = 50  # communes and EPCI: the most frequent values only
LARGE_SEGMENT_SIZE = 20_000  # per segment, enough for every commune: counts stay exact across segments
ALL_BUCKETS = 1000  # the other facets have small vocabularies: every value is counted
ALL = "all"
WITHOUT = "without:"
TERM_VOCABULARIES = {
    "theme": "theme",
    "subtheme": "theme",
    "public": "public",
    "type": "place_type",
    "stage": "stage",
    "scale": "scale",
    "org_type": "structure_type",
}


def aggregate(
    searcher: tantivy.Searcher,
    base: tantivy.Query,
    selected: dict[str, tuple[str, ...]],
    requested: tuple[str, ...],
) -> tuple[dict[str, Counter], int]:
    """Counts of every requested facet, and the number of matches, in one pass over `base` (text and places).

    Each group of counts is a filter aggregation: the facets without a selection are counted under every filter,
    each facet with a selection under every filter but its own. Touches only the index (safe in another thread).
    """
    groups = {ALL: (selected, [name for name in requested if not selected.get(name)])}
    for name in requested:
        if selected.get(name):
            groups[f"{WITHOUT}{name}"] = ({k: v for k, v in selected.items() if k != name}, [name])
    result = searcher.aggregate(base, {key: _group(searcher, *group) for key, group in groups.items()})
    counted: dict[str, Counter] = {}
    for key, (_, names) in groups.items():
        counted.update({name: _group_counts(result[key], name) for name in names})
    return counted, int(result[ALL]["doc_count"])


def values(
    counted: dict[str, Counter], selected: dict[str, tuple[str, ...]], requested: tuple[str, ...]
) -> dict[str, list[FacetValue]]:
    """Labelled values, most frequent first; a selected value is listed even when nothing matches it."""
    return {name: _values(name, counted.get(name, Counter()), selected.get(name, ())) for name in requested}


def filter_string(selected: dict[str, tuple[str, ...]]) -> str:
    """The filters in the aggregation's query syntax. Values are checked codes (`bounds.FACET_VALUE`), quoted."""
    clauses = [
        "(" + " OR ".join(f'{name}:"{value}"' for value in sorted(set(values))) + ")"
        for name, values in sorted(selected.items())
        if values
    ]
    return " AND ".join(clauses) or "*"


def _group(searcher: tantivy.Searcher, selected: dict[str, tuple[str, ...]], names: list[str]) -> dict:
    aggs: dict[str, dict[str, Any]] = {}  # tantivy's aggregation request (JSON: Elasticsearch's syntax)
    for name in names:
        for column in slot_fields(name) or [name]:
            aggs[column] = {"terms": {"field": column, "size": ALL_BUCKETS}}
        if not slot_fields(name):
            aggs[name]["terms"].update(size=LARGE_FACET_SIZE, segment_size=LARGE_SEGMENT_SIZE)
    overflowing = [name for name in names if slot_fields(name) and searcher.doc_freq(OVERFLOW_FIELD, name)]
    if overflowing:
        # Values beyond the slots, counted over the few sheets that have some.
        marked = " OR ".join(f"{OVERFLOW_FIELD}:{name}" for name in overflowing)
        more = {more_field(name): {"terms": {"field": more_field(name), "size": ALL_BUCKETS}} for name in overflowing}
        aggs[OVERFLOW_FIELD] = {"filter": marked, "aggs": more}
    return {"filter": filter_string(selected), "aggs": aggs}


def _group_counts(group: dict, name: str) -> Counter:
    total = _sum(group, slot_fields(name) or [name])
    if slot_fields(name) and OVERFLOW_FIELD in group:
        total.update(_sum(group[OVERFLOW_FIELD], [more_field(name)]))
    return total


def _sum(result: dict, columns: Sequence[str]) -> Counter:
    total: Counter = Counter()
    for column in columns:
        for bucket in result.get(column, {}).get("buckets", ()):
            if bucket["key"] != EMPTY_SLOT:
                total[bucket["key"]] += bucket["doc_count"]
    return total


def _values(name: str, counts: dict[str, int], selected: tuple[str, ...]) -> list[FacetValue]:
    codes = list(counts) + [code for code in selected if code not in counts]
    names = labels(name, codes)
    values = [FacetValue(code, names.get(code, code), counts.get(code, 0), code in selected) for code in codes]
    values.sort(key=lambda value: (-value.count, value.label))
    return values


# Labels, cached per process -------------------------------------------------------------------------------------

_cache: dict[str, dict[str, str]] = {}
_lock = threading.Lock()


def clear_label_cache() -> None:
    with _lock:
        _cache.clear()


def labels(facet: str, codes: list[str]) -> dict[str, str]:
    """Human labels of facet values; a code missing from the cache is looked up once in the database."""
    known = _cache.get(facet)
    if known is None or any(code not in known for code in codes):
        fetched = _fetch(facet, [code for code in codes if known is None or code not in known])
        with _lock:
            known = _cache.setdefault(facet, {})
            known.update(fetched)
            known.update({code: code for code in codes if code not in known})  # unknown codes: not asked again
    return {code: known.get(code, code) for code in codes}


def _fetch(facet: str, codes: list[str]) -> dict[str, str]:
    """All labels of a small facet, or the labels of `codes` for the large ones (communes, EPCI)."""
    rows: Iterable[tuple[str, str]]
    if facet in TERM_VOCABULARIES:
        rows = Term.objects.filter(vocabulary=TERM_VOCABULARIES[facet]).values_list("code", "label")
    elif facet == "region":
        rows = Region.objects.values_list("code", "name")
    elif facet == "departement":
        return {code: f"{name} ({code})" for code, name in Departement.objects.values_list("code", "name")}
    elif facet == "source":
        rows = Source.objects.values_list("slug", "name")
    else:
        model = Commune if facet == "commune" else EPCI
        rows = model.objects.filter(code__in=codes).values_list("code", "name")
    return dict(rows)
