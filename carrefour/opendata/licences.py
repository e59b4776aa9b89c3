"""The open-data distributions (one per output licence) and the rule deciding which initiatives go into each.

The rule is data (`data/licences.yaml`, where it is explained): an initiative with no partner source, or with at
least one source under a licence the distribution accepts, goes in; share-alike sources only feed the ODbL files.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from django.db.models import Exists, OuterRef, Q, QuerySet

from carrefour.sources.models import Licence, SourceRecord

DATA_FILE = Path(__file__).resolve().parent / "data" / "licences.yaml"


@dataclass(frozen=True)
class Distribution:
    key: str  # etalab | odbl
    licence: str  # a `sources.Licence` value
    suffix: str  # added to file names ("" for the default distribution)
    name: str
    url: str
    accepts: tuple[str, ...]  # partner licences whose records may go in


@cache
def distributions() -> tuple[Distribution, ...]:
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    found = []
    for entry in data["distributions"]:
        unknown = (set(entry["accepts"]) | {entry["licence"]}) - set(Licence.values)
        if unknown:
            raise ValueError(f"{DATA_FILE.name}: unknown licence(s) {sorted(unknown)} in {entry['key']}")
        found.append(Distribution(**{**entry, "accepts": tuple(entry["accepts"])}))
    return tuple(found)


def distribution(key: str) -> Distribution:
    for item in distributions():
        if item.key == key:
            return item
    raise KeyError(key)


def default_distribution() -> Distribution:
    return distributions()[0]


def eligible(queryset: QuerySet, dist: Distribution) -> QuerySet:
    """The initiatives of `queryset` that may be published under `dist` (see the module docstring)."""
    records = SourceRecord.objects.filter(initiative=OuterRef("pk"))
    return queryset.filter(
        ~Exists(records) | Exists(records.filter(source__licence__in=dist.accepts)),
    )


def excluded_everywhere(queryset: QuerySet) -> QuerySet:
    """The initiatives of `queryset` that no distribution may carry (their only sources have unknown terms)."""
    accepted = {licence for dist in distributions() for licence in dist.accepts}
    records = SourceRecord.objects.filter(initiative=OuterRef("pk"))
    return queryset.filter(Q(Exists(records)) & ~Exists(records.filter(source__licence__in=accepted)))
