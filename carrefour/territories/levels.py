"""The four levels of territory pages, as data: model, search facet, URL, child level, population bands.

A territory is addressed by (level name, code). The search facet of a level has the same name as the level, so that
`SearchRequest(filters={level.name: (code,)})` selects the initiatives located in it.
"""

import re
from dataclasses import dataclass

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from carrefour.territories.models import EPCI, Commune, Departement, Region


@dataclass(frozen=True)
class Level:
    name: str  # also the search facet
    model: type[models.Model]
    url_name: str  # territories:<url_name>
    label: object  # lazy French label, singular
    plural: object
    code_pattern: re.Pattern
    children: tuple[str, ...]  # child levels offered by the choropleth, the first one by default
    # Upper bounds of the population bands (inhabitants); the last band is open-ended. See GAPS.md.
    population_bands: tuple[int, ...]

    def url(self, code: str, suffix: str = "") -> str:
        return reverse(f"territories:{self.url_name}{suffix}", kwargs={"code": code})

    def is_valid_code(self, code: str) -> bool:
        return bool(self.code_pattern.fullmatch(code or ""))


LEVELS: dict[str, Level] = {
    "region": Level(
        "region",
        Region,
        "region",
        _("région"),
        _("régions"),
        re.compile(r"\d{2}"),
        ("departement",),
        (2_000_000, 4_000_000, 6_000_000),
    ),
    "departement": Level(
        "departement",
        Departement,
        "departement",
        _("département"),
        _("départements"),
        re.compile(r"\d{2,3}|2[AB]"),
        ("epci", "commune"),
        (300_000, 600_000, 1_000_000, 1_500_000),
    ),
    "epci": Level(
        "epci",
        EPCI,
        "epci",
        _("intercommunalité"),
        _("intercommunalités"),
        re.compile(r"\d{9}"),
        ("commune",),
        (20_000, 50_000, 100_000, 300_000),
    ),
    "commune": Level(
        "commune",
        Commune,
        "commune",
        _("commune"),
        _("communes"),
        re.compile(r"\d{5}|2[AB]\d{3}"),
        (),
        (2_000, 10_000, 50_000, 200_000),
    ),
}

# Rural/urban character from the population density (inhabitants per km²); upper bounds, the last class open-ended.
DENSITY_CLASSES = (
    (50.0, _("rural")),
    (250.0, _("intermédiaire")),
    (1500.0, _("urbain")),
    (float("inf"), _("très urbain")),
)


def population_band(level: Level, population: int) -> int:
    return next(
        (index for index, bound in enumerate(level.population_bands) if population < bound), len(level.population_bands)
    )


def density_class(density: float | None) -> int | None:
    if density is None:
        return None
    return next(index for index, (bound, _label) in enumerate(DENSITY_CLASSES) if density < bound)


def density_label(density: float | None):
    index = density_class(density)
    return DENSITY_CLASSES[index][1] if index is not None else ""


def members_filter(level: str, code: str) -> models.Q:
    """Communes of a territory, as a filter on Commune."""
    return models.Q(pk=code) if level == "commune" else models.Q(**{f"{level}_id": code})


def ancestors(level: str, territory) -> list[tuple[str, object]]:
    """(level name, territory) from the région down to the parent of `territory` (the breadcrumb trail)."""
    if level == "region":
        return []
    if level == "departement":
        return [("region", territory.region)]
    if level == "commune":
        trail = [("region", territory.region), ("departement", territory.departement)]
        return trail + ([("epci", territory.epci)] if territory.epci_id else [])
    # An EPCI may straddle départements: its trail follows its most populated commune.
    main = (
        Commune.objects.filter(epci=territory)
        .select_related("region", "departement")
        .defer("geometry", "departement__outline")
        .order_by("-population")
        .first()
    )
    return [("region", main.region), ("departement", main.departement)] if main else []


def trail(level: str, territory) -> list[dict]:
    """The breadcrumb steps above a territory: name and address of each ancestor."""
    return [{"name": item.name, "url": LEVELS[name].url(item.pk)} for name, item in ancestors(level, territory)]
