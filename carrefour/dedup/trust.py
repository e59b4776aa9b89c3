"""The trust rule: which of two sheets' values a merge keeps, field by field (RULES.md « Quelle valeur garder »).

For each field, among the non-empty values: (1) a value a person wrote on the Carrefour (a sheet with no partner
record, or a field named in an audited edit by a signed-in person); then (2) the value of the source with the best
trust rank (`data/trust.yaml`); then (3) the most recently updated (the producer's date when known); then (4) the
most complete (longest). A moderator's explicit choice overrides all of these.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from django.utils.translation import gettext as _

from carrefour.catalog.models import Initiative
from carrefour.core.models import AuditEvent, EventType

TRUST_FILE = Path(__file__).parent / "data" / "trust.yaml"
# Fields a merge chooses between; many-valued things (places, themes, links, organisations) are united instead.
MERGE_FIELDS = (
    "name",
    "summary",
    "description",
    "website",
    "start_year",
    "stage",
    "scale",
    "contact_channel",
    "contact_email",
)
WORST_RANK = 99


@cache
def licence_rank() -> dict[str, int]:
    return dict(yaml.safe_load(TRUST_FILE.read_text(encoding="utf-8"))["licence_rank"])


@dataclass
class Standing:
    """What the trust rule knows about one sheet."""

    initiative: Initiative
    edited_fields: set[str]
    written_here: bool
    source_slug: str
    source_rank: int
    updated: object

    def is_local(self, field: str) -> bool:
        return self.written_here or field in self.edited_fields


def standing(initiative: Initiative) -> Standing:
    records = list(initiative.source_records.select_related("source"))
    events = AuditEvent.objects.filter(
        object_type="catalog.initiative",
        object_id=str(initiative.pk),
        event_type=EventType.INITIATIVE_UPDATED,
        actor__isnull=False,
    ).values_list("data", flat=True)
    edited = {f for data in events for f in (data or {}).get("fields", [])}
    best = min(records, key=lambda r: licence_rank().get(r.source.licence, WORST_RANK), default=None)
    dates = [r.source_updated_at for r in records if r.source_updated_at] or [initiative.updated_at]
    return Standing(
        initiative=initiative,
        edited_fields=edited,
        written_here=not records,
        source_slug=best.source.slug if best else "",
        source_rank=licence_rank().get(best.source.licence, WORST_RANK) if best else WORST_RANK,
        updated=max(dates),
    )


def _value(initiative: Initiative, field: str):
    concrete = Initiative._meta.get_field(field)
    return getattr(initiative, concrete.attname)


def _empty(value) -> bool:
    return value is None or value == ""


def _sort_key(item: Standing, field: str):
    value = _value(item.initiative, field)
    return (not item.is_local(field), item.source_rank, -item.updated.timestamp(), -len(str(value)))


def _reason(best: Standing, other: Standing, field: str) -> str:
    if _empty(_value(other.initiative, field)):
        return _("seule valeur renseignée")
    if best.is_local(field) and not other.is_local(field):
        return _("saisie sur le Carrefour")
    if best.source_rank < other.source_rank:
        return _("source la plus fiable")
    if best.updated > other.updated:
        return _("mise à jour la plus récente")
    return _("valeur la plus complète")


def choose_fields(survivor: Initiative, merged: Initiative, choices: dict[str, int] | None = None) -> dict:
    """field → {value, from_initiative, from_source, reason} for every field where at least one value is set."""
    sides = {s.initiative.pk: s for s in (standing(survivor), standing(merged))}
    result = {}
    for field in MERGE_FIELDS:
        filled = [s for s in sides.values() if not _empty(_value(s.initiative, field))]
        if not filled:
            continue
        chosen_pk = (choices or {}).get(field)
        if chosen_pk in sides and not _empty(_value(sides[chosen_pk].initiative, field)):
            best, reason = sides[chosen_pk], _("choix du modérateur")
        else:
            best = min(filled, key=lambda s: _sort_key(s, field))
            other = next(s for s in sides.values() if s is not best)
            reason = _reason(best, other, field)
        value = _value(best.initiative, field)
        result[field] = {
            "value": value,
            "from_initiative": best.initiative.pk,
            "from_source": best.source_slug,
            "reason": reason,
        }
    return result
