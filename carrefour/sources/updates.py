"""Applying a feed's changes to existing records without ever overwriting a local edit.

For each tracked field: unchanged at the source → nothing; changed at the source and the current value is still the
one we last imported (or already the new one) → applied; otherwise someone edited it here → the local value stays
and a `SyncConflict` is queued for moderators.
"""

from collections import defaultdict

from carrefour.catalog.models import Initiative, Location
from carrefour.sources.mapping import Candidate
from carrefour.sources.models import SourceRecord
from carrefour.sources.records import INITIATIVE_FIELDS, TRACKED, location_signature

BATCH = 500
MERGE_DEPTH = 10


class Updater:
    def __init__(self, writer):
        self.writer = writer

    def run(self, changed: list[tuple[dict, Candidate]]) -> None:
        survivors = surviving_initiatives({row["initiative_id"] for row, _candidate in changed})
        initiatives = Initiative.objects.in_bulk(set(survivors.values()))
        terms = current_terms(initiatives)
        locations = current_locations(initiatives)
        records, touched_fields = [], set()
        term_changes, location_changes = [], []
        for row, candidate in changed:
            initiative = initiatives[survivors[row["initiative_id"]]]
            current = {name: getattr(initiative, name) for name in INITIATIVE_FIELDS}
            current["terms"], current["locations"] = terms[initiative.pk], locations[initiative.pk]
            applied = self._decide(row, candidate, current)
            for name in applied & set(INITIATIVE_FIELDS):
                setattr(initiative, name, _field_value(name, candidate.values.get(name)))
                touched_fields.add(name)
            if "terms" in applied:
                term_changes.append((initiative.pk, current["terms"], candidate.values["terms"]))
            if "locations" in applied:
                location_changes.append((initiative.pk, candidate.locations))
            if applied & set(INITIATIVE_FIELDS):
                initiative.version += 1
            records.append(self._record(row, candidate, initiative.pk))
            self.writer.outcome.touched.add(initiative.pk)
        self._write(initiatives, touched_fields, term_changes, location_changes, records)

    def _decide(self, row: dict, candidate: Candidate, current: dict) -> set[str]:
        old_values, applied = row["imported_values"] or {}, set()
        counted = False
        for name in TRACKED:
            new = candidate.values.get(name, _empty(name))
            old = old_values.get(name, current[name]) if old_values else current[name]
            local = _comparable(name, current[name])
            if _comparable(name, new) == _comparable(name, old):
                continue
            if local in (_comparable(name, old), _comparable(name, new)):
                if local != _comparable(name, new):
                    applied.add(name)
                counted = True
            else:
                self.writer.conflict(row["id"], name, _jsonable(current[name]), _jsonable(new))
        other_change = {k: v for k, v in candidate.values.items() if k not in TRACKED} != {
            k: v for k, v in old_values.items() if k not in TRACKED
        }
        if counted or other_change:
            self.writer.outcome.updated += 1
        return applied

    def _record(self, row: dict, candidate: Candidate, initiative_id: int) -> SourceRecord:
        record = self.writer._record(candidate, initiative_id)
        record.pk = row["id"]
        return record

    def _write(self, initiatives, touched_fields, term_changes, location_changes, records) -> None:
        writer = self.writer
        changed = [initiative for initiative in initiatives.values() if initiative.pk in writer.outcome.touched]
        for initiative in changed:
            initiative.updated_at = writer.now
        Initiative.objects.bulk_update(changed, [*sorted(touched_fields), "version", "updated_at"], batch_size=BATCH)
        writer._remove_terms([(pk, set(old) - set(new)) for pk, old, new in term_changes])
        writer._add_terms([(pk, set(new) - set(old)) for pk, old, new in term_changes])
        Location.objects.filter(initiative_id__in=[pk for pk, _places in location_changes]).delete()
        writer._write_locations(location_changes)
        fields = ["initiative", "url", "fetched_at", "source_updated_at", "payload", "imported_values", "content_hash",
                  "line", "absent_since"]  # fmt: skip
        for record in records:
            record.absent_since = None
        SourceRecord.objects.bulk_update(records, fields, batch_size=BATCH)


def surviving_initiatives(ids: set[int]) -> dict[int, int]:
    """Each initiative id → the survivor it was merged into (deduplication), or itself. Never un-merges."""
    result = {pk: pk for pk in ids}
    pending = set(ids)
    for _depth in range(MERGE_DEPTH):
        rows = Initiative.objects.filter(pk__in=pending, merged_into__isnull=False).values_list("pk", "merged_into")
        merged = {pk: target for pk, target in rows if target is not None}
        if not merged:
            break
        for start, current in list(result.items()):
            if current in merged:
                result[start] = merged[current]
        pending = set(merged.values())
    return result


def current_terms(initiatives: dict) -> dict[int, list[str]]:
    terms: dict[int, set] = defaultdict(set)
    for relation in ("themes", "publics", "place_types"):
        through = getattr(Initiative, relation).through
        rows = through.objects.filter(initiative_id__in=list(initiatives)).values_list(
            "initiative_id", "term__vocabulary", "term__code"
        )
        for pk, vocabulary, code in rows:
            terms[pk].add(f"{vocabulary}:{code}")
    return {pk: sorted(terms[pk]) for pk in initiatives}


def current_locations(initiatives: dict) -> dict[int, list[dict]]:
    places: dict[int, list] = defaultdict(list)
    rows = Location.objects.filter(initiative_id__in=list(initiatives)).order_by("position", "id")
    for location in rows.values(
        "initiative_id", "commune_id", "postal_code", "address", "label", "latitude", "longitude",
        "coordinates_look_swapped",
    ):  # fmt: skip
        places[location["initiative_id"]].append(
            location_signature(
                {**location, "commune": location["commune_id"], "swapped": location["coordinates_look_swapped"]}
            )
        )
    return {pk: places[pk] for pk in initiatives}


def _empty(name: str):
    return [] if name in ("terms", "locations") else None


def _comparable(name: str, value):
    if name in ("terms", "locations"):
        return value or []
    return None if value in ("", None) else value


def _field_value(name: str, value):
    if name == "start_year":
        return value
    return value or ""


def _jsonable(value):
    return value if isinstance(value, str | int | float | list | dict | type(None)) else str(value)
