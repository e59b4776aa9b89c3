"""Writing one run's records in bulk: new initiatives, updates that respect local edits, absences, archiving."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from carrefour.catalog.models import Initiative, Location, SlugRedirect, Term
from carrefour.core.text import unique_slug
from carrefour.sources.bulk import Table
from carrefour.sources.mapping import Candidate
from carrefour.sources.models import SourceRecord, SyncConflict
from carrefour.sources.organisations import OrganisationLinker
from carrefour.sources.records import content_hash, values_of

UPDATE_BATCH = 500
TERM_RELATIONS = {"theme": "themes", "public": "publics", "place_type": "place_types"}
ARCHIVE_AFTER = dt.timedelta(days=7)
INITIATIVE_COLUMNS = ("name", "slug", "summary", "description", "website", "contact_email", "start_year")
RECORD_COLUMNS = ("external_id", "initiative_id", "url", "source_updated_at", "payload", "imported_values",
                  "content_hash", "line")  # fmt: skip
LOCATION_COLUMNS = ("initiative_id", "commune_id", "postal_code", "address", "label", "latitude", "longitude",
                    "coordinates_look_swapped", "precision", "position")  # fmt: skip
TEXT_COLUMNS = INITIATIVE_COLUMNS[2:-1]
ADDRESS, COMMUNE = str(Location.Precision.ADDRESS), str(Location.Precision.COMMUNE)


@dataclass
class Plan:
    new: list = field(default_factory=list)  # candidates
    changed: list = field(default_factory=list)  # (existing row, candidate)
    unchanged: list = field(default_factory=list)  # existing rows
    absent: list = field(default_factory=list)  # existing rows newly missing
    present_before: int = 0


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    conflicts: list = field(default_factory=list)
    returned: int = 0
    touched: set = field(default_factory=set)  # initiative ids to re-index


class Writer:
    def __init__(self, source, run, now=None):
        self.source, self.run, self.now = source, run, now or timezone.now()
        self.existing = {
            row["external_id"]: row
            for row in SourceRecord.objects.filter(source=source).values(
                "id", "external_id", "initiative_id", "content_hash", "imported_values", "absent_since"
            )
        }
        self.term_ids = {
            f"{vocabulary}:{code}": pk for pk, vocabulary, code in Term.objects.values_list("pk", "vocabulary", "code")
        }
        self.outcome = Outcome()

    def plan(self, records: dict[str, Candidate]) -> Plan:
        plan = Plan(present_before=sum(1 for row in self.existing.values() if row["absent_since"] is None))
        for key, candidate in records.items():
            row = self.existing.get(key)
            candidate.values = values_of(candidate)
            candidate.hash = content_hash(candidate.values)
            if row is None:
                plan.new.append(candidate)
            elif row["content_hash"] == candidate.hash:
                plan.unchanged.append(row)
            else:
                plan.changed.append((row, candidate))
        plan.absent = [row for key, row in self.existing.items() if key not in records and row["absent_since"] is None]
        return plan

    def apply(self, plan: Plan) -> Outcome:
        self._create(plan.new)
        self._update(plan.changed)
        self._returning([row for row in plan.unchanged if row["absent_since"] is not None])
        self._mark_absent(plan.absent)
        return self.outcome

    # -- creation ------------------------------------------------------------------------------------------------
    def _create(self, candidates: list[Candidate]) -> None:
        """New initiatives, their places, terms, carriers and provenance: plain tuples, a few statements in all."""
        if not candidates:
            return
        taken = set(Initiative.objects.values_list("slug", flat=True))
        taken |= set(SlugRedirect.objects.filter(model="initiative").values_list("old_slug", flat=True))
        rows, by_slug = [], {}
        for candidate in candidates:
            fields = candidate.fields
            slug = unique_slug(fields["name"], taken.__contains__, max_length=160)
            taken.add(slug)
            by_slug[slug] = candidate
            rows.append(
                (fields["name"], slug, *(fields.get(name, "") for name in TEXT_COLUMNS), fields.get("start_year"))
            )
        now = self.now
        table = Table(Initiative, INITIATIVE_COLUMNS, {"status": Initiative.Status.PUBLISHED, "published_at": now,
                                                       "created_at": now, "updated_at": now})  # fmt: skip
        pairs = [(by_slug[slug], pk) for pk, slug in table.insert_returning(rows, ("id", "slug"))]
        pairs.sort(key=lambda pair: pair[1])
        self._write_locations([(pk, candidate.locations) for candidate, pk in pairs])
        self._add_terms([(pk, candidate.terms) for candidate, pk in pairs])
        if any(candidate.fields.get("organisation") for candidate, _pk in pairs):
            OrganisationLinker().link([(pk, candidate.fields) for candidate, pk in pairs])
        Table(SourceRecord, RECORD_COLUMNS, {"source_id": self.source.pk, "fetched_at": now}).insert(
            [self._record_row(candidate, pk) for candidate, pk in pairs]
        )
        self.outcome.created += len(pairs)
        self.outcome.touched.update(pk for _candidate, pk in pairs)

    def _record_row(self, candidate: Candidate, initiative_id: int) -> tuple:
        return (candidate.key, initiative_id, candidate.fields.get("source_url", ""), _updated_at(candidate),
                candidate.payload, candidate.values, candidate.hash, candidate.line)  # fmt: skip

    def _record(self, candidate: Candidate, initiative_id: int) -> SourceRecord:
        return SourceRecord(
            source=self.source,
            fetched_at=self.now,
            **dict(zip(RECORD_COLUMNS, self._record_row(candidate, initiative_id), strict=True)),
        )

    def _write_locations(self, items) -> None:
        rows = [
            (initiative_id, place["commune"], place.get("postal_code", ""), place.get("address", ""),
             place.get("label", ""), place.get("latitude"), place.get("longitude"), bool(place.get("swapped")),
             ADDRESS if place.get("address") and place.get("latitude") is not None else COMMUNE, position)
            for initiative_id, places in items
            for position, place in enumerate(places)
        ]  # fmt: skip
        Table(Location, LOCATION_COLUMNS).insert(rows)

    def _add_terms(self, items) -> None:
        by_relation: dict[str, list] = {}
        for initiative_id, terms in items:
            for term in terms:
                relation = TERM_RELATIONS.get(term.split(":")[0])
                if relation and term in self.term_ids:
                    by_relation.setdefault(relation, []).append((initiative_id, self.term_ids[term]))
        for relation, pairs in by_relation.items():
            Table(getattr(Initiative, relation).through, ("initiative_id", "term_id")).insert(
                pairs, ignore_conflicts=True
            )

    def _remove_terms(self, items) -> None:
        for initiative_id, terms in items:
            for term in terms:
                relation = TERM_RELATIONS.get(term.split(":")[0])
                if relation and term in self.term_ids:
                    through = getattr(Initiative, relation).through
                    through.objects.filter(initiative_id=initiative_id, term_id=self.term_ids[term]).delete()

    # -- updates -------------------------------------------------------------------------------------------------
    def _update(self, changed) -> None:
        if not changed:
            return
        from carrefour.sources.updates import Updater

        Updater(self).run(changed)

    def _returning(self, rows) -> None:
        """Records back in the feed: no longer absent; republished if the import had archived them."""
        ids = [row["id"] for row in rows]
        if not ids:
            return
        archived = SourceRecord.objects.filter(pk__in=ids, archived_by_sync=True).values_list(
            "initiative_id", flat=True
        )
        initiative_ids = set(archived)
        Initiative.objects.filter(pk__in=initiative_ids, status=Initiative.Status.ARCHIVED).update(
            status=Initiative.Status.PUBLISHED, updated_at=self.now
        )
        SourceRecord.objects.filter(pk__in=ids).update(absent_since=None, archived_by_sync=False)
        self.outcome.returned += len(ids)
        self.outcome.touched |= initiative_ids

    def _mark_absent(self, rows) -> None:
        ids = [row["id"] for row in rows]
        for start in range(0, len(ids), UPDATE_BATCH):
            SourceRecord.objects.filter(pk__in=ids[start : start + UPDATE_BATCH]).update(absent_since=self.now)

    def conflict(self, record_id: int, field_name: str, local, incoming) -> SyncConflict:
        conflict = SyncConflict(
            record_id=record_id, run=self.run, field=field_name, local_value=local, incoming_value=incoming
        )
        self.outcome.conflicts.append(conflict)
        return conflict


def location_fields(place: dict) -> dict:
    """A place as imported (see records.location_signature) → `Location` field values."""
    return {
        "commune_id": place["commune"],
        "postal_code": place.get("postal_code") or "",
        "address": place.get("address") or "",
        "label": place.get("label") or "",
        "latitude": place.get("latitude"),
        "longitude": place.get("longitude"),
        "coordinates_look_swapped": bool(place.get("swapped")),
        "precision": ADDRESS if place.get("address") and place.get("latitude") is not None else COMMUNE,
    }


def _updated_at(candidate: Candidate):
    value = candidate.fields.get("updated_at")
    if not value:
        return None
    return timezone.make_aware(dt.datetime.fromisoformat(value))


def archive_absent(source=None, now=None) -> list[int]:
    """Unpublish (archive) initiatives whose every source record has been absent for 7 days. Never deletes."""
    now = now or timezone.now()
    records = SourceRecord.objects.filter(absent_since__lte=now - ARCHIVE_AFTER, archived_by_sync=False)
    if source is not None:
        records = records.filter(source=source)
    candidates = set(records.values_list("initiative_id", flat=True))
    still_fed = set(
        SourceRecord.objects.filter(initiative_id__in=candidates, absent_since=None).values_list(
            "initiative_id", flat=True
        )
    )
    to_archive = sorted(candidates - still_fed)
    published = list(
        Initiative.objects.filter(pk__in=to_archive, status=Initiative.Status.PUBLISHED).values_list("pk", flat=True)
    )
    Initiative.objects.filter(pk__in=published).update(status=Initiative.Status.ARCHIVED, updated_at=now)
    records.filter(initiative_id__in=published).update(archived_by_sync=True)
    return published
