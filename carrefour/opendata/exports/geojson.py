"""GeoJSON export (RFC 7946, R-DATA-12): a FeatureCollection with one Point per located place of an initiative.

One Feature per location (not one MultiPoint per initiative): each place keeps its own address and commune, and
every feature is a plain Point that any tool can read. Coordinates are [longitude, latitude] in WGS 84; no `crs`
member. The licence and attribution are foreign members of the collection (RFC 7946 §6.1) and a property of each
feature, so that they follow a feature copied alone. Places without coordinates are counted, not written.
"""

import json
from typing import TextIO

from carrefour.opendata.records import ExportContext, initiative_fields, initiatives, location_fields

# Long texts stay in the CSV and JSON-LD: a map layer needs the summary, not the whole description.
LEFT_OUT = ("description",)


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def header(context: ExportContext) -> dict:
    dist = context.distribution
    return {
        "type": "FeatureCollection",
        "name": "carrefour-lieux",
        "license": dist.licence,
        "license_url": dist.url,
        "attribution": context.attribution,
        "dateModified": context.last_update.isoformat() if context.last_update else None,
    }


def features(initiative, context: ExportContext):
    fields = {key: value for key, value in initiative_fields(initiative, context).items() if key not in LEFT_OUT}
    for location in initiative.public_locations:
        if location.latitude is None or location.longitude is None:
            continue
        properties = {**fields, "lieu": location.label, **location_fields(location), "precision": location.precision}
        del properties["latitude"], properties["longitude"]
        yield {
            "type": "Feature",
            "id": f"{initiative.slug}-{location.pk}",
            "geometry": {"type": "Point", "coordinates": [location.longitude, location.latitude]},
            "properties": properties,
        }


def write(handle: TextIO, context: ExportContext) -> dict:
    head = _dumps(header(context))
    handle.write(head[:-1] + ',"features":[\n')
    written = unlocated = 0
    for initiative in initiatives(context):
        unlocated += sum(1 for item in initiative.public_locations if item.latitude is None or item.longitude is None)
        for feature in features(initiative, context):
            handle.write(("," if written else "") + _dumps(feature) + "\n")
            written += 1
    handle.write("]}\n")
    return {"features": written, "unlocated_places": unlocated}
