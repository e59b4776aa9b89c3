"""HTML listing pages, as the original OpenScraper did: one item per CSS selector match, fields by CSS or XPath,
optionally following each item's link to a detail page, and the "next page" link.

Options: `url` (or a local file), `item` (CSS), `fields`: {name: {css|xpath, attr: text|html|<attribute>}},
`detail`: {link: {css|xpath, attr: href}, fields: {...}}, `next_page`: {css|xpath, attr: href}, `max_pages`.
"""

from pathlib import Path
from urllib.parse import urljoin

import lxml.html
from django.utils.translation import gettext as _

from carrefour.core.http import OutboundError, fetch
from carrefour.sources.connectors.base import ConnectorError, RawRow, Reading, read_bytes
from carrefour.sources.connectors.encoding import decode

MAX_PAGES = 20


def read(location, options: dict) -> Reading:
    reading = Reading(rows=iter(()))
    reading.rows = _rows(str(location or options.get("url") or ""), options, reading.warnings)
    return reading


def _rows(location: str, options: dict, warnings: list[str]):
    if not options.get("item"):
        raise ConnectorError(_("Aucun sélecteur d'élément (« item ») n'est configuré."))
    line, seen = 0, set()
    for _page in range(int(options.get("max_pages", MAX_PAGES))):
        if not location or location in seen:
            return
        seen.add(location)
        page = _load(location, warnings)
        for item in page.cssselect(options["item"]):
            line += 1
            values = extract(item, options.get("fields", {}))
            detail = options.get("detail")
            if detail:
                values.update(_detail_values(item, detail, location, warnings))
            yield RawRow(line, values)
        next_link = options.get("next_page")
        location = _absolute(location, select(page, next_link)) if next_link else ""


def _detail_values(item, detail: dict, base: str, warnings: list[str]) -> dict:
    link = select(item, detail["link"])
    if not link:
        return {}
    url = _absolute(base, link)
    values = {"detail_url": url}
    values.update(extract(_load(url, warnings), detail.get("fields", {})))
    return values


def extract(node, fields: dict) -> dict:
    return {name: select(node, spec) for name, spec in fields.items()}


def select(node, spec: dict) -> str:
    """The first match of a CSS or XPath selector: its text (spaces collapsed), inner HTML, or an attribute."""
    matches = node.xpath(spec["xpath"]) if "xpath" in spec else node.cssselect(spec["css"])
    if not matches:
        return ""
    first = matches[0]
    if isinstance(first, str):
        return " ".join(first.split())
    attr = spec.get("attr", "text")
    if attr == "text":
        return " ".join(first.text_content().split())
    if attr == "html":
        return lxml.html.tostring(first, encoding="unicode")
    return (first.get(attr) or "").strip()


def _absolute(base: str, link: str) -> str:
    if not link:
        return ""
    if base.startswith(("http://", "https://")):
        return urljoin(base, link)
    return link if link.startswith(("http://", "https://")) else str(Path(base).parent / link)


def _load(location: str, warnings: list[str]):
    if location.startswith(("http://", "https://")):
        try:
            response = fetch(location)
        except OutboundError as exc:
            raise ConnectorError(str(exc)) from exc
        if response.status != 200:
            raise ConnectorError(
                _("La page %(url)s a répondu %(status)d.") % {"url": location, "status": response.status}
            )
        text = response.text()
    else:
        text = decode(read_bytes(location), None, warnings)
    if not text.strip():
        raise ConnectorError(_("La page %(url)s est vide.") % {"url": location})
    return lxml.html.fromstring(text)
