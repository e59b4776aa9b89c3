"""Demo partner sources and the source records (provenance) of part of the demo initiatives."""

import random

from carrefour.catalog.models import Initiative
from carrefour.demo.clock import DemoClock
from carrefour.demo.reference import Place, PlaceKind
from carrefour.demo.vocabulary import matches, templates
from carrefour.sources.models import Source, SourceRecord

RECORD_RATE = 0.4


class DemoSources:
    def __init__(self, rng: random.Random, clock: DemoClock):
        self._rng = rng
        self._clock = clock
        self._entries = templates("common")["sources"]
        self.sources = [
            Source(
                name=entry["name"],
                slug=entry["slug"],
                website=f"https://www.example.org/{entry['slug']}",
                licence=entry["licence"],
                attribution=entry["attribution"],
                is_demo=True,
            )
            for entry in self._entries
        ]
        self._counters = [0] * len(self.sources)
        self._by_kind: dict[PlaceKind, int] = {}

    def maybe_record(self, initiative: Initiative, kind: PlaceKind, place: Place) -> SourceRecord | None:
        if self._rng.random() >= RECORD_RATE:
            return None
        index = self._source_index(kind)
        self._counters[index] += 1
        source = self.sources[index]
        external_id = f"{source.slug.removeprefix('demo-')}-{self._counters[index]:06d}"
        source_updated_at = self._clock.past(900)
        return SourceRecord(
            source=source,
            external_id=external_id,
            initiative=initiative,
            url=f"https://www.example.org/{source.slug}/fiches/{external_id}",
            fetched_at=self._clock.between(source_updated_at),
            source_updated_at=source_updated_at,
            payload={
                "id": external_id,
                "nom": initiative.name,
                "commune": place.name,
                "code_insee": place.code,
                "categorie": kind.term.label if kind.term else "",
                "resume": initiative.summary,
            },
        )

    def _source_index(self, kind: PlaceKind) -> int:
        if kind not in self._by_kind:
            texts = (kind.term.code, kind.term.label) if kind.term else ("",)
            self._by_kind[kind] = next(
                (i for i, entry in enumerate(self._entries) if entry["match"] and matches(entry["match"], *texts)),
                len(self._entries) - 1,
            )
        return self._by_kind[kind]
