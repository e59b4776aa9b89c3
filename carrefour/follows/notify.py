"""`carrefour notify_followers`: turn the audit log into notifications for the people who follow what changed.

Read: the audit events after the cursor (`NotifierCursor.last_event_id`), oldest first, in batches. The events of one
initiative concern the people who follow it, one of its organisations, or a territory it lies in (commune, EPCI,
département, région) or that an edit just moved it out of (`moves`) — see `audience`; the edits of an organisation
concern its followers. For each person and each sheet, a run gathers the events that person did not make into one
notification (`changes` words it): a new initiative, an update (the fields that changed, in French), or a sheet
withdrawn (archived, hidden, merged). Changes of unpublished sheets are never told (a draft stays private), nor is
one's own change, nor a change of private fields.

Exactly once: a notification is unique per (person, audit event) and the cursor moves with a conditional UPDATE in
the same transaction, so a second run (after or during the first) adds nothing. Within one run, a later batch adds
its events to the notification an earlier batch created for the same person and sheet, while it is unread. Events
younger than `settle` seconds wait for the next run: on PostgreSQL an event id can become visible after a higher one,
and the cursor must not pass it by.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from carrefour.catalog.models import Initiative, Organisation
from carrefour.core.models import AuditEvent, EventType
from carrefour.follows import audience, moves
from carrefour.follows.changes import Change, describe_initiative, describe_organisation
from carrefour.follows.models import Notification, NotifierCursor

CURSOR = "followers"
BATCH_SIZE = 500
DEFAULT_SETTLE_SECONDS = 60
INITIATIVE_OBJECT = "catalog.initiative"
ORGANISATION_OBJECT = "catalog.organisation"
WATCHED = {
    INITIATIVE_OBJECT: {
        EventType.INITIATIVE_CREATED.value,
        EventType.INITIATIVE_UPDATED.value,
        EventType.INITIATIVE_RENAMED.value,
        EventType.INITIATIVE_STATUS_CHANGED.value,
        EventType.DUPLICATES_MERGED.value,
    },
    ORGANISATION_OBJECT: {EventType.ORGANISATION_UPDATED.value, EventType.ORGANISATION_RENAMED.value},
}
SUMMARY_MAX = 300

Key = tuple[int, str, int]  # (user id, object type, object id)


class CursorMoved(Exception):
    """Another run processed this batch first."""


@dataclass(frozen=True)
class Planned:
    key: Key
    kind: str
    summary: str
    change: Change

    @property
    def event(self) -> AuditEvent:
        return self.change.last_event


def _targets(events: list[AuditEvent]) -> dict[str, dict[int, object]]:
    ids: dict[str, set[int]] = {INITIATIVE_OBJECT: set(), ORGANISATION_OBJECT: set()}
    for event in events:
        if event.object_type in ids and event.object_id.isdigit():
            ids[event.object_type].add(int(event.object_id))
    return {
        INITIATIVE_OBJECT: Initiative.objects.select_related("merged_into").in_bulk(ids[INITIATIVE_OBJECT]),
        ORGANISATION_OBJECT: Organisation.objects.in_bulk(ids[ORGANISATION_OBJECT]),
    }


def _gather(events: list[AuditEvent], targets) -> tuple[dict[Key, Change], dict[Key, audience.Reason]]:
    """Per (person, sheet): the events of the batch that person did not make, and why the person hears of them."""
    audiences = {
        INITIATIVE_OBJECT: audience.of_initiatives(targets[INITIATIVE_OBJECT], moves.former_communes(events)),
        ORGANISATION_OBJECT: audience.of_organisations(targets[ORGANISATION_OBJECT]),
    }
    changes: dict[Key, Change] = {}
    reasons: dict[Key, audience.Reason] = {}
    for event in events:
        if event.object_type not in targets or not event.object_id.isdigit():
            continue
        object_id = int(event.object_id)
        if object_id not in targets[event.object_type]:
            continue  # deleted since
        for user_id, reason in audiences[event.object_type].get(object_id, {}).items():
            if user_id == event.actor_id:
                continue
            key = (user_id, event.object_type, object_id)
            changes.setdefault(key, Change(event.object_type)).add(event)
            reasons[key] = reason
    return changes, reasons


def plan(events: list[AuditEvent], earlier: dict[Key, Change] | None = None) -> list[Planned]:
    """The notifications a batch of audit events gives, before writing them. `earlier`: what previous batches of the
    same run already told each person (still unread), to be told again together with this batch's events."""
    earlier = earlier or {}
    targets = _targets(events)
    changes, reasons = _gather(events, targets)
    planned = []
    for key, change in changes.items():
        _user, object_type, object_id = key
        target = targets[object_type][object_id]
        for whole in ([earlier[key].then(change)] if key in earlier else []) + [change]:
            if object_type == INITIATIVE_OBJECT:
                described = describe_initiative(whole, target, reasons[key])
            else:
                described = describe_organisation(whole, target)
            if described is not None:
                planned.append(Planned(key, described[0], described[1], whole))
                break
    return planned


def _batch(after: int, until: datetime) -> list[AuditEvent]:
    events = list(
        AuditEvent.objects.filter(
            pk__gt=after,
            object_type__in=list(WATCHED),
            event_type__in=set().union(*WATCHED.values()),
        )
        .order_by("pk")
        .only("pk", "created_at", "actor_id", "event_type", "object_type", "object_id", "data")[:BATCH_SIZE]
    )
    events = [event for event in events if event.event_type in WATCHED[event.object_type]]
    fresh = next((index for index, event in enumerate(events) if event.created_at > until), None)
    return events if fresh is None else events[:fresh]


def _target_fields(key: Key) -> dict:
    _user, object_type, object_id = key
    if object_type == INITIATIVE_OBJECT:
        return {"initiative_id": object_id}
    return {"organisation_id": object_id}


def _write(planned: list[Planned], told: dict[Key, tuple[int, Change]]) -> tuple[dict[Key, tuple[int, Change]], int]:
    """Update this run's unread notifications that a notice continues, create the others; (what is told now, how
    many were updated)."""
    now_told: dict[Key, tuple[int, Change]] = {}
    fresh: list[Planned] = []
    for notice in planned:
        values = {"kind": notice.kind, "summary": notice.summary[:SUMMARY_MAX], "event_id": notice.event.pk}
        previous = told.get(notice.key)
        if previous and Notification.objects.filter(pk=previous[0], read_at__isnull=True).update(
            **values, created_at=notice.event.created_at
        ):
            now_told[notice.key] = (previous[0], notice.change)
        else:
            fresh.append(notice)
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=notice.key[0],
                kind=notice.kind,
                event_id=notice.event.pk,
                summary=notice.summary[:SUMMARY_MAX],
                created_at=notice.event.created_at,
                **_target_fields(notice.key),
            )
            for notice in fresh
        ],
        ignore_conflicts=True,
    )
    wanted = {(notice.key[0], notice.event.pk): notice for notice in fresh}
    rows = Notification.objects.filter(event_id__in={event_id for _user, event_id in wanted})
    for pk, user_id, event_id in rows.values_list("pk", "user_id", "event_id"):
        notice = wanted.get((user_id, event_id))
        if notice is not None:
            now_told[notice.key] = (pk, notice.change)
    return now_told, len(planned) - len(fresh)


def run_once(now: datetime, settle: timedelta, told: dict[Key, tuple[int, Change]] | None = None) -> tuple[int, int]:
    """Process one batch; (events read, notifications created). `told`, kept by the caller across the batches of a
    run, maps (person, sheet) to the notification this run created for it and what it tells."""
    told = {} if told is None else told
    with transaction.atomic():
        cursor, _created = NotifierCursor.objects.get_or_create(name=CURSOR)
        events = _batch(cursor.last_event_id, now - settle)
        if not events:
            return 0, 0
        unread = set(
            Notification.objects.filter(pk__in=[pk for pk, _change in told.values()], read_at__isnull=True).values_list(
                "pk", flat=True
            )
        )
        earlier = {key: change for key, (pk, change) in told.items() if pk in unread}
        planned = plan(events, earlier)
        ids = [event.pk for event in events]
        before = Notification.objects.filter(event_id__in=ids).count()
        now_told, updated = _write(planned, {key: told[key] for key in earlier})
        moved = NotifierCursor.objects.filter(pk=cursor.pk, last_event_id=cursor.last_event_id).update(
            last_event_id=events[-1].pk
        )
        if not moved:
            raise CursorMoved
        created = Notification.objects.filter(event_id__in=ids).count() - before - updated
    told.update(now_told)  # only once the batch is committed
    return len(events), created


def notify_followers(now: datetime | None = None, settle_seconds: int = DEFAULT_SETTLE_SECONDS) -> dict[str, int]:
    now = now or timezone.now()
    summary = {"events": 0, "notifications": 0}
    told: dict[Key, tuple[int, Change]] = {}
    while True:
        try:
            events, created = run_once(now, timedelta(seconds=settle_seconds), told)
        except CursorMoved:
            break  # another run is on it
        if not events:
            break
        summary["events"] += events
        summary["notifications"] += created
    return summary
