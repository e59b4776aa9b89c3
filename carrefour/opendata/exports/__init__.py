"""The export formats, one module each, in one registry: the command, the page, the downloads and DCAT read it."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from carrefour.opendata.exports import csvfile, datainclusion, geojson, jsonld
from carrefour.opendata.licences import Distribution
from carrefour.opendata.records import ExportContext


@dataclass(frozen=True)
class Format:
    key: str
    label: Promise
    description: Promise
    media_type: str
    stem: str
    extension: str
    write: Callable[[TextIO, ExportContext], dict]
    newline: str | None = None  # passed to open(): "" for CSV, whose writer ends lines with CRLF itself
    conforms_to: str = ""  # URL of the schema the file follows

    def filename(self, dist: Distribution) -> str:
        return f"{self.stem}{dist.suffix}.{self.extension}"


FORMATS: dict[str, Format] = {
    item.key: item
    for item in (
        Format(
            "csv",
            _("CSV"),
            _("Une ligne par initiative publiée, avec son premier lieu ; schéma de table fourni."),
            "text/csv",
            "carrefour-initiatives",
            "csv",
            csvfile.write,
            newline="",
            conforms_to="schema-initiatives.json",
        ),
        Format(
            "geojson",
            _("GeoJSON"),
            _("Un point par lieu localisé (RFC 7946, longitude puis latitude)."),
            "application/geo+json",
            "carrefour-lieux",
            "geojson",
            geojson.write,
            conforms_to="https://www.rfc-editor.org/rfc/rfc7946",
        ),
        Format(
            "jsonld",
            _("JSON-LD (schema.org)"),
            _("Les initiatives en schema.org (Project), comme sur leurs fiches."),
            "application/ld+json",
            "carrefour-initiatives",
            "jsonld",
            jsonld.write,
            conforms_to="https://schema.org/Project",
        ),
        Format(
            "datainclusion",
            _("Structures data·inclusion"),
            _("Les organisations porteuses, au format « structure » du schéma data·inclusion v1."),
            "application/json",
            "carrefour-structures-data-inclusion",
            "json",
            datainclusion.write,
            conforms_to=datainclusion.SCHEMA_URL,
        ),
    )
}
