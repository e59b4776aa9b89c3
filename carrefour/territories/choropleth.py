"""The choropleth of a territory's children: a value per child (initiatives per 10,000 inhabitants, or the raw
count), classes by quantiles of the non-zero values, and a sequential palette whose steps stay distinguishable
(the data table beside the map is the accessible equivalent; colour is never the only carrier of a value)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from carrefour.territories.counts import rate

MEASURES = {"taux": _("Initiatives pour 10 000 habitants"), "nombre": _("Nombre d'initiatives")}
EMPTY_COLOUR = "#ffffff"  # no initiative: white, drawn with the same dark border as every polygon
PALETTE = ("#deebf7", "#9ecae1", "#4292c6", "#2166ac", "#08306b")  # light to dark blue
TEXT_ON = ("#1b1b1b", "#1b1b1b", "#1b1b1b", "#ffffff", "#ffffff")  # legend swatch text colour, ≥ 4.5:1


@dataclass
class Child:
    code: str
    name: str
    url: str
    population: int
    count: int
    rate: float | None = None  # initiatives per 10,000 inhabitants
    value: float | None = None  # the measure shown
    colour: str = EMPTY_COLOUR
    step: int = -1  # index in the legend; -1: no initiative (or no population)


@dataclass
class Step:
    low: float
    high: float
    colour: str
    text_colour: str


def measure_value(child: Child, measure: str) -> float | None:
    return rate(child.count, child.population) if measure == "taux" else float(child.count)


def classify(children: list[Child], measure: str) -> list[Step]:
    """Give each child its value, step and colour; return the legend's steps (lowest first)."""
    for child in children:
        child.rate = rate(child.count, child.population)
        child.value = measure_value(child, measure)
    values = sorted(child.value for child in children if child.value)
    steps = breaks(values)
    for child in children:
        if not child.value:
            continue
        child.step = next(index for index, step in enumerate(steps) if child.value <= step.high)
        child.colour = steps[child.step].colour
    return steps


def breaks(values: list[float], classes: int = len(PALETTE)) -> list[Step]:
    """Up to `classes` steps holding about as many values each (quantiles); fewer when values repeat."""
    if not values:
        return []
    distinct = sorted(set(values))
    count = min(classes, len(distinct))
    highs = []
    for index in range(1, count + 1):
        high = values[min(len(values) - 1, round(index * len(values) / count) - 1)]
        if not highs or high > highs[-1]:
            highs.append(high)
    highs[-1] = values[-1]
    colours = _spread(len(highs))
    steps, low = [], values[0]
    for index, high in enumerate(highs):
        steps.append(Step(low, high, PALETTE[colours[index]], TEXT_ON[colours[index]]))
        low = high
    return steps


def _spread(count: int) -> list[int]:
    """Palette indexes for `count` steps, spread from light to dark."""
    if count == 1:
        return [len(PALETTE) - 1]
    return [round(index * (len(PALETTE) - 1) / (count - 1)) for index in range(count)]
