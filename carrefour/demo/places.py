"""Where demo initiatives and organisations are: communes drawn by population, nearby communes, addresses."""

import random
from collections import defaultdict
from itertools import accumulate

from carrefour.catalog.models import Location
from carrefour.demo.french import of_place
from carrefour.demo.reference import Place, Reference
from carrefour.demo.vocabulary import templates


class CommunePicker:
    """Draws communes with a probability proportional to their population."""

    def __init__(self, rng: random.Random, places: list[Place]):
        if not places:
            raise ValueError("no commune with coordinates")
        self._rng = rng
        self._places = places
        self._cumulative = list(accumulate(max(place.population, 1) for place in places))
        self._groups: dict[tuple[str, str], tuple[list[Place], list[int]]] = {}
        self._by_departement: dict[str, list[Place]] = defaultdict(list)
        self._by_region: dict[str, list[Place]] = defaultdict(list)
        for place in places:
            self._by_departement[place.departement].append(place)
            self._by_region[place.region].append(place)

    def pick(self) -> Place:
        return self._rng.choices(self._places, cum_weights=self._cumulative)[0]

    def pick_near(self, place: Place) -> Place:
        """A commune of the same département (of the same région when the département has only one)."""
        group, cumulative = self._group(place)
        return self._rng.choices(group, cum_weights=cumulative)[0]

    def pick_distinct_near(self, place: Place, count: int) -> list[Place]:
        """`count` nearby communes other than `place`, distinct when the département allows it."""
        chosen: list[Place] = []
        for _ in range(count):
            candidate = self.pick_near(place)
            for _retry in range(4):
                if candidate != place and candidate not in chosen:
                    break
                candidate = self.pick_near(place)
            chosen.append(candidate)
        return chosen

    def _group(self, place: Place) -> tuple[list[Place], list[int]]:
        members = self._by_departement[place.departement]
        key = ("departement", place.departement)
        if len(members) < 2:
            members, key = self._by_region[place.region], ("region", place.region)
        if key not in self._groups:
            self._groups[key] = (members, list(accumulate(max(p.population, 1) for p in members)))
        return self._groups[key]


class LocationFactory:
    """Unsaved `Location` rows: the commune's representative point, precision « commune »."""

    ADDRESS_RATE = 0.2
    LABEL_RATE = 0.25

    def __init__(self, rng: random.Random, reference: Reference):
        self._rng = rng
        self._postal_codes = reference.postal_codes
        common = templates("common")
        self._streets = common["streets"]
        self._site_labels = common["site_labels"]
        self._venues = common["venues"]

    def build(self, places: list[Place]) -> list[Location]:
        several = len(places) > 1
        return [self._location(place, position, several) for position, place in enumerate(places)]

    def _location(self, place: Place, position: int, several: bool) -> Location:
        rng = self._rng
        address = ""
        if rng.random() < self.ADDRESS_RATE:
            address = f"{rng.randint(1, 140)} {rng.choice(self._streets)}"
        return Location(
            label=self._label(place, position, several),
            address=address,
            postal_code=self._postal_codes.get(place.code, ""),
            commune_id=place.code,
            latitude=place.latitude,
            longitude=place.longitude,
            precision=Location.Precision.COMMUNE,
            position=position,
        )

    def _label(self, place: Place, position: int, several: bool) -> str:
        if several:
            label = self._site_labels[0] if position == 0 else self._rng.choice(self._site_labels[1:])
            return label.format(of_commune=of_place(place.name))
        if self._rng.random() < self.LABEL_RATE:
            return self._rng.choice(self._venues)
        return ""
