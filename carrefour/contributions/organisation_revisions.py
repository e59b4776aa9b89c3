"""The history of organisations (R-REL-03): every edit leaves an applied revision; moderators revert to any of them.

An organisation has no version field: its revisions number its states (the original state is version 1, each
applied revision produces the next one).
"""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy

from carrefour.catalog import actions as catalog_actions
from carrefour.catalog.models import Organisation, Term
from carrefour.contributions.models import Revision
from carrefour.contributions.snapshot import changed_fields
from carrefour.core.audit import record_event
from carrefour.core.models import EventType
from carrefour.territories.lookups import commune_by_code

LABELS = {
    "name": gettext_lazy("Nom"),
    "structure_type": gettext_lazy("Type de structure"),
    "siren": gettext_lazy("SIREN"),
    "siret": gettext_lazy("SIRET"),
    "rna": gettext_lazy("RNA"),
    "website": gettext_lazy("Site web"),
    "description": gettext_lazy("Présentation"),
    "commune": gettext_lazy("Commune du siège"),
}
TEXT_FIELDS = ("siren", "siret", "rna", "website", "description")


def snapshot(organisation: Organisation) -> dict:
    return {
        "name": organisation.name,
        "structure_type": organisation.structure_type.code if organisation.structure_type_id else None,
        **{key: getattr(organisation, key) for key in TEXT_FIELDS},
        "commune": organisation.commune_id,
    }


def changes(old: dict, new: dict) -> list[str]:
    return changed_fields(old, new, LABELS)


def current_version(organisation: Organisation) -> int:
    latest = Revision.objects.filter(organisation=organisation, status=Revision.Status.APPLIED).aggregate(
        version=Max("applied_version")
    )["version"]
    return latest or 1


def lock(organisation: Organisation) -> Organisation:
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


def record_edit(organisation: Organisation, previous: dict, actor, kind: str, comment: str = "", reverts=None):
    """Keep the change from `previous` to the organisation's current state as an applied revision (None: no change).

    Call it right after any save of an organisation (the back office does, see contributions/admin.py).
    """
    data = snapshot(organisation)
    if not changes(previous, data):
        return None
    base_version = current_version(organisation)
    revision = Revision.objects.create(
        organisation=organisation,
        kind=kind,
        status=Revision.Status.APPLIED,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        base_version=base_version,
        applied_version=base_version + 1,
        previous_data=previous,
        data=data,
        comment=comment[:500],
        applied_at=timezone.now(),
        reverts=reverts,
    )
    event = EventType.REVISION_REVERTED if kind == Revision.Kind.REVERT else EventType.DIRECT_EDIT_APPLIED
    record_event(event, revision, actor, organisation=organisation.pk, version=revision.applied_version)
    return revision


def apply(organisation: Organisation, data: dict, actor) -> list[str]:
    """Write `data` onto the organisation through the catalogue actions (a rename keeps the old address)."""
    changed = [key for key in changes(snapshot(organisation), data) if key in data]
    if not changed:
        return []
    if "name" in changed:
        catalog_actions.rename(organisation, data["name"], actor)
    for key in TEXT_FIELDS:
        if key in changed:
            setattr(organisation, key, data[key] or "")
    if "structure_type" in changed:
        organisation.structure_type = Term.objects.filter(
            vocabulary="structure_type", code=data["structure_type"]
        ).first()
    if "commune" in changed:
        organisation.commune = commune_by_code(data["commune"] or "")
    catalog_actions.save_organisation(organisation, actor, changed_fields=changed)
    return changed


@transaction.atomic
def edit(organisation: Organisation, data: dict, actor, comment: str = "") -> Revision | None:
    """A direct edit of an organisation (moderators, curators, administrators), kept in its history."""
    organisation = lock(organisation)
    previous = snapshot(organisation)
    apply(organisation, data, actor)
    return record_edit(organisation, previous, actor, Revision.Kind.DIRECT_EDIT, comment)


@transaction.atomic
def restore(organisation: Organisation, data: dict, actor, reverts: Revision) -> Revision | None:
    """Bring the organisation back to `data` as a new `revert` revision; None when it is already so."""
    organisation = lock(organisation)
    previous = snapshot(organisation)
    apply(organisation, data, actor)
    return record_edit(organisation, previous, actor, Revision.Kind.REVERT, reverts=reverts)


def first_edits_by(user) -> list[Revision]:
    """The first applied revision of `user` on each organisation, oldest first."""
    first: dict[int, Revision] = {}
    applied = Revision.objects.filter(author=user, status=Revision.Status.APPLIED, organisation__isnull=False)
    for revision in applied.order_by("applied_at", "id").select_related("organisation"):
        first.setdefault(revision.organisation_id, revision)
    return list(first.values())
