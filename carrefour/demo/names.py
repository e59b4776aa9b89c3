"""Names and slugs of demo initiatives and organisations."""

import random

from django.utils.text import slugify

from carrefour.core.text import fold
from carrefour.demo.french import of_place
from carrefour.demo.reference import OrgKind, Place, PlaceKind
from carrefour.demo.vocabulary import templates

NAME_ATTEMPTS = 5


class SlugAllocator:
    """Unique slugs computed in memory, like `carrefour.core.text.unique_slug` but in O(1) per name.

    The base is the same (`slugify(fold(name))`); the counter per base is remembered instead of re-probed.
    """

    def __init__(self, taken: set[str], max_length: int, fallback: str = "fiche"):
        self._taken = taken
        self._max_length = max_length
        self._fallback = fallback
        self._next_counter: dict[str, int] = {}

    def allocate(self, name: str) -> str:
        base = (slugify(fold(name)) or self._fallback)[: self._max_length].strip("-")
        candidate = base
        if candidate in self._taken:
            counter = self._next_counter.get(base, 2)
            while candidate in self._taken:
                suffix = f"-{counter}"
                candidate = f"{base[: self._max_length - len(suffix)]}{suffix}"
                counter += 1
            self._next_counter[base] = counter
        self._taken.add(candidate)
        return candidate


class NameMaker:
    """Plausible French names from the templates, avoiding repeats when it can."""

    def __init__(self, rng: random.Random):
        self._rng = rng
        common = templates("common")
        self._spots = common["spots"]
        self._org_creative = common["org_creative"]
        self._missions = common["missions"]
        self._used: set[str] = set()

    def initiative(self, kind: PlaceKind, place: Place) -> str:
        entry = kind.entry
        return self._unique(
            lambda: self._rng.choice(entry["names"]).format(
                title=entry["title"],
                creative=self._rng.choice(entry["creative"]),
                spot=self._rng.choice(self._spots),
                of_commune=of_place(place.name),
                commune=place.name,
            ),
            max_length=150,
        )

    def organisation(self, kind: OrgKind, place: Place) -> str:
        return self._unique(
            lambda: self._rng.choice(kind.entry["names"]).format(
                org_creative=self._rng.choice(self._org_creative),
                mission=self._rng.choice(self._missions),
                spot=self._rng.choice(self._spots),
                of_commune=of_place(place.name),
            ),
            max_length=200,
        )

    def mission(self) -> str:
        return self._rng.choice(self._missions)

    def _unique(self, make, max_length: int) -> str:
        for _ in range(NAME_ATTEMPTS):
            name = make()[:max_length]
            if name.lower() not in self._used:
                break
        self._used.add(name.lower())
        return name
