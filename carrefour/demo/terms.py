"""Which taxonomy terms each demo initiative gets.

The first initiatives take the terms of every vocabulary in turn, so that each theme (N1 and N2), public, type of
place, stage, scale and form of innovation is used at least once as soon as the size allows; the rest are drawn at
random, with a preference for the themes and publics that suit the type of place.
"""

import random
from dataclasses import dataclass
from itertools import accumulate

from carrefour.catalog.models import Term, Vocabulary
from carrefour.demo.reference import PlaceKind, Reference

PREFERRED_RATE = 0.75


@dataclass
class TermChoice:
    themes: list[Term]
    publics: list[Term]
    forms: list[Term]
    stage: Term | None
    scale: Term | None


class TermDrawer:
    def __init__(self, rng: random.Random, reference: Reference):
        self._rng = rng
        self._kinds = reference.place_kinds
        self._kind_weights = list(accumulate(kind.weight for kind in self._kinds))
        self._themes = reference.vocabulary(Vocabulary.THEME)
        self._themes_by_id = {term.pk: term for term in self._themes}
        self._publics = reference.vocabulary(Vocabulary.PUBLIC)
        self._forms = reference.vocabulary(Vocabulary.INNOVATION_FORM)
        self._stages = reference.vocabulary(Vocabulary.STAGE)
        self._scales = reference.vocabulary(Vocabulary.SCALE)
        self._scale_weights = list(accumulate(1 / (rank + 1) for rank in range(len(self._scales))))
        vocabularies = (self._kinds, self._themes, self._publics, self._forms, self._stages, self._scales)
        self.coverage = max(len(terms) for terms in vocabularies)

    def place_kind(self, index: int) -> PlaceKind:
        if index < len(self._kinds):
            return self._kinds[index]
        return self._rng.choices(self._kinds, cum_weights=self._kind_weights)[0]

    def choose(self, index: int, kind: PlaceKind) -> TermChoice:
        return TermChoice(
            themes=self._with_parents(self._several(index, self._themes, kind.themes, extra=(0, 1, 1, 2))),
            publics=self._several(index, self._publics, kind.publics, extra=(0, 0, 1, 2)),
            forms=self._forms_for(index),
            stage=self._covered(index, self._stages) or self._any(self._stages),
            scale=self._covered(index, self._scales) or self._weighted_scale(),
        )

    def _several(self, index: int, terms: list[Term], preferred: list[Term], extra: tuple) -> list[Term]:
        first = self._covered(index, terms) or self._preferred(preferred, terms)
        if first is None:
            return []
        chosen = [first]
        for _ in range(self._rng.choice(extra)):
            term = self._preferred(preferred, terms)
            if term not in chosen:
                chosen.append(term)
        return chosen

    def _with_parents(self, themes: list[Term]) -> list[Term]:
        result: list[Term] = []
        for term in themes:
            for member in (self._themes_by_id.get(term.parent_id), term):
                if member is not None and member not in result:
                    result.append(member)
        return result

    def _forms_for(self, index: int) -> list[Term]:
        covered = self._covered(index, self._forms)
        count = self._rng.choice((0, 1, 1, 2))
        drawn = self._rng.sample(self._forms, k=min(count, len(self._forms)))
        if covered is None:
            return drawn
        return [covered, *[term for term in drawn[:1] if term != covered]]

    def _preferred(self, preferred: list[Term], terms: list[Term]) -> Term | None:
        if preferred and self._rng.random() < PREFERRED_RATE:
            return self._rng.choice(preferred)
        return self._any(terms)

    def _any(self, terms: list[Term]) -> Term | None:
        return self._rng.choice(terms) if terms else None

    def _weighted_scale(self) -> Term | None:
        if not self._scales:
            return None
        return self._rng.choices(self._scales, cum_weights=self._scale_weights)[0]

    @staticmethod
    def _covered(index: int, terms: list) -> Term | None:
        return terms[index] if index < len(terms) else None
