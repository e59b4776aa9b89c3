"""A sheet as a plain dict (`snapshot`), back onto the sheet (`apply`), and field-level differences (`diff`).

The dict holds every field a contributor can edit, with taxonomy terms as their stable codes and communes as INSEE
codes, so that a revision stays meaningful after the taxonomy or the gazetteer changes.
"""

from dataclasses import dataclass
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from carrefour.catalog import actions as catalog_actions
from carrefour.catalog.models import (
    Initiative,
    InitiativeImage,
    InitiativeLink,
    Organisation,
    Role,
    Stakeholder,
    Term,
)
from carrefour.contributions import locations

TERM_FIELDS = {  # snapshot key → vocabulary (many-to-many)
    "themes": "theme",
    "publics": "public",
    "place_types": "place_type",
    "innovation_forms": "innovation_form",
}
SINGLE_TERM_FIELDS = {"stage": "stage", "scale": "scale"}
SCALAR_FIELDS = ("summary", "description", "start_year", "website", "contact_channel", "contact_email")
LABELS = {
    "name": _("Nom"),
    "summary": _("Résumé"),
    "description": _("Description"),
    "carrier": _("Organisation porteuse"),
    "themes": _("Thématiques"),
    "publics": _("Publics"),
    "place_types": _("Types de lieu ou d'initiative"),
    "innovation_forms": _("Formes d'innovation"),
    "stage": _("Stade"),
    "scale": _("Échelle d'action"),
    "start_year": _("Année de lancement"),
    "website": _("Site web"),
    "contact_channel": _("Moyen de contact"),
    "contact_email": _("Adresse de contact (privée)"),
    "locations": _("Lieux"),
    "links": _("Liens et réseaux sociaux"),
    "images": _("Images"),
}
FIELDS = tuple(LABELS)
# Stored image files live under this folder (InitiativeImage.image's upload_to); a snapshot names no other file.
IMAGE_FOLDER = "initiatives/"
PRIVATE_FIELDS = ("contact_email",)  # shown to moderators and in the author's own views only


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: Any
    new: Any


def snapshot(initiative: Initiative) -> dict:
    carrier = (
        Stakeholder.objects.filter(initiative=initiative, role=Role.CARRIER)
        .select_related("organisation")
        .order_by("id")
        .first()
    )
    data = {
        "name": initiative.name,
        "carrier": {"id": carrier.organisation_id, "name": carrier.organisation.name} if carrier else None,
        **{key: getattr(initiative, key) for key in SCALAR_FIELDS},
        **{key: _codes(getattr(initiative, key).all()) for key in TERM_FIELDS},
        **{key: getattr(initiative, key).code if getattr(initiative, key) else None for key in SINGLE_TERM_FIELDS},
        "locations": [
            {
                "commune": loc.commune_id,
                "label": loc.label,
                "address": loc.address,
                "postal_code": loc.postal_code,
                "latitude": loc.latitude,
                "longitude": loc.longitude,
            }
            for loc in initiative.locations.order_by("position", "id")
        ],
        "links": [{"kind": link.kind, "url": link.url} for link in initiative.links.order_by("id")],
        "images": [
            {"file": image.image.name, "alt_text": image.alt_text, "credit": image.credit}
            for image in initiative.images.order_by("position", "id")
        ],
    }
    return {key: data[key] for key in FIELDS}


def _codes(terms) -> list[str]:
    return sorted(term.code for term in terms)


def diff(old: dict, new: dict, labels: dict | None = None) -> list[FieldChange]:
    """The fields whose value differs, in form order. A missing key counts as empty.

    `labels` (field → label, in order) describes another kind of snapshot (an organisation's); a sheet's by default.
    """
    changes = []
    for key, label in (labels or LABELS).items():
        before, after = old.get(key), new.get(key)
        if _normalised(before) != _normalised(after):
            changes.append(FieldChange(key, str(label), before, after))
    return changes


def _normalised(value):
    if isinstance(value, str):
        value = value.replace("\r\n", "\n").strip()  # browsers send textarea lines ending in CRLF
    if value in (None, "", [], {}):
        return None
    if isinstance(value, dict) and set(value) == {"id", "name"}:
        return value.get("name")
    return value


def changed_fields(old: dict, new: dict, labels: dict | None = None) -> list[str]:
    return [change.field for change in diff(old, new, labels)]


@transaction.atomic
def apply(initiative: Initiative, data: dict, actor=None, bump_version: bool = True) -> list[str]:
    """Write `data` onto the sheet through the catalogue actions; returns the changed fields.

    Keys absent from `data` are left as they are. The version goes up by one when anything changed.
    """
    current = snapshot(initiative)
    changed = [key for key in changed_fields(current, data) if key in data]
    places = locations.plan(initiative, data["locations"] or []) if "locations" in changed else None
    if places is not None and places.changes_nothing():
        changed.remove("locations")  # e.g. coordinates the geocoder found since the data was taken: kept
    if not changed:
        return []
    if "name" in changed and initiative.pk and initiative.slug:
        catalog_actions.rename(initiative, data["name"], actor)
    elif "name" in changed:
        initiative.name = data["name"]
    for key in SCALAR_FIELDS:
        if key in changed:
            setattr(initiative, key, _scalar(key, data[key]))
    for key, vocabulary in SINGLE_TERM_FIELDS.items():
        if key in changed:
            setattr(initiative, key, Term.objects.filter(vocabulary=vocabulary, code=data[key]).first())
    if bump_version:
        initiative.version += 1
    catalog_actions.save_initiative(initiative, actor, changed_fields=changed)
    for key, vocabulary in TERM_FIELDS.items():
        if key in changed:
            getattr(initiative, key).set(Term.objects.filter(vocabulary=vocabulary, code__in=data[key] or []))
    if "carrier" in changed:
        _set_carrier(initiative, data["carrier"], actor)
    if places is not None and "locations" in changed:
        locations.apply_plan(initiative, places)
    if "links" in changed:
        initiative.links.all().delete()
        InitiativeLink.objects.bulk_create(
            InitiativeLink(initiative=initiative, kind=link.get("kind") or "other", url=link["url"])
            for link in data["links"] or []
        )
    if "images" in changed:
        _set_images(initiative, data["images"] or [])
    return changed


def _scalar(key: str, value):
    if key == "start_year":
        return int(value) if value not in (None, "") else None
    if key == "contact_channel":
        return value or Initiative._meta.get_field("contact_channel").default
    return value or ""


def _set_carrier(initiative: Initiative, carrier: dict | None, actor) -> None:
    Stakeholder.objects.filter(initiative=initiative, role=Role.CARRIER).delete()
    if not carrier or not carrier.get("name"):
        return
    organisation = Organisation.objects.filter(pk=carrier.get("id")).first() if carrier.get("id") else None
    if organisation is None:
        organisation = catalog_actions.save_organisation(Organisation(name=carrier["name"]), actor)
    Stakeholder.objects.create(initiative=initiative, organisation=organisation, role=Role.CARRIER)


def _set_images(initiative: Initiative, rows: list[dict]) -> None:
    """Images in the given order. A removed image loses its row but keeps its file, so a revert can bring it back."""
    existing = {image.image.name: image for image in initiative.images.all()}
    kept = set()
    for row in rows:
        name = row.get("file") or ""
        if name in kept:
            continue
        image = existing.get(name)
        if image is None:
            if not name.startswith(IMAGE_FOLDER) or ".." in name or not default_storage.exists(name):
                continue
            image = InitiativeImage(initiative=initiative)
            image.image.name = name
        image.alt_text = (row.get("alt_text") or "")[:200]
        image.credit = (row.get("credit") or "")[:200]
        image.position = len(kept)
        image.save()
        kept.add(name)
    for name, image in existing.items():
        if name not in kept:
            image.delete()
