"""The active filters of a search. Each knows which query-string pairs it owns and how to say itself in words.

`describe.py` turns them into the « active filters » chips of the page and the links that remove one of them.
"""

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# How each facet is named to a visitor, in FACETS order.
FACET_LABELS = {
    "theme": gettext_lazy("Thématique"),
    "subtheme": gettext_lazy("Sous-thématique"),
    "public": gettext_lazy("Public"),
    "type": gettext_lazy("Type de lieu ou d'initiative"),
    "stage": gettext_lazy("Stade"),
    "scale": gettext_lazy("Échelle d'action"),
    "region": gettext_lazy("Région"),
    "departement": gettext_lazy("Département"),
    "epci": gettext_lazy("Intercommunalité (EPCI)"),
    "commune": gettext_lazy("Commune"),
    "source": gettext_lazy("Source"),
    "org_type": gettext_lazy("Type de structure porteuse"),
}


def decimal(value: float, places: int = 4) -> str:
    """A number as a French visitor writes it: 20 → « 20 », 7.5 → « 7,5 »."""
    rounded = round(value, places)
    return number_format(int(rounded) if float(rounded).is_integer() else rounded)


class Filter:
    """One active filter. `labels` maps (facet, value) to the value's label, for those that need one."""

    def owns(self, name: str, value: str) -> bool:
        raise NotImplementedError

    def describe(self, labels: dict[tuple[str, str], str]) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class TextFilter(Filter):
    text: str

    def owns(self, name, value):
        return name == "q"

    def describe(self, labels):
        return _("Texte : « %(text)s »") % {"text": self.text}


@dataclass(frozen=True)
class FacetFilter(Filter):
    facet: str
    value: str

    def owns(self, name, value):
        return name == self.facet and value.strip() == self.value

    def describe(self, labels):
        label = labels.get((self.facet, self.value)) or self.value
        return f"{FACET_LABELS[self.facet]} : {label}"


@dataclass(frozen=True)
class PlaceFilter(Filter):
    """A place to measure distances from — a point or a commune's centre — with an optional radius."""

    point: tuple[float, float]
    radius_km: float | None = None
    commune_code: str = ""
    commune_name: str = ""

    def owns(self, name, value):
        # Sorting by distance needs a place: removing the place removes that sort too.
        return name in ("near", "autour", "radius_km", "rayon") or (name == "sort" and value == "distance")

    def describe(self, labels):
        if self.commune_name:
            place = self.commune_name
            if self.radius_km is None:
                return _("Autour de %(place)s") % {"place": place}
            return _("À moins de %(radius)s km de %(place)s") % {"radius": decimal(self.radius_km), "place": place}
        point = f"{decimal(self.point[0])} ; {decimal(self.point[1])}"
        if self.radius_km is None:
            return _("Autour du point %(point)s") % {"point": point}
        return _("À moins de %(radius)s km du point %(point)s") % {"radius": decimal(self.radius_km), "point": point}


@dataclass(frozen=True)
class ZoneFilter(Filter):
    bbox: tuple[float, float, float, float]

    def owns(self, name, value):
        return name == "bbox"

    def describe(self, labels):
        return _("Dans la zone choisie sur la carte")
