"""Gap analysis (« zones blanches »): kinds of initiatives common in comparable territories but absent or rare here.

The method, its thresholds and their reasons are in GAPS.md. In short: the comparables are covered territories of
the same level (similar rural/urban character and population band, or the neighbours); a place type or theme is a
gap when at least half of them have it and the rate here (per 10,000 inhabitants) is at most a quarter of their
median rate. Each gap comes with proven examples from the comparables. Every count comes from the search engine.
"""

import math
import statistics
from collections import Counter
from dataclasses import dataclass, field

from django.core.cache import cache
from django.urls import NoReverseMatch, reverse

from carrefour import search
from carrefour.catalog.quality import quality_report
from carrefour.catalog.queries import public_results
from carrefour.search.types import MAX_FILTER_VALUES, SearchRequest
from carrefour.territories import counts, shapes
from carrefour.territories.levels import LEVELS, density_class, population_band

GAP_FACETS = ("type", "theme")
BASES = ("similaires", "voisins")
MAX_COMPARABLES = 12
MIN_COMPARABLES = 3  # covered comparables needed for a median to mean something
MIN_PRESENCE = 0.5  # share of the comparables that have the kind of initiative
RARE_SHARE = 0.25  # « rare here »: a rate at most this share of the comparables' median rate
EXAMPLES = 3
EXAMPLE_CANDIDATES = 12
MIN_EXAMPLE_QUALITY = 0.5  # `carrefour.catalog.quality` score of a proven example
CACHE_SECONDS = 15 * 60
# Where comparable communes and EPCI are looked for: the engine lists the most covered of a large facet only, so
# the pool is bounded by a parent (the département of a commune, the région of an EPCI).
POOL_PARENT = {"commune": "departement", "epci": "region"}


@dataclass
class Profile:
    """A territory as the analysis sees it: population, total initiatives and counts per facet value."""

    code: str
    population: int
    total: int
    counts: dict[str, Counter] = field(default_factory=dict)

    def rate(self, facet: str, value: str) -> float:
        return self.counts.get(facet, Counter()).get(value, 0) * counts.PER / self.population


@dataclass
class Gap:
    facet: str
    value: str
    here_count: int
    here_rate: float
    median_rate: float
    present_in: int  # comparables having it
    compared: int  # comparables used
    examples: list[dict] = field(default_factory=list)

    @property
    def absent(self) -> bool:
        return self.here_count == 0


@dataclass
class Analysis:
    basis: str
    peers: list[Profile]  # the covered comparables used
    gaps: list[Gap]
    enough: bool  # False: fewer than MIN_COMPARABLES covered comparables, no gap is claimed


def find_gaps(target: Profile, peers: list[Profile], facets: tuple[str, ...] = GAP_FACETS) -> list[Gap]:
    """The gaps of `target` against `peers` (pure: no database, no engine). Peers without any initiative or
    population are ignored: the catalogue does not cover them, their zeros say nothing."""
    used = [peer for peer in peers if peer.total > 0 and peer.population > 0 and peer.code != target.code]
    if len(used) < MIN_COMPARABLES or target.population <= 0:
        return []
    gaps = []
    for facet in facets:
        values = sorted({value for peer in used for value in peer.counts.get(facet, ())})
        for value in values:
            rates = [peer.rate(facet, value) for peer in used]
            present = sum(1 for value_rate in rates if value_rate > 0)
            median = statistics.median(rates)
            here = target.rate(facet, value)
            if present / len(used) >= MIN_PRESENCE and median > 0 and here <= RARE_SHARE * median:
                here_count = target.counts.get(facet, Counter()).get(value, 0)
                gaps.append(Gap(facet, value, here_count, here, median, present, len(used)))
    gaps.sort(key=lambda gap: (-gap.present_in / gap.compared, -gap.median_rate, gap.facet, gap.value))
    return gaps


def comparable_codes(level: str, territory, basis: str) -> list[str]:
    """Codes of the covered territories the target is compared with, the most similar first."""
    if basis == "voisins":
        return list(shapes.neighbour_codes(level, territory.pk))
    parent = POOL_PARENT.get(level)
    within = (parent, getattr(territory, f"{parent}_id")) if parent and level == "commune" else None
    if level == "epci":
        within = _epci_region(territory)
    pool = [code for code in counts.covered(level, within) if code != territory.pk]
    populations = dict(LEVELS[level].model.objects.filter(pk__in=pool).values_list("pk", "population"))
    target_key = _character(level, territory.pk, territory.population)
    ranked = sorted(
        (code for code in pool if populations.get(code)),
        key=lambda code: (_distance(target_key, _character(level, code, populations[code])), code),
    )
    return ranked[:MAX_COMPARABLES]


def _epci_region(territory) -> tuple[str, str] | None:
    main = territory.communes.order_by("-population").values_list("region_id", flat=True).first()
    return ("region", main) if main else None


def _character(level: str, code: str, population: int) -> tuple:
    dens = shapes.density(level, code, population)
    return (density_class(dens), population_band(LEVELS[level], population), population, dens)


def _distance(target: tuple, other: tuple) -> tuple:
    """Same rural/urban class first, then same population band, then the closest in (log) population and density."""
    closeness = abs(math.log((other[2] or 1) / (target[2] or 1)))
    if target[3] and other[3]:
        closeness += abs(math.log(other[3] / target[3]))
    return (other[0] != target[0], other[1] != target[1], round(closeness, 6))


def analyse(level: str, territory, basis: str = "similaires") -> Analysis:
    """The gap analysis of a territory (cached a few minutes)."""
    key = f"territories:gaps:v1:{level}:{territory.pk}:{basis}"
    found = cache.get(key)
    if found is None:
        found = _analyse(level, territory, basis)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _analyse(level: str, territory, basis: str) -> Analysis:
    target = _profile(level, territory.pk, territory.population)
    populations = dict(
        LEVELS[level]
        .model.objects.filter(pk__in=comparable_codes(level, territory, basis))
        .values_list("pk", "population")
    )
    peers = [
        peer
        for peer in (_profile(level, code, population) for code, population in sorted(populations.items()))
        if peer.total > 0 and peer.population > 0
    ]
    gaps = find_gaps(target, peers)
    peer_codes = tuple(peer.code for peer in sorted(peers, key=lambda peer: -peer.total))[: MAX_FILTER_VALUES - 1]
    for gap in gaps:
        gap.examples = proven_examples(level, peer_codes, gap.facet, gap.value)
    return Analysis(basis, peers, gaps, enough=len(peers) >= MIN_COMPARABLES)


def _profile(level: str, code: str, population: int) -> Profile:
    total, by_facet = counts.profile(level, code, GAP_FACETS)
    return Profile(code, population, total, by_facet)


def proven_examples(level: str, peer_codes: tuple[str, ...], facet: str, value: str) -> list[dict]:
    """Published sheets of this kind in the comparables, best quality and most recently confirmed first."""
    if not peer_codes:
        return []
    request = SearchRequest(filters={facet: (value,), level: peer_codes}, page_size=EXAMPLE_CANDIDATES, facets=())
    ids = [hit.id for hit in search.query(request).hits]
    sheets = {sheet.pk: sheet for sheet in public_results().filter(pk__in=ids)}
    examples = []
    for pk in ids:
        sheet = sheets.get(pk)
        if sheet is None or quality_report(sheet).score < MIN_EXAMPLE_QUALITY:
            continue
        location = next(iter(sheet.locations.all()), None)
        examples.append(
            {
                "name": sheet.name,
                "url": sheet.get_absolute_url(),
                "summary": sheet.summary,
                "commune": location.commune.name if location else "",
                "confirmed_at": sheet.last_confirmed_at,
                "replication_url": replication_url(sheet),
            }
        )
        if len(examples) == EXAMPLES:
            break
    return examples


def replication_url(initiative) -> str | None:
    """Hook for « Je veux essaimer »: the replication request page of a sheet, once the contacts app serves one
    under the URL name `contacts:replicate` (slug). Until then, None and the gap page links to the sheet only."""
    try:
        return reverse("contacts:replicate", kwargs={"slug": initiative.slug})
    except NoReverseMatch:
        return None
