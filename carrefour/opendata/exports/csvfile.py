"""CSV export (R-DATA-13): one row per initiative, columns in the order of the Table Schema in `data/`.

Decisions, also written in the schema and the README: UTF-8 *without* a byte-order mark (RFC 4180 and the French
open-data recommendations; a BOM ends up inside the first column name for most CSV readers), comma separator,
double quotes when needed (RFC 4180), CRLF line ends, decimal point, ISO 8601 dates, `|` between multiple values.
"""

import csv
import json
from functools import cache
from pathlib import Path
from typing import TextIO

from carrefour.opendata.records import ExportContext, initiative_fields, initiatives, joined, location_fields

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "data" / "schema-initiatives.json"


@cache
def columns() -> tuple[str, ...]:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return tuple(field["name"] for field in schema["fields"])


def row(initiative, context: ExportContext) -> dict:
    locations = initiative.public_locations
    values = {
        **initiative_fields(initiative, context),
        **location_fields(locations[0] if locations else None),
        "autres_codes_insee": [location.commune_id for location in locations[1:]],
    }
    return {name: _cell(values[name]) for name in columns()}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return joined(value)
    return str(value)


def write(handle: TextIO, context: ExportContext) -> dict:
    writer = csv.DictWriter(handle, fieldnames=columns(), lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    count = 0
    for initiative in initiatives(context):
        writer.writerow(row(initiative, context))
        count += 1
    return {"rows": count}
