"""Resolving a row's place through the gazetteer, preloaded once per run (no query per row).

Order: INSEE code, else postal code (+ commune name to choose or to confirm a code that lost its leading zero),
else commune name + département, else a commune name that is unique in France, else coordinates → commune.
Coordinates outside every French area are dropped; a pair that fits only when swapped is kept and flagged.
"""

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import overload

from django.utils.translation import gettext as _

from carrefour.core.text import fold
from carrefour.sources.plan import memoised
from carrefour.territories.lookups import commune_at
from carrefour.territories.models import Commune, Departement, PostalCode

# Bounding boxes of the French territories (lat_min, lat_max, lon_min, lon_max), after ANCT « EMPRISES ».
FRENCH_AREAS = (
    (41.3, 51.2, -5.3, 9.7),  # mainland and Corsica
    (15.8, 16.6, -61.9, -60.9),  # Guadeloupe
    (14.3, 14.95, -61.3, -60.75),  # Martinique
    (2.1, 5.8, -54.7, -51.6),  # Guyane
    (-21.45, -20.85, 55.2, 55.9),  # La Réunion
    (-13.1, -12.6, 44.9, 45.35),  # Mayotte
    (17.85, 18.15, -63.2, -62.75),  # Saint-Martin, Saint-Barthélemy
    (46.7, 47.2, -56.5, -56.1),  # Saint-Pierre-et-Miquelon
    (-23.0, -19.5, 163.5, 168.2),  # Nouvelle-Calédonie
    (-28.0, -7.8, -154.8, -134.0),  # Polynésie française
    (-14.4, -13.1, -178.3, -176.0),  # Wallis-et-Futuna
)
ARRONDISSEMENTS = ((range(75101, 75121), "75056"), (range(13201, 13217), "13055"), (range(69381, 69390), "69123"))
ARRONDISSEMENT_NAME = re.compile(r"\s+\d+\s*(e|er|eme|ème)?\s*arrondissement$")
FAR_KM = 30


@dataclass
class Place:
    commune_code: str | None = None
    postal_code: str = ""
    latitude: float | None = None
    longitude: float | None = None
    swapped: bool = False
    method: str = ""
    problems: list[tuple[str, str, str, str]] = field(default_factory=list)  # (field, value, rule, message)


def in_france(latitude: float, longitude: float) -> bool:
    if 41.3 <= latitude <= 51.2 and -5.3 <= longitude <= 9.7:  # mainland and Corsica, most rows: no loop
        return True
    return any(a <= latitude <= b and c <= longitude <= d for a, b, c, d in FRENCH_AREAS)


class Index:
    """A gazetteer index read key by key (one indexed query each) until a run asks for many keys: then all at once.

    `rows` is an ordered queryset (most populated commune first); `key_field` is looked up, `value_field` kept.
    """

    FULL_AFTER = 150

    def __init__(self, rows, key_field: str, value_field: str):
        self.rows, self.key_field, self.value_field = rows, key_field, value_field
        self.known: dict[str, list[str]] = {}
        self.complete = False

    @overload
    def get(self, key: str) -> list[str] | None: ...

    @overload
    def get(self, key: str, default: list[str]) -> list[str]: ...

    def get(self, key: str, default: list[str] | None = None) -> list[str] | None:
        if key not in self.known and not self.complete:
            if len(self.known) < self.FULL_AFTER:
                rows = self.rows.filter(**{self.key_field: key})
                self.known[key] = list(rows.values_list(self.value_field, flat=True))
            else:
                self._load_all()
        return self.known.get(key) or default

    def items(self):
        self._load_all()
        return self.known.items()

    def _load_all(self) -> None:
        if self.complete:
            return
        index: dict[str, list[str]] = defaultdict(list)
        for key, value in self.rows.values_list(self.key_field, self.value_field):
            index[key].append(value)
        self.known, self.complete = dict(index), True


class Gazetteer:
    """The communes, read once per run. The name and postal-code indexes are built on first use: a feed that gives
    INSEE codes never needs them."""

    def __init__(self):
        self.communes: dict[str, tuple] = {
            code: (name, departement, latitude, longitude)
            for code, name, departement, latitude, longitude in Commune.objects.values_list(
                "code", "name", "departement_id", "latitude", "longitude"
            )
        }
        self._commune = memoised(self._find_commune)
        self._commune_at = memoised(self._find_commune_at)

    @cached_property
    def by_name(self) -> Index:
        """Folded name → commune codes, most populated first."""
        return Index(Commune.objects.order_by("-population", "code"), "search_name", "code")

    @cached_property
    def by_postal(self) -> Index:
        """Postal code → commune codes, most populated first."""
        return Index(PostalCode.objects.order_by("code", "-commune__population"), "code", "commune")

    @cached_property
    def departements(self) -> dict[str, str]:
        return {fold(name): code for code, name in Departement.objects.values_list("code", "name")}

    def name(self, code: str) -> str:
        return self.communes[code][0]

    def resolve(self, insee="", postal="", name="", departement="", latitude=None, longitude=None) -> Place:
        place = Place()
        self._coordinates(place, latitude, longitude)
        code, place.postal_code, place.method, problems = self._commune((insee, postal, name, departement))
        place.problems.extend(problems)
        if code is None and place.latitude is not None:
            code, place.method = self._commune_at(_point(place)), "coordinates"
        place.commune_code = code
        if code is None:
            place.problems.append(("commune", name or insee or postal, "unlocatable", _("Lieu introuvable.")))
        else:
            self._check_distance(place)
        return place

    def _find_commune(self, key: tuple) -> tuple:
        """(code, postal code, method, problems) from what a row says of its commune; remembered per run."""
        insee, postal, name, departement = key
        place = Place()
        code = self._by_code(insee, place) or self._by_postal(postal, name, place)
        code = code or self._by_name(name, departement or place.postal_code[:2], place)
        return code, place.postal_code, place.method, tuple(place.problems)

    @staticmethod
    def _find_commune_at(point: tuple[float, float]) -> str | None:
        found = commune_at(*point)
        return found.code if found else None

    def _coordinates(self, place: Place, latitude, longitude) -> None:
        if latitude is None or longitude is None:
            return
        if latitude == 0 and longitude == 0:
            place.problems.append(("latitude", "0, 0", "coordinates_zero", _("Coordonnées (0, 0) ignorées.")))
        elif in_france(latitude, longitude):
            place.latitude, place.longitude = latitude, longitude
        elif in_france(longitude, latitude):
            place.latitude, place.longitude, place.swapped = latitude, longitude, True
            place.problems.append(
                ("latitude", f"{latitude}, {longitude}", "coordinates_swapped", _("Latitude et longitude inversées ?"))
            )
        else:
            place.problems.append(
                ("latitude", f"{latitude}, {longitude}", "coordinates_outside_france",
                 _("Coordonnées hors de France ignorées."))
            )  # fmt: skip

    def _by_code(self, insee: str, place: Place) -> str | None:
        code = (insee or "").strip().upper()
        if code.isdigit() and len(code) == 4:
            code = code.zfill(5)
        if code.isdigit():
            number = int(code)
            code = next((parent for codes, parent in ARRONDISSEMENTS if number in codes), code)
        if code in self.communes:
            place.method = "insee"
            return code
        if code:
            place.problems.append(("insee_code", insee, "insee_unknown", _("Code INSEE inconnu.")))
        return None

    def _by_postal(self, postal: str, name: str, place: Place) -> str | None:
        digits = re.sub(r"\s", "", postal or "")
        if not re.fullmatch(r"\d{4,5}", digits):
            if digits:
                place.problems.append(("postal_code", postal, "postal_code", _("Code postal invalide.")))
            return None
        candidates = self.by_postal.get(digits.zfill(5), [])
        matching = [code for code in candidates if self.names_match(name, code)] if name else []
        if len(digits) == 4:
            if not matching:
                place.problems.append(
                    ("postal_code", postal, "postal_code_unconfirmed",
                     _("Code postal à 4 chiffres non confirmé par la commune."))
                )  # fmt: skip
                return None
            place.problems.append(
                ("postal_code", postal, "postal_code_repaired", _("Zéro initial du code postal rétabli."))
            )
        place.postal_code = digits.zfill(5) if candidates else ""
        if matching or (len(candidates) == 1 and not name):
            place.method = "postal_code"
            return (matching or candidates)[0]
        return None

    def _by_name(self, name: str, departement: str, place: Place) -> str | None:
        folded = ARRONDISSEMENT_NAME.sub("", fold(name)) if name else ""
        if not folded:
            return None
        departement = self.departements.get(fold(departement), departement)
        candidates = self.by_name.get(folded) or self._wildcard(name)
        in_departement = [code for code in candidates if self.communes[code][1] == departement]
        if in_departement:
            place.method = "name_departement"
            return in_departement[0]
        if len(candidates) == 1:
            place.method = "name"
            return candidates[0]
        return None

    def _wildcard(self, name: str) -> list[str]:
        """Names whose accents were destroyed (U+FFFD): each damaged character matches any letter."""
        if "\ufffd" not in name:
            return []
        pattern = re.compile(".".join(re.escape(fold(part)) for part in name.split("\ufffd")))
        return [code for search_name, codes in self.by_name.items() if pattern.fullmatch(search_name) for code in codes]

    def names_match(self, name: str, code: str) -> bool:
        given = ARRONDISSEMENT_NAME.sub("", fold(name))
        known = fold(self.communes[code][0])
        if given == known:
            return True
        if "\ufffd" in name:
            pattern = ".".join(re.escape(fold(part)) for part in name.split("\ufffd"))
            return re.fullmatch(pattern, known) is not None
        return False

    def _check_distance(self, place: Place) -> None:
        if place.latitude is None or place.commune_code is None:
            return
        _name, _departement, latitude, longitude = self.communes[place.commune_code]
        if latitude is None:
            return
        far = _km(*_point(place), latitude, longitude) > FAR_KM
        if place.swapped and far:
            # The swapped pair does not fall in the commune either: these coordinates are just wrong.
            place.latitude = place.longitude = None
            place.swapped = False
            place.problems = [
                (*problem[:2], "coordinates_outside_france", _("Coordonnées hors de France ignorées."))
                if problem[2] == "coordinates_swapped" else problem
                for problem in place.problems
            ]  # fmt: skip
        elif far:
            place.problems.append(
                ("latitude", f"{place.latitude}, {place.longitude}", "coordinates_far_from_commune",
                 _("Les coordonnées sont à plus de %d km de la commune indiquée.") % FAR_KM)
            )  # fmt: skip


def _point(place: Place) -> tuple[float, float]:
    latitude, longitude = place.latitude, place.longitude
    assert latitude is not None and longitude is not None, "only a place with coordinates has a point"
    if place.swapped:
        return longitude, latitude
    return latitude, longitude


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return 6371 * math.hypot(x, math.radians(lat2 - lat1))
