"""GeoJSON FeatureCollections, and "almost GeoJSON" with trailing commas, repaired with a warning."""

import json
import re

from django.utils.translation import gettext as _

from carrefour.sources.connectors.base import ConnectorError, RawRow, Reading, flatten, read_bytes
from carrefour.sources.connectors.encoding import decode
from carrefour.sources.connectors.jsonfile import parse

TRAILING_COMMA = re.compile(r",(\s*[}\]])")


def read(path, options: dict) -> Reading:
    reading = Reading(rows=iter(()))
    text = decode(read_bytes(path), options.get("encoding"), reading.warnings)
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        repaired, count = TRAILING_COMMA.subn(r"\1", text)
        document = parse(repaired)
        reading.warnings.append(_("GeoJSON réparé : %(count)d virgules en trop supprimées.") % {"count": count})
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        raise ConnectorError(_("Ce n'est pas une FeatureCollection GeoJSON (clé « features » absente)."))
    reading.rows = (RawRow(index, feature_values(feature)) for index, feature in enumerate(features, start=1))
    return reading


def feature_values(feature: dict) -> dict:
    """Properties, plus `geometry.longitude`/`geometry.latitude` for a Point (first vertex otherwise)."""
    values = flatten(feature.get("properties") or {})
    if feature.get("id") is not None:
        values.setdefault("id", feature["id"])
    point = _first_position((feature.get("geometry") or {}).get("coordinates"))
    if point:
        values["geometry.longitude"], values["geometry.latitude"] = point[0], point[1]
    return values


def _first_position(coordinates):
    while isinstance(coordinates, list) and coordinates and isinstance(coordinates[0], list):
        coordinates = coordinates[0]
    if isinstance(coordinates, list) and len(coordinates) >= 2:
        return coordinates
    return None
