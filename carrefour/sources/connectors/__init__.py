"""Connectors read a partner input and yield `RawRow`s, reporting problems as `RowIssue`s."""

from django.utils.translation import gettext as _

from carrefour.sources.connectors import api, csvfile, geojson, html, jsonfile, xlsx
from carrefour.sources.connectors.base import ConnectorError, RawRow, Reading, RowIssue

CONNECTORS = {
    "csv": csvfile.read,
    "xlsx": xlsx.read,
    "json": jsonfile.read,
    "geojson": geojson.read,
    "api": api.read,
    "html": html.read,
}
# Connectors that fetch a URL rather than read a file.
REMOTE = {"api", "html"}


def read(kind: str, location, options: dict) -> Reading:
    try:
        reader = CONNECTORS[kind]
    except KeyError as exc:
        raise ConnectorError(_("Connecteur « %(kind)s » inconnu.") % {"kind": kind}) from exc
    return reader(location, options or {})


__all__ = ["CONNECTORS", "REMOTE", "ConnectorError", "RawRow", "Reading", "RowIssue", "read"]
