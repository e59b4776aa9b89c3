"""data·inclusion « structures » export (R-DATA-01): one object per organisation carrying a published initiative.

Follows `schemas/v1/structure.json` of gip-inclusion/data-inclusion-schema, pinned in `data/` (copied at commit
035f8db58da060192ba293598cf4ceb51accad1e). What we fill, honestly:
- `source` (this platform), `id` (the organisation's stable slug), `nom`, `description` (its presentation, Markdown
  turned into plain text), `date_maj` (last change of the organisation here), `siret`, `site_web`, and `commune` /
  `code_insee` of its registered office;
- left null because we do not hold them for organisations: `adresse`, `complement_adresse`, `code_postal`,
  `latitude`, `longitude`, `horaires_accueil`, `accessibilite_lieu`, `reseaux_porteurs`;
- always null on purpose: `courriel`, `telephone` (we hold no public contact for organisations, and a person's
  contact is never exported).
Themes and publics belong to data·inclusion *services*, not structures, in v1: the crosswalk in
`catalog/data/taxonomy/crosswalks/data-inclusion.csv` is for a services export, not written here.
An organisation whose description is shorter than 50 characters, or whose name is not 3 to 150 characters long, is
left out and counted by reason (the schema requires both).
"""

import html
import json
import re
from typing import TextIO

from django.db.models import QuerySet
from django.utils.html import strip_tags

from carrefour.catalog.models import Organisation, Role, Stakeholder
from carrefour.core.richtext import render_markdown
from carrefour.opendata.records import ExportContext, published

SCHEMA_URL = "https://github.com/gip-inclusion/data-inclusion-schema/blob/main/schemas/v1/structure.json"
SOURCE = "carrefour-innovations-sociales"
DESCRIPTION_LENGTH = (50, 2000)
NAME_LENGTH = (3, 150)
NULL_FIELDS = (
    "adresse",
    "complement_adresse",
    "code_postal",
    "latitude",
    "longitude",
    "courriel",
    "telephone",
    "horaires_accueil",
    "accessibilite_lieu",
    "reseaux_porteurs",
)
_SPACES = re.compile(r"[ \t]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def carriers(context: ExportContext) -> QuerySet[Organisation]:
    stakes = Stakeholder.objects.filter(role=Role.CARRIER, initiative__in=published(context.distribution))
    return Organisation.objects.filter(pk__in=stakes.values("organisation_id")).select_related("commune").order_by("pk")


def plain_text(markdown_text: str) -> str:
    text = html.unescape(strip_tags(render_markdown(markdown_text)))
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def structure(organisation: Organisation) -> tuple[dict | None, str]:
    """The data·inclusion object for an organisation, or (None, reason) when the schema cannot be met."""
    name = organisation.name.strip().rstrip(".").strip()
    if not NAME_LENGTH[0] <= len(name) <= NAME_LENGTH[1]:
        return None, "nom_hors_limites"
    description = plain_text(organisation.description)
    if len(description) < DESCRIPTION_LENGTH[0]:
        return None, "description_trop_courte"
    if len(description) > DESCRIPTION_LENGTH[1]:
        description = description[: DESCRIPTION_LENGTH[1] - 1].rsplit(" ", 1)[0] + "…"
    commune = organisation.commune
    data = {
        "source": SOURCE,
        "id": organisation.slug,
        "nom": name,
        "description": description,
        "date_maj": organisation.updated_at.date().isoformat(),
        "siret": organisation.siret if re.fullmatch(r"\d{14}", organisation.siret or "") else None,
        "site_web": organisation.website or None,
        "commune": commune.name if commune else None,
        "code_insee": commune.code if commune else None,
    }
    return data | dict.fromkeys(NULL_FIELDS), ""


def write(handle: TextIO, context: ExportContext) -> dict:
    handle.write("[\n")
    count = 0
    excluded: dict[str, int] = {}
    for organisation in carriers(context).iterator(chunk_size=context.chunk_size):
        data, reason = structure(organisation)
        if data is None:
            excluded[reason] = excluded.get(reason, 0) + 1
            continue
        handle.write(("," if count else "") + json.dumps(data, ensure_ascii=False) + "\n")
        count += 1
    handle.write("]\n")
    return {"structures": count, "excluded": excluded}
