"""Automatic mapping: from a file alone, guess the connector and propose which column feeds which field."""

import csv
import itertools
import re
from pathlib import Path
from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext as _

from carrefour.core.text import fold
from carrefour.sources import connectors
from carrefour.sources.config import validate
from carrefour.sources.connectors.base import ConnectorError, read_bytes
from carrefour.sources.connectors.encoding import decode
from carrefour.sources.models import Licence

SAMPLE_ROWS = 200
EXTENSIONS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".geojson": "geojson", ".json": "json"}
# Header names (folded) that announce a field; the first matching pattern wins, earlier targets choose first.
HEADER_PATTERNS = [
    ("external_id", r"^(id|identifiant|id_\w+|\w+_id|guid|uid|id cis)$"),
    ("insee_code", r"^(code_?insee|insee(_com)?|code commune|cog|adresse_code_insee|code_commune)$"),
    ("postal_code", r"^(code_?postal|cp|zip(_?code)?|postcode|postal_?code|adresse_code_postal|code postal)$"),
    ("latitude", r"^(lat|latitude|y|y_wgs84|geo latitude|geometry latitude|lat_wgs84)$"),
    ("longitude", r"^(lon|lng|long|longitude|x|x_wgs84|geo longitude|geometry longitude|lon_wgs84)$"),
    ("commune", r"^(commune|ville|city|lib_com|localite|adresse_commune|nom_commune|address addresslocality)$"),
    ("departement", r"^(departement|dep|insee_dep|code_departement|departement_code)$"),
    ("address", r"^(adresse|address|adresse_rue|adresse postale|rue|voie|address streetaddress)$"),
    ("siret", r"^(siret|siren|pivot|numero siret)$"),
    ("rna", r"^(rna|numero rna|code rna)$"),
    ("website", r"^(site|site web|site_web|siteweb|url|web|website|website_url|contact_web|lien|www)$"),
    ("email", r"^(courriel|courriels|mail|email|e mail|adresse mail|contact_email|adresse electronique)$"),
    ("phone", r"^(telephone|tel|phone|telephone fixe|contact_telephone|tel fixe|numero de telephone)$"),
    ("summary", r"^(resume|presentation_resume|chapo|accroche|presentation succincte)$"),
    ("description", r"^(description|presentation|descriptif|presentation_detail|objet|resume du projet)$"),
    ("tags", r"^(thematiques?|categories?|categorie|tags?|services|mots cles|type_lieu|activites)$"),
    ("organisation", r"^(structure porteuse|structure_porteuse|porteur|organisation|organisme|structure)$"),
    ("updated_at", r"^(date_maj|date de mise a jour|updated_at|modifie le|date_modification)$"),
    (
        "name",
        r"^(nom|name|titre|title|lib_\w+|libelle|nom du projet|nom de la structure|nom_structure|raison sociale)$",
    ),
]
VALUE_TESTS = {
    "email": lambda v: re.fullmatch(r"(mailto:)?[^@\s]+@[^@\s]+\.\w+", v) is not None,
    "website": lambda v: re.match(r"^(https?://|www\.)\S+$", v, re.IGNORECASE) is not None,
    "postal_code": lambda v: re.fullmatch(r"\d{4,5}(\.0)?", v) is not None,
    "phone": lambda v: len(re.sub(r"\D", "", v)) in (9, 10, 11, 12) and re.fullmatch(r"[\d\s.+()-]+", v) is not None,
    "address": lambda v: (
        re.search(
            r"\d+\s*(bis|ter)?\s*,?\s*(rue|av|avenue|bd|boulevard|place|chemin|route|all[ée]e|quai|cours)\b",
            v,
            re.IGNORECASE,
        )
        is not None
    ),  # fmt: skip
}


def guess_connector(path: Path, data: bytes | None = None) -> str:
    suffix = Path(path).suffix.lower()
    data = data if data is not None else read_bytes(path)[:4096]
    if data.startswith(b"PK"):
        return "xlsx"
    if suffix in (".json", ".geojson") or data.lstrip()[:1] in (b"{", b"["):
        return "geojson" if b'"FeatureCollection"' in data[:4096] or suffix == ".geojson" else "json"
    if suffix in (".html", ".htm") or data.lstrip()[:1] == b"<":
        raise ConnectorError(_("Une page HTML demande des sélecteurs : configurez cette source à la main."))
    return EXTENSIONS.get(suffix, "csv")


def propose(path) -> dict:
    """The guessed connector and options, {target: column}, an id column (or None), the columns and sample rows."""
    path = Path(path)
    data = read_bytes(path)
    kind = guess_connector(path, data[:4096])
    options = _csv_options(data) if kind == "csv" else {}
    reading = connectors.read(kind, path, options)
    sample = [row.values for row in itertools.islice(reading.rows, SAMPLE_ROWS)]
    columns = reading.columns or list(dict.fromkeys(key for values in sample for key in values))
    fields = propose_fields(columns, sample)
    external_id = fields.pop("external_id", None)
    if external_id and len({str(values.get(external_id)) for values in sample}) < 0.95 * len(sample):
        external_id = None  # not unique: rows will be keyed by content
    return {"connector": {"type": kind, "options": options}, "fields": fields, "id": external_id,
            "columns": columns, "sample": sample, "warnings": reading.warnings}  # fmt: skip


def _csv_options(data: bytes) -> dict:
    warnings: list[str] = []
    text = decode(data[:200_000], None, warnings)
    delimiter = connectors.csvfile.sniff_delimiter(text)
    options: dict[str, Any] = {"delimiter": delimiter}
    if not text.startswith(codec_bom := "\ufeff") and "\ufffd" not in text:
        options["encoding"] = "utf-8" if not warnings else ""
    options = {key: value for key, value in options.items() if value}
    lines = text[:20_000].lstrip(codec_bom)
    try:
        has_header = csv.Sniffer().has_header(lines)
    except csv.Error:
        has_header = True
    if not has_header:
        width = max((len(row) for row in csv.reader(lines.splitlines()[:20], delimiter=delimiter)), default=0)
        options.update(header=False, columns=[f"colonne_{index}" for index in range(1, width + 1)])
    return options


def propose_fields(columns: list[str], sample: list[dict]) -> dict[str, str]:
    fields: dict[str, str] = {}
    used: set[str] = set()
    for target, pattern in HEADER_PATTERNS:
        for column in columns:
            if column not in used and target not in fields and re.match(pattern.replace("_", " "), fold(column)):
                fields[target] = column
                used.add(column)
    for target, test in VALUE_TESTS.items():
        if target in fields:
            continue
        best = _best_by_values(columns, sample, used, test)
        if best:
            fields[target] = best
            used.add(best)
    if "name" not in fields:
        best = _best_by_values(columns, sample, used, lambda v: bool(re.search(r"[^\W\d_]{3}", v)), unique=True)
        if best:
            fields["name"] = best
            used.add(best)
    if "commune" not in fields and "postal_code" in fields:
        position = columns.index(fields["postal_code"]) + 1
        if position < len(columns) and columns[position] not in used:
            fields["commune"] = columns[position]
    return fields


def _best_by_values(columns, sample, used, test, unique=False) -> str | None:
    best, best_share = None, 0.6
    for column in columns:
        if column in used:
            continue
        values = [str(values.get(column) or "").strip() for values in sample]
        values = [value for value in values if value]
        if not values:
            continue
        share = sum(1 for value in values if test(value)) / len(values)
        if unique:
            share *= len(set(values)) / len(values)
        if share > best_share:
            best, best_share = column, share
    return best


def build_config(name: str, proposal: dict, fields: dict[str, str] | None = None) -> dict:
    config = {
        "name": name,
        "slug": slugify(fold(name))[:60] or "source",
        "licence": Licence.OTHER.value,
        "attribution": name,
        "connector": proposal["connector"],
        "row_policy": "lenient",
        "personal_data": "strict",
        "fields": {target: column for target, column in (fields or proposal["fields"]).items() if column},
    }
    if proposal.get("id"):
        config["id"] = proposal["id"]
    return validate(config, name)


def configure_from_file(path, name: str) -> dict:
    """A complete configuration for a file without one (`carrefour import --file PATH --name "…"`)."""
    return build_config(name, propose(path))
