"""A published initiative (a `Sheet`) → its index document: analysed text, facet codes, geo terms, ranking signals."""

import json
import math
from datetime import datetime
from functools import lru_cache
from itertools import zip_longest

import tantivy
from django.utils import timezone

from carrefour.catalog.quality import Facts, evaluate
from carrefour.search import geo
from carrefour.search.analysis import analyse, index_words
from carrefour.search.schema import (
    ALL_TERMS_FIELD,
    EMPTY_SLOT,
    FRESH_FIELD,
    GEO_FIELD,
    ORG_FIELD,
    OVERFLOW_FIELD,
    PAYLOAD_FIELD,
    more_field,
    slot_fields,
)
from carrefour.search.sheets import Reader, Sheet

FRESHNESS_DAYS = 365.0
PRIOR_WEIGHTS = (0.6, 0.4)  # (quality, freshness) of the text-less ordering; see RANKING.md


def quality(sheet: Sheet, now: datetime) -> float:
    """The sheet's quality score (`carrefour.catalog.quality`), from the bulk-read rows."""
    row = sheet.row
    facts = Facts(
        description_length=len(row["description"] or ""),
        has_themes=bool(sheet.terms.get("themes")),
        has_publics=bool(sheet.terms.get("publics")),
        precisions=tuple(loc["precision"] for loc in sheet.locations),
        has_website=bool(row["website"]),
        has_image=sheet.has_image,
        has_carrier=any(s["is_carrier"] for s in sheet.stakeholders),
        confirmed_at=row["last_confirmed_at"],
    )
    return evaluate(facts, now).score


def freshness(moment: datetime, now: datetime) -> float:
    return math.exp(-max((now - moment).total_seconds(), 0.0) / 86400 / FRESHNESS_DAYS)


def departement_key(code: str) -> int:
    """A number standing for a département code (« 2A », « 974 »), for diversification on a fast field."""
    return int.from_bytes(code.encode()[:7], "big") if code else 0


def build(sheet: Sheet, reader: Reader, now: datetime | None = None) -> tantivy.Document:
    now = now or timezone.now()
    doc = tantivy.Document()
    _add_text(doc, sheet, reader)
    facets = facet_values(sheet, reader)
    _add_facets(doc, facets)
    _add_places(doc, sheet, reader)
    score = quality(sheet, now)
    carriers = [s["organisation_id"] for s in sheet.stakeholders if s["is_carrier"]]
    for organisation_id in carriers:
        doc.add_text(ORG_FIELD, str(organisation_id))
    doc.add_integer("id", sheet.row["id"])
    doc.add_unsigned("carrier", carriers[0] if carriers else 0)
    doc.add_unsigned("source_key", _source_key(sheet, reader))
    doc.add_float("quality", score)
    doc.add_float("prior", PRIOR_WEIGHTS[0] * score + PRIOR_WEIGHTS[1] * freshness(sheet.freshness, now))
    doc.add_integer(FRESH_FIELD, int(sheet.freshness.timestamp()))
    shown = payload(sheet, reader, sorted(facets["theme"]))
    doc.add_bytes(PAYLOAD_FIELD, json.dumps(shown, separators=(",", ":")).encode())
    return doc


def _source_key(sheet: Sheet, reader: Reader) -> int:
    return reader.source_keys.get(sheet.sources[0], 0) if sheet.sources else 0


def label_texts(sheet: Sheet, reader: Reader) -> list[str]:
    labels = []
    for rows in sheet.terms.values():
        for term in rows:
            parent = reader.term(term.parent_id)
            labels += [term.label, parent.label] if parent else [term.label]
    for term_id in (sheet.row["stage_id"], sheet.row["scale_id"]):
        if stage_or_scale := reader.term(term_id):
            labels.append(stage_or_scale.label)
    return list(dict.fromkeys(labels))


def place_texts(sheet: Sheet, reader: Reader) -> list[str]:
    names = []
    for location in sheet.locations:
        place = reader.place(location["commune_id"])
        names += [place.name, reader.departements.get(place.departement, ""), reader.regions.get(place.region, "")]
    return [name for name in dict.fromkeys(names) if name]


@lru_cache(maxsize=1 << 14)
def _analysed(text: str) -> tuple[str, tuple[str, ...]]:
    """(index terms joined with spaces, folded words) of a short text; labels and place names repeat a lot."""
    return " ".join(analyse(text)), tuple(index_words(text))


def _add_text(doc: tantivy.Document, sheet: Sheet, reader: Reader) -> None:
    row = sheet.row
    texts = {
        "name": [row["name"]],
        "summary": [row["summary"]],
        "orgs": list(dict.fromkeys(s["organisation__name"] for s in sheet.stakeholders)),
        "labels": label_texts(sheet, reader),
        "places": place_texts(sheet, reader),
    }
    words: dict[str, None] = {}
    every_term: set[str] = set()
    for field, values in texts.items():
        for value in values:
            terms, folded = _analysed(value)
            doc.add_text(field, terms)
            every_term.update(terms.split())
            words.update(dict.fromkeys(folded))
    description = analyse(row["description"] or "")
    doc.add_text("description", " ".join(description))
    every_term.update(description)
    doc.add_text(ALL_TERMS_FIELD, " ".join(sorted(every_term)))
    doc.add_text("name_words", " ".join(_analysed(row["name"])[1]))
    doc.add_text("words", " ".join(words))


def facet_values(sheet: Sheet, reader: Reader) -> dict[str, set[str]]:
    values: dict[str, set[str]] = {name: set() for name in ("theme", "subtheme", "public", "type", "stage", "scale")}
    for term in sheet.terms.get("themes", ()):
        parent = reader.term(term.parent_id)
        values["subtheme" if parent else "theme"].add(term.code)
        if parent:
            values["theme"].add(parent.code)
    values["public"] = {term.code for term in sheet.terms.get("publics", ())}
    values["type"] = {term.code for term in sheet.terms.get("place_types", ())}
    for name, term_id in (("stage", sheet.row["stage_id"]), ("scale", sheet.row["scale_id"])):
        if stage_or_scale := reader.term(term_id):
            values[name].add(stage_or_scale.code)
    values["source"] = {slug for slug in sheet.sources if slug}
    carried_types = (reader.term(s["organisation__structure_type_id"]) for s in sheet.stakeholders if s["is_carrier"])
    values["org_type"] = {term.code for term in carried_types if term}
    return values


def _add_facets(doc: tantivy.Document, facets: dict[str, set[str]]) -> None:
    for name, codes in facets.items():
        ordered = sorted(codes)
        for code in ordered:
            doc.add_text(name, code)
        slots = slot_fields(name)
        if not slots:
            continue
        for slot, code in zip_longest(slots, ordered[: len(slots)], fillvalue=EMPTY_SLOT):
            doc.add_text(slot, code)
        for code in ordered[len(slots) :]:
            doc.add_text(more_field(name), code)
        if len(ordered) > len(slots):
            doc.add_text(OVERFLOW_FIELD, name)


def _add_places(doc: tantivy.Document, sheet: Sheet, reader: Reader) -> None:
    territories: dict[str, dict[str, None]] = {"region": {}, "departement": {}, "epci": {}, "commune": {}}
    points = []
    for location in sheet.locations:
        place = reader.place(location["commune_id"])
        for name, code in (("region", place.region), ("departement", place.departement), ("epci", place.epci)):
            territories[name][code] = None
        territories["commune"][place.code] = None
        if location["latitude"] is not None and location["longitude"] is not None:
            points.append((location["latitude"], location["longitude"]))
    _add_facets(doc, {name: {code for code in codes if code} for name, codes in territories.items()})
    for lat, lon in dict.fromkeys(points):
        for term in geo.point_terms(lat, lon):
            doc.add_text(GEO_FIELD, term)
    for suffix, (lat, lon) in zip(("", "2", "3"), points, strict=False):
        doc.add_float(f"lat{suffix}", lat)
        doc.add_float(f"lon{suffix}", lon)
    doc.add_unsigned("nloc", len(points))
    first = reader.place(sheet.locations[0]["commune_id"]) if sheet.locations else None
    doc.add_unsigned("dep_key", departement_key(first.departement if first else ""))


def payload(sheet: Sheet, reader: Reader, themes: list[str]) -> dict:
    """What a hit shows, stored in the index: results never query the database."""
    row = sheet.row
    first = reader.place(sheet.locations[0]["commune_id"]) if sheet.locations else None
    points = [[loc["latitude"], loc["longitude"]] for loc in sheet.locations if loc["latitude"] is not None]
    return {
        "id": row["id"],
        "slug": row["slug"],
        "name": row["name"],
        "summary": row["summary"],
        "commune": first.name if first else "",
        "commune_code": first.code if first else "",
        "departement": first.departement if first else "",
        "region": first.region if first else "",
        "points": points,
        "themes": themes,
    }
