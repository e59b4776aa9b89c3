"""The quality score of a sheet: how complete it is and how sure we are that it still holds.

One definition, used by the search ranking (at index time, from bulk-read rows) and shown to holders and moderators
(from a model instance) with what to improve. The criteria and their weights are documented in search/RANKING.md.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carrefour.catalog.models.organisation import Role

DESCRIPTION_FULL_LENGTH = 800  # characters of description worth the whole description share
CONFIRMED_RECENTLY_DAYS = 365
PRECISION_POINTS = {"address": 0.15, "commune": 0.10}
OTHER_PRECISION_POINTS = 0.03


@dataclass(frozen=True)
class Facts:
    """What the score looks at, whatever it was read from."""

    description_length: int
    has_themes: bool
    has_publics: bool
    precisions: tuple[str, ...]
    has_website: bool
    has_image: bool
    has_carrier: bool
    confirmed_at: datetime | None


@dataclass(frozen=True)
class QualityReport:
    score: float  # in [0, 1]
    missing: list[str]  # French advice, the most rewarding first

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def _description(facts: Facts, now: datetime) -> float:
    return min(facts.description_length / DESCRIPTION_FULL_LENGTH, 1.0)


def _location(facts: Facts, now: datetime) -> float:
    best = max((PRECISION_POINTS.get(p, OTHER_PRECISION_POINTS) for p in facts.precisions), default=0.0)
    return best / PRECISION_POINTS["address"]


def _confirmed(facts: Facts, now: datetime) -> float:
    if facts.confirmed_at is None:
        return 0.0
    return 1.0 if (now - facts.confirmed_at).days <= CONFIRMED_RECENTLY_DAYS else 0.5


# (weight, share of the weight earned in [0, 1], advice when not fully earned)
CRITERIA = (
    (0.20, _description, _("Décrivez l'initiative plus en détail (800 caractères donnent tous les points).")),
    (0.15, lambda f, now: float(f.has_themes), _("Choisissez au moins une thématique.")),
    (0.10, lambda f, now: float(f.has_publics), _("Indiquez les publics concernés.")),
    (0.15, _location, _("Précisez l'adresse du lieu.")),
    (0.10, lambda f, now: float(f.has_website), _("Ajoutez le site web de l'initiative.")),
    (0.10, lambda f, now: float(f.has_image), _("Ajoutez une image.")),
    (0.10, lambda f, now: float(f.has_carrier), _("Indiquez l'organisation qui porte l'initiative.")),
    (0.10, _confirmed, _("Confirmez que la fiche est toujours à jour.")),
)


def evaluate(facts: Facts, now: datetime | None = None) -> QualityReport:
    now = now or timezone.now()
    earned = [(weight, min(max(share(facts, now), 0.0), 1.0), advice) for weight, share, advice in CRITERIA]
    score = round(min(sum(weight * share for weight, share, _advice in earned), 1.0), 4)
    lacking = sorted((item for item in earned if item[1] < 1.0), key=lambda item: -item[0] * (1.0 - item[1]))
    return QualityReport(score=score, missing=[str(advice) for _weight, _share, advice in lacking])


def facts_of(initiative) -> Facts:
    """The facts of a saved initiative (a few queries; for one sheet at a time)."""
    return Facts(
        description_length=len(initiative.description or ""),
        has_themes=initiative.themes.exists(),
        has_publics=initiative.publics.exists(),
        precisions=tuple(initiative.locations.values_list("precision", flat=True)),
        has_website=bool(initiative.website),
        has_image=initiative.images.exists(),
        has_carrier=initiative.stakeholders.filter(role=Role.CARRIER).exists(),
        confirmed_at=initiative.last_confirmed_at,
    )


def quality_report(initiative, now: datetime | None = None) -> QualityReport:
    return evaluate(facts_of(initiative), now)
