"""A sheet's places written from snapshot rows in place, so that an edit never throws away what it did not change.

Each wanted row is matched to an existing location with the same commune, address, postal code and label: that row
keeps its primary key, coordinates, precision and geocoding state untouched (only its order may change). The other
wanted rows take over the remaining locations in order (an edited address: the row is updated and, like a new address,
queued for the address geocoder by its save), or become new locations; locations nobody wants any more are deleted.

A row written from a snapshot keeps the coordinates the snapshot holds (a revert restores them exactly); a row
without coordinates, like an address just typed, starts at its commune's centre until the geocoder answers.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from carrefour.catalog.models import Initiative, Location
from carrefour.search.signals import enqueue
from carrefour.territories.lookups import commune_by_code
from carrefour.territories.models import Commune

# A point within about 10 m of the commune's centre is the centre, not an address (as in dedup.features).
CENTRE_TOLERANCE = 1e-4


@dataclass
class Plan:
    """Rows kept as they are (location, position); rows rewritten (location, row, commune, position); new rows
    (row, commune, position); locations deleted."""

    keep: list[tuple[Location, int]] = field(default_factory=list)
    update: list[tuple[Location, dict, Commune, int]] = field(default_factory=list)
    create: list[tuple[dict, Commune, int]] = field(default_factory=list)
    delete: list[Location] = field(default_factory=list)

    def changes_nothing(self) -> bool:
        return not (self.update or self.create or self.delete) and all(
            location.position == position for location, position in self.keep
        )


def _text(value) -> str:
    return str(value or "").strip()


def row_key(row: dict) -> tuple[str, ...]:
    return tuple(_text(row.get(key)) for key in ("commune", "address", "postal_code", "label"))


def location_key(location: Location) -> tuple[str, ...]:
    return (location.commune_id or "", location.address.strip(), location.postal_code.strip(), location.label.strip())


def plan(initiative: Initiative, rows: list[dict]) -> Plan:
    """What writing `rows` (snapshot rows, in order) onto the sheet's locations would do; unknown communes are left
    out."""
    existing = list(initiative.locations.order_by("position", "id")) if initiative.pk else []
    by_key: dict[tuple, list[Location]] = defaultdict(list)
    for location in existing:
        by_key[location_key(location)].append(location)
    wanted = [(row, commune) for row in rows if (commune := commune_by_code(_text(row.get("commune")))) is not None]
    matched = [by_key[row_key(row)].pop(0) if by_key.get(row_key(row)) else None for row, _commune in wanted]
    taken = {location.pk for location in matched if location is not None}
    leftovers = [location for location in existing if location.pk not in taken]
    for index, (row, _commune) in enumerate(wanted):  # a renamed place keeps its row, even out of order
        same_place = next((loc for loc in leftovers if location_key(loc)[:3] == row_key(row)[:3]), None)
        if matched[index] is None and same_place is not None:
            matched[index] = same_place
            leftovers.remove(same_place)
    result = Plan()
    for position, ((row, commune), location) in enumerate(zip(wanted, matched, strict=True)):
        if location is not None and location_key(location) == row_key(row):
            result.keep.append((location, position))
        elif location is not None:
            result.update.append((location, row, commune, position))
        elif leftovers:
            result.update.append((leftovers.pop(0), row, commune, position))
        else:
            result.create.append((row, commune, position))
    result.delete = leftovers
    return result


def apply_plan(initiative: Initiative, result: Plan) -> None:
    """Write `result` (see `plan`). Rows kept or only relabelled are written with `update()`, so that the address
    geocoder is not asked again; a changed or new address goes through `save()`, whose signal queues it."""
    if result.delete:
        Location.objects.filter(pk__in=[location.pk for location in result.delete]).delete()
    quiet = False
    for location, position in result.keep:
        if location.position != position:
            Location.objects.filter(pk=location.pk).update(position=position)
            quiet = True
    for location, row, commune, position in result.update:
        if location_key(location)[:3] == row_key(row)[:3]:  # same place, another name: coordinates stay
            Location.objects.filter(pk=location.pk).update(label=(row.get("label") or "")[:150], position=position)
            quiet = True
            continue
        _fill(location, row, commune, position)
        location.save()
    for row, commune, position in result.create:
        location = Location(initiative=initiative)
        _fill(location, row, commune, position)
        location.save()
    if quiet:
        enqueue([initiative.pk])  # .update() bypasses the search signals


def set_locations(initiative: Initiative, rows: list[dict]) -> None:
    apply_plan(initiative, plan(initiative, rows))


def _fill(location: Location, row: dict, commune: Commune, position: int) -> None:
    location.commune = commune
    location.label = (row.get("label") or "")[:150]
    location.address = (row.get("address") or "")[:250]
    location.postal_code = (row.get("postal_code") or "")[:5]
    location.latitude, location.longitude, location.precision = coordinates(row, commune)
    location.coordinates_look_swapped = False
    location.position = position


def coordinates(row: dict, commune: Commune) -> tuple[float | None, float | None, str]:
    """The snapshot's coordinates when it has valid ones, else the commune's centre; and their precision.

    Coordinates count as the address's only with an address and away from the commune's centre: a snapshot taken
    while the address waited for the geocoder holds the centre, and the address must be queued again.
    """
    latitude, longitude = _number(row.get("latitude")), _number(row.get("longitude"))
    if latitude is None or longitude is None or not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return commune.latitude, commune.longitude, Location.Precision.COMMUNE
    at_centre = (
        commune.latitude is not None
        and commune.longitude is not None
        and abs(latitude - commune.latitude) < CENTRE_TOLERANCE
        and abs(longitude - commune.longitude) < CENTRE_TOLERANCE
    )
    precise = bool(_text(row.get("address"))) and not at_centre
    return latitude, longitude, Location.Precision.ADDRESS if precise else Location.Precision.COMMUNE


def _number(value) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
