"""Where a sheet stood before an edit moved it: the communes of its places in the applied revision's old snapshot.

An edit that changes a sheet's places writes an `initiative_updated` event naming "locations", then (same
transaction) the applied revision that keeps the sheet before (`previous_data`) and after (`data`). Edits of one sheet
are serialised (the sheet is locked), so an event's revision is the sheet's first applied revision at or after it.
An edit without a revision (the admin form) leaves no old snapshot: its move is not known here.
"""

from collections import defaultdict

from carrefour.contributions.models import Revision
from carrefour.core.models import AuditEvent, EventType

INITIATIVE_OBJECT = "catalog.initiative"


def _communes(snapshot) -> set[str]:
    places = snapshot.get("locations") if isinstance(snapshot, dict) else None
    return {str(place["commune"]) for place in places or [] if isinstance(place, dict) and place.get("commune")}


def _place_edits(events: list[AuditEvent]) -> list[AuditEvent]:
    found = []
    for event in events:
        data = event.data if isinstance(event.data, dict) else {}
        if (
            event.object_type == INITIATIVE_OBJECT
            and event.event_type == EventType.INITIATIVE_UPDATED
            and event.object_id.isdigit()
            and "locations" in (data.get("fields") or [])
        ):
            found.append(event)
    return found


def former_communes(events: list[AuditEvent]) -> dict[int, set[str]]:
    """Initiative id → the communes its places were in before the edits among `events` that moved them."""
    edits = _place_edits(events)
    if not edits:
        return {}
    revisions: dict[int, list[Revision]] = defaultdict(list)
    rows = Revision.objects.filter(
        initiative_id__in={int(event.object_id) for event in edits},
        status=Revision.Status.APPLIED,
        applied_at__gte=min(event.created_at for event in edits),
    ).order_by("applied_at", "id")
    for revision in rows.only("initiative_id", "applied_at", "previous_data", "data"):
        revisions[revision.initiative_id].append(revision)
    former: dict[int, set[str]] = defaultdict(set)
    for event in edits:
        initiative_id = int(event.object_id)
        revision = next((r for r in revisions[initiative_id] if r.applied_at >= event.created_at), None)
        if revision is None:
            continue
        before, after = _communes(revision.previous_data), _communes(revision.data)
        if before and before != after:  # a proposal's first publication has no "before"
            former[initiative_id] |= before
    return dict(former)
