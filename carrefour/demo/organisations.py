"""Demo organisations: carriers (≈ 30 % of them carry several initiatives), local and national supporters."""

import random
from dataclasses import dataclass
from datetime import datetime
from itertools import accumulate

from carrefour.catalog.models import Organisation
from carrefour.demo.clock import DemoClock
from carrefour.demo.identifiers import fake_rna, fake_siren, fake_siret
from carrefour.demo.names import NameMaker, SlugAllocator
from carrefour.demo.places import CommunePicker
from carrefour.demo.reference import OrgKind, Place
from carrefour.demo.texts import TextMaker

MULTI_CARRIER_RATE = 0.3
WEBSITE_RATE = 0.5


@dataclass(eq=False)
class OrgDraft:
    organisation: Organisation
    place: Place
    created_at: datetime
    updated_at: datetime
    has_located_initiative: bool = False


class OrganisationFactory:
    def __init__(
        self,
        rng: random.Random,
        kinds: list[OrgKind],
        *,
        picker: CommunePicker,
        names: NameMaker,
        texts: TextMaker,
        clock: DemoClock,
        slugs: SlugAllocator,
        national_cap: int = 3,
    ):
        self._rng = rng
        self._kinds = kinds
        self._picker = picker
        self._names = names
        self._texts = texts
        self._clock = clock
        self._slugs = slugs
        self._national_cap = national_cap
        self._weights = {role: self._role_weights(role) for role in ("carrier", "partner", "funder")}
        self._local: dict[tuple[int, str], OrgDraft] = {}
        self._national: dict[int, list[OrgDraft]] = {}
        self.drafts: list[OrgDraft] = []

    def carrier_schedule(self, size: int) -> list[OrgDraft]:
        """The carrier of each of `size` initiatives, in a shuffled order."""
        slots: list[OrgDraft] = []
        while len(slots) < size:
            count = self._rng.randint(2, 5) if self._rng.random() < MULTI_CARRIER_RATE else 1
            slots.extend([self._carrier()] * count)
        slots = slots[:size]
        self._rng.shuffle(slots)
        return slots

    def supporter(self, role: str, place: Place) -> OrgDraft:
        """A partner or funder: the local body of `place` or an organisation of the national pool."""
        index = self._draw_kind(role)
        if self._kinds[index].entry.get("local"):
            return self._local_org(index, place)
        pool = self._national.setdefault(index, [])
        if len(pool) < self._national_cap and (not pool or self._rng.random() < 0.5):
            pool.append(self._new(self._kinds[index], self._picker.pick()))
        return self._rng.choice(pool)

    def _carrier(self) -> OrgDraft:
        index = self._draw_kind("carrier")
        place = self._picker.pick()
        if self._kinds[index].entry.get("local"):
            return self._local_org(index, place)
        return self._new(self._kinds[index], place)

    def _local_org(self, index: int, place: Place) -> OrgDraft:
        key = (index, place.code)
        if key not in self._local:
            self._local[key] = self._new(self._kinds[index], place)
        return self._local[key]

    def _role_weights(self, role: str) -> list[int]:
        weights = [kind.entry["roles"][role] for kind in self._kinds]
        return list(accumulate(weights if any(weights) else [1] * len(weights)))

    def _draw_kind(self, role: str) -> int:
        return self._rng.choices(range(len(self._kinds)), cum_weights=self._weights[role])[0]

    def _new(self, kind: OrgKind, place: Place) -> OrgDraft:
        rng = self._rng
        name = self._names.organisation(kind, place)
        slug = self._slugs.allocate(name)
        organisation = Organisation(
            name=name,
            slug=slug,
            structure_type=kind.term,
            website=f"https://www.example.org/organisations/{slug}" if rng.random() < WEBSITE_RATE else "",
            description=self._texts.organisation(
                name, kind.entry, place, rng.randint(1975, 2024), self._names.mission()
            ),
            commune_id=place.code,
            is_demo=True,
        )
        self._set_identifiers(organisation, kind.entry["ids"], place)
        created_at = self._clock.past(3000)
        draft = OrgDraft(organisation, place, created_at, self._clock.between(created_at))
        self.drafts.append(draft)
        return draft

    def _set_identifiers(self, organisation: Organisation, scheme: str, place: Place) -> None:
        draw = self._rng.random()
        if scheme == "mixed" and draw < 0.75:
            organisation.rna = fake_rna(self._rng, place.departement)
        if scheme == "siret" or (scheme == "mixed" and 0.5 <= draw < 0.75):
            organisation.siren = fake_siren(self._rng)
            organisation.siret = fake_siret(self._rng, organisation.siren)
