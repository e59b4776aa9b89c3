"""The tantivy schema of the initiative index: analysed text, facet codes, coordinates and ranking signals."""

import json
from functools import cache

import tantivy

from carrefour.search.types import FACETS

# Text fields hold the tokens of `analysis.analyse()` joined with spaces: tantivy only splits on whitespace.
# Query-time weights (name highest); see RANKING.md.
TEXT_FIELDS = {
    "name": 5.0,
    "labels": 2.0,
    "summary": 2.0,
    "orgs": 1.5,
    "places": 1.5,
    "description": 1.0,
}
TEXT_TOKENIZER = "whitespace"
# Folded, unstemmed words (`analysis.index_words`) that the prefix of a query being typed is matched against.
WORD_FIELDS = ("words", "name_words")
ALL_TERMS_FIELD = "terms"  # every term of every text field, once: typo tolerance searches one field, not six

# Facet counting. tantivy counts a single-valued fast column about twenty times faster than a multi-valued one, so
# each facet of a small vocabulary is also spread over dense single-valued "slot" columns (`theme__0`, `theme__1`…:
# a sheet's k-th value, or EMPTY_SLOT); values beyond the last slot go to the multi-valued `theme__more` column and
# the sheet gets the term `theme` in OVERFLOW_FIELD. Counts add up the slots and the overflow. Filters use the
# facet's own indexed field. Communes and EPCI (large vocabularies, usually counted over few sheets) are counted on
# their own multi-valued fast field.
SLOTS = {
    "theme": 3,
    "subtheme": 3,
    "public": 3,
    "type": 1,
    "stage": 1,
    "scale": 1,
    "region": 1,
    "departement": 1,
    "source": 1,
    "org_type": 1,
}
EMPTY_SLOT = "_"
OVERFLOW_FIELD = "overflow"


@cache
def slot_fields(facet: str) -> tuple[str, ...]:
    return tuple(f"{facet}__{k}" for k in range(SLOTS.get(facet, 0)))


def more_field(facet: str) -> str:
    return f"{facet}__more"


# Numeric fast fields read for every ranked candidate.
FLOAT_FIELDS = ("quality", "prior", "lat", "lon", "lat2", "lon2", "lat3", "lon3")  # the first three locations
UNSIGNED_FIELDS = ("nloc", "source_key", "carrier", "dep_key")
FRESH_FIELD = "fresh"  # unix seconds of max(updated_at, last_confirmed_at)
GEO_FIELD = "geo"  # quadtree cell terms and exact point terms of every location (see geo.py)
ORG_FIELD = "org"  # ids of the carrying organisations, as strings
PAYLOAD_FIELD = "hit"  # stored JSON: what a result shows, so that hits never touch the database
SCHEMA_VERSION = 6  # part of each generation's directory name: a new version needs `carrefour reindex`


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name=TEXT_TOKENIZER, index_option="position")
    for name in (*WORD_FIELDS, ALL_TERMS_FIELD):
        builder.add_text_field(name, tokenizer_name=TEXT_TOKENIZER, index_option="basic")
    for name in FACETS:
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic", fast=name not in SLOTS)
        for slot in [*slot_fields(name), more_field(name)] if name in SLOTS else ():
            builder.add_text_field(slot, tokenizer_name="raw", index_option="basic", fast=True)
    for name in (GEO_FIELD, ORG_FIELD, OVERFLOW_FIELD):
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic")
    # Signed: tantivy-py turns a Python int into a signed term, so an unsigned id could not be deleted by term.
    builder.add_integer_field("id", indexed=True, fast=True)
    for name in UNSIGNED_FIELDS:
        builder.add_unsigned_field(name, fast=True)
    for name in FLOAT_FIELDS:
        builder.add_float_field(name, fast=True)
    builder.add_integer_field(FRESH_FIELD, fast=True)
    builder.add_bytes_field(PAYLOAD_FIELD, stored=True)
    return builder.build()


SCHEMA = build_schema()


def read_payload(searcher: tantivy.Searcher, address: tantivy.DocAddress) -> dict:
    """The stored JSON of a hit (see `documents.payload`)."""
    stored = searcher.doc(address).get_first(PAYLOAD_FIELD)
    if stored is None:  # `documents.build` stores one in every document: the index was not built by this code
        raise LookupError(
            f"Indexed document {address!r} has no stored {PAYLOAD_FIELD!r} field; run `carrefour reindex`."
        )
    return json.loads(stored)


def match_count(result: tantivy.SearchResult) -> int:
    """The number of matches of a search run with `count=True`.

    tantivy-py's type stub (0.27) omits `SearchResult.count`, an int with `count=True` and None otherwise.
    """
    count = result.count  # type: ignore[attr-defined]  # present at runtime, missing from tantivy.pyi
    if not isinstance(count, int):
        raise ValueError("match_count needs a search run with count=True.")
    return count
