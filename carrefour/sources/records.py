"""What a record brings, in the form we compare and store: tracked fields, terms, locations, and their hash."""

import hashlib
import json

from carrefour.sources.mapping import Candidate

# Initiative fields an import writes, and may find edited here since the last import.
INITIATIVE_FIELDS = ("name", "summary", "description", "website", "contact_email", "start_year")
TRACKED = (*INITIATIVE_FIELDS, "terms", "locations")


def group(candidates: list[Candidate]) -> dict[str, Candidate]:
    """Rows sharing a key make one record: the first row's values win, later rows fill gaps, add terms and places."""
    grouped: dict[str, Candidate] = {}
    for candidate in candidates:
        first = grouped.get(candidate.key)
        if first is None:
            grouped[candidate.key] = candidate
            continue
        for name, value in candidate.fields.items():
            first.fields.setdefault(name, value)
        first.terms |= candidate.terms
        first.locations.extend(place for place in candidate.locations if place not in first.locations)
        first.lines.append(candidate.line)
    return grouped


def values_of(candidate: Candidate) -> dict:
    """The normalised values last imported, as stored on `SourceRecord.imported_values`."""
    values = {name: value for name, value in candidate.fields.items() if value not in ("", None)}
    values["terms"] = sorted(candidate.terms)
    values["locations"] = [location_signature(place) for place in candidate.locations]
    return values


def location_signature(place: dict) -> dict:
    return {
        "commune": place["commune"],
        "postal_code": place.get("postal_code", ""),
        "address": place.get("address", ""),
        "label": place.get("label", ""),
        "latitude": _round(place.get("latitude")),
        "longitude": _round(place.get("longitude")),
        "swapped": bool(place.get("swapped")),
    }


def content_hash(values: dict) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def _round(value):
    return None if value is None else round(float(value), 6)
