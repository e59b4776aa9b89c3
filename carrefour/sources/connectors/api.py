"""Paginated JSON APIs, read through the one outbound HTTP helper.

Options: `url`, `records_path`, `pagination`: {type: page|offset|next, param, size_param, size, start, next_path},
`max_pages` (default 100). Pages are read until one is empty, shorter than the page size, or has no next link.
"""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.utils.translation import gettext as _

from carrefour.core.http import OutboundError, fetch
from carrefour.sources.connectors.base import ConnectorError, RawRow, Reading, dig, flatten
from carrefour.sources.connectors.jsonfile import find_records, parse

MAX_PAGES = 100


def read(url, options: dict) -> Reading:
    reading = Reading(rows=iter(()))
    reading.rows = _rows(url or options.get("url"), options, reading.warnings)
    return reading


def _rows(url: str | None, options: dict, warnings: list[str]):
    if not url:
        raise ConnectorError(_("Aucune adresse d'API configurée (« url »)."))
    pagination = options.get("pagination") or {}
    kind = pagination.get("type", "")
    size = int(pagination.get("size", 0) or 0)
    position, line = int(pagination.get("start", 1 if kind == "page" else 0)), 0
    for _page in range(int(options.get("max_pages", MAX_PAGES))):
        page_url = _page_url(url, pagination, position, size)
        document = _get_json(page_url)
        items = find_records(document, options.get("records_path"), warnings)
        for item in items:
            line += 1
            if isinstance(item, dict):
                yield RawRow(line, flatten(item))
        if not items or not kind or (size and len(items) < size):
            return
        if kind == "next":
            url = dig(document, pagination.get("next_path", "next"))
            if not url:
                return
        else:
            position += 1 if kind == "page" else len(items)
    warnings.append(_("Lecture arrêtée après %(pages)s pages.") % {"pages": options.get("max_pages", MAX_PAGES)})


def _page_url(url: str, pagination: dict, position: int, size: int) -> str:
    kind = pagination.get("type", "")
    if kind not in ("page", "offset"):
        return url
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query[pagination.get("param", kind)] = str(position)
    if size and pagination.get("size_param"):
        query[pagination["size_param"]] = str(size)
    return urlunsplit(parts._replace(query=urlencode(query)))


def _get_json(url: str):
    try:
        response = fetch(url)
    except OutboundError as exc:
        raise ConnectorError(str(exc)) from exc
    if response.status != 200:
        raise ConnectorError(_("L'API a répondu %(status)d pour %(url)s.") % {"status": response.status, "url": url})
    return parse(response.text())
