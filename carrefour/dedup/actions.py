"""Named actions of deduplication: record candidates, merge two sheets, declare a pair distinct.

Each runs in one transaction and writes a typed audit event.
"""

from django.db import transaction
from django.db.models import Field, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from carrefour.catalog import actions as catalog_actions
from carrefour.catalog.models import Initiative, InitiativeImage, InitiativeLink, Location, SlugRedirect, Stakeholder
from carrefour.core.audit import record_event
from carrefour.core.models import EventType
from carrefour.dedup.models import CandidateStatus, DuplicateCandidate, Merge
from carrefour.dedup.normalise import normalise_address
from carrefour.dedup.scoring import NEAR_METRES, distance_metres
from carrefour.dedup.trust import choose_fields, standing
from carrefour.search.signals import enqueue
from carrefour.sources.models import SourceRecord

TERM_FIELDS = ("themes", "publics", "innovation_forms", "place_types")


class MergeRefused(Exception):
    """A merge that cannot be done; the message is in French, for the moderator."""


def ordered(a: Initiative, b: Initiative) -> tuple[Initiative, Initiative]:
    return (a, b) if a.pk < b.pk else (b, a)


def choose_survivor(a: Initiative, b: Initiative) -> tuple[Initiative, Initiative]:
    """(survivor, merged): the sheet people edited here survives, then the one with more sources, then the older."""

    def key(initiative: Initiative):
        info = standing(initiative)
        return (not (info.written_here or info.edited_fields), -initiative.source_records.count(), initiative.pk)

    return (a, b) if key(a) <= key(b) else (b, a)


def _check(survivor: Initiative, merged: Initiative) -> None:
    if survivor.pk == merged.pk:
        raise MergeRefused(_("Une fiche ne peut pas être fusionnée avec elle-même."))
    if survivor.merged_into_id or merged.merged_into_id:
        raise MergeRefused(_("L'une des deux fiches a déjà été fusionnée dans une autre."))


@transaction.atomic
def merge(
    survivor: Initiative,
    merged: Initiative,
    actor=None,
    choices: dict[str, int] | None = None,
    candidate: DuplicateCandidate | None = None,
    rule: str = "",
) -> Merge:
    """Merge `merged` into `survivor`: values by the trust rule (or the moderator's `choices`, field → initiative id),
    every source, place, theme, link and organisation kept; the merged sheet archived, its address redirecting."""
    survivor = Initiative.objects.select_for_update().get(pk=survivor.pk)
    merged = Initiative.objects.select_for_update().get(pk=merged.pk)
    _check(survivor, merged)
    field_choices = choose_fields(survivor, merged, choices)
    changed = _apply_values(survivor, field_choices)
    moved = _move_children(survivor, merged)
    survivor.version += 1
    catalog_actions.save_initiative(survivor, actor, changed_fields=changed)
    merged.merged_into = survivor
    merged.save(update_fields=["merged_into", "updated_at"])
    catalog_actions.change_status(merged, Initiative.Status.ARCHIVED, actor)
    candidate = _close_candidate(survivor, merged, candidate, actor)
    record = Merge.objects.create(
        survivor=survivor, merged=merged, candidate=candidate, rule=rule, field_choices=field_choices, actor=actor
    )
    record_event(
        EventType.DUPLICATES_MERGED,
        survivor,
        actor,
        merged=merged.pk,
        merge=record.pk,
        rule=rule,
        fields={f: c["from_initiative"] for f, c in field_choices.items()},
        moved=moved,
    )
    enqueue([survivor.pk, merged.pk])
    return record


def _apply_values(survivor: Initiative, field_choices: dict) -> list[str]:
    changed = []
    for field, choice in field_choices.items():
        model_field = Initiative._meta.get_field(field)
        assert isinstance(model_field, Field), f"{field} is not a column of the sheet"
        attname = model_field.attname
        if getattr(survivor, attname) != choice["value"]:
            setattr(survivor, attname, choice["value"])
            changed.append(field)
    return changed


def _move_children(survivor: Initiative, merged: Initiative) -> dict[str, int]:
    """Re-point the merged sheet's records, places, links, images, organisations and terms to the survivor."""
    moved = {"source_records": SourceRecord.objects.filter(initiative=merged).update(initiative=survivor)}
    moved["places"] = _move_locations(survivor, merged)
    known_urls = {u.rstrip("/").lower() for u in survivor.links.values_list("url", flat=True)}
    new_links = [link for link in merged.links.all() if link.url.rstrip("/").lower() not in known_urls]
    moved["links"] = InitiativeLink.objects.filter(pk__in=[link.pk for link in new_links]).update(initiative=survivor)
    moved["images"] = InitiativeImage.objects.filter(initiative=merged).update(initiative=survivor)
    existing = set(survivor.stakeholders.values_list("organisation_id", "role"))
    stakes = [s.pk for s in merged.stakeholders.all() if (s.organisation_id, s.role) not in existing]
    moved["organisations"] = Stakeholder.objects.filter(pk__in=stakes).update(initiative=survivor)
    for field in TERM_FIELDS:
        getattr(survivor, field).add(*getattr(merged, field).all())
    # Whatever pointed at the merged sheet now points at the survivor.
    Initiative.objects.filter(merged_into=merged).update(merged_into=survivor)
    Initiative.objects.filter(replicated_from=merged).update(replicated_from=survivor)
    SlugRedirect.objects.filter(model="initiative", object_id=merged.pk).update(object_id=survivor.pk)
    return moved


def _same_place(a: Location, b: Location) -> bool:
    if a.commune_id != b.commune_id:
        return False
    distance = distance_metres(a, b)
    if distance is not None:
        return distance <= NEAR_METRES
    return normalise_address(a.address) == normalise_address(b.address)


def _move_locations(survivor: Initiative, merged: Initiative) -> int:
    kept = list(survivor.locations.all())
    position = max((loc.position for loc in kept), default=0)
    count = 0
    for location in merged.locations.all():
        if any(_same_place(location, other) for other in kept):
            continue
        position += 1
        location.initiative, location.position = survivor, position
        location.save(update_fields=["initiative", "position"])
        kept.append(location)
        count += 1
    return count


def _close_candidate(survivor, merged, candidate, actor) -> DuplicateCandidate:
    first, second = ordered(survivor, merged)
    if candidate is None:
        candidate, _created = DuplicateCandidate.objects.get_or_create(
            first=first, second=second, defaults={"score": 1.0, "reasons": [_("Fusion demandée par un modérateur")]}
        )
    candidate.status = CandidateStatus.MERGED
    candidate.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    candidate.decided_at = timezone.now()
    candidate.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    # Pending pairs with the merged sheet are dropped: the next run compares the survivor instead.
    DuplicateCandidate.objects.filter(Q(first=merged) | Q(second=merged), status=CandidateStatus.PENDING).delete()
    return candidate


@transaction.atomic
def mark_distinct(candidate: DuplicateCandidate, actor=None) -> DuplicateCandidate:
    """« Ce ne sont pas des doublons »: remembered, never proposed again."""
    candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status == CandidateStatus.MERGED:
        raise MergeRefused(_("Ces deux fiches ont déjà été fusionnées."))
    candidate.status = CandidateStatus.DISTINCT
    candidate.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    candidate.decided_at = timezone.now()
    candidate.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    record_event(
        EventType.DUPLICATE_MARKED_DISTINCT, candidate, actor, first=candidate.first_id, second=candidate.second_id
    )
    return candidate
