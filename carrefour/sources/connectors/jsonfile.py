"""JSON: an array of records, or an object wrapping one (`{"data": [...]}`, `records_path: a.b.c`)."""

import json

from django.utils.translation import gettext as _

from carrefour.sources.connectors.base import ConnectorError, RawRow, Reading, dig, flatten, read_bytes
from carrefour.sources.connectors.encoding import decode


def read(path, options: dict) -> Reading:
    reading = Reading(rows=iter(()))
    text = decode(read_bytes(path), options.get("encoding"), reading.warnings)
    document = parse(text)
    reading.rows = records(document, options.get("records_path"), reading.warnings)
    return reading


def parse(text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConnectorError(
            _("JSON invalide, ligne %(line)d, colonne %(column)d : %(error)s.")
            % {"line": exc.lineno, "column": exc.colno, "error": exc.msg}
        ) from exc


def records(document, records_path: str | None, warnings: list[str]):
    items = find_records(document, records_path, warnings)
    return (RawRow(index, flatten(item)) for index, item in enumerate(items, start=1) if isinstance(item, dict))


def find_records(document, records_path: str | None, warnings: list[str]) -> list:
    if records_path:
        items = dig(document, records_path)
        if not isinstance(items, list):
            raise ConnectorError(_("Aucune liste d'enregistrements au chemin « %(path)s ».") % {"path": records_path})
        return items
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        for key, value in document.items():
            if isinstance(value, list) and value and all(isinstance(item, dict) for item in value[:10]):
                warnings.append(_("Enregistrements lus dans la clé « %(key)s » de l'objet JSON.") % {"key": key})
                return value
    raise ConnectorError(_("Le JSON ne contient pas de liste d'enregistrements."))
