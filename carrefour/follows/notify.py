"""`carrefour notify_followers`: turn the audit log into notifications for the people who follow what changed.

Read: the audit events after the cursor (`NotifierCursor.last_event_id`), oldest first, in batches.
- a followed initiative updated or renamed → « mise à jour » (one per initiative and person per run: a save that
  writes several events notifies once);
- a followed initiative's status changed → « changement de statut »;
- an initiative published (created published, or moved to published) → « nouvelle initiative » for the followers of
  the territories it lies in (commune, EPCI, département, région) and of its organisations.
Changes of unpublished sheets are never told (a draft stays private), nor is one's own change.

Exactly once: a notification is unique per (person, audit event) and the cursor moves with a conditional UPDATE in
the same transaction, so a second run (after or during the first) adds nothing. Events younger than `settle` seconds
wait for the next run: on PostgreSQL an event id can become visible after a higher one, and the cursor must not pass
it by.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carrefour.catalog.models import Initiative
from carrefour.core.models import AuditEvent, EventType
from carrefour.follows import territories
from carrefour.follows.models import Follow, FollowKind, Notification, NotificationKind, NotifierCursor

CURSOR = "followers"
BATCH_SIZE = 500
DEFAULT_SETTLE_SECONDS = 60
INITIATIVE_OBJECT = "catalog.initiative"
UPDATES = {EventType.INITIATIVE_UPDATED.value, EventType.INITIATIVE_RENAMED.value}
CREATED = EventType.INITIATIVE_CREATED.value
STATUS = EventType.INITIATIVE_STATUS_CHANGED.value
WATCHED = UPDATES | {CREATED, STATUS}
SUMMARY_MAX = 300


class CursorMoved(Exception):
    """Another run processed this batch first."""


@dataclass(frozen=True)
class Planned:
    user_id: int
    kind: str
    initiative_id: int
    event: AuditEvent
    summary: str


def _quoted(name: str) -> str:
    return f"« {' '.join(name.split())} »"


def _status_summary(initiative: Initiative, new: str) -> str:
    if new == Initiative.Status.PUBLISHED:
        return _("%(name)s est de nouveau publiée.") % {"name": _quoted(initiative.name)}
    return _("%(name)s n'est plus publiée (%(status)s).") % {
        "name": _quoted(initiative.name),
        "status": Initiative.Status(new).label.lower() if new in Initiative.Status.values else new,
    }


def _initiative_followers(initiative_ids) -> dict[int, set[int]]:
    followers: dict[int, set[int]] = defaultdict(set)
    rows = Follow.objects.filter(kind=FollowKind.INITIATIVE, initiative_id__in=initiative_ids)
    for user_id, initiative_id in rows.values_list("user_id", "initiative_id"):
        followers[initiative_id].add(user_id)
    return followers


def _new_initiative_notices(initiative: Initiative, event: AuditEvent) -> list[Planned]:
    """Followers of the territories and organisations of a newly published initiative (one notice each)."""
    locations = initiative.locations.select_related("commune")
    pairs = {pair for location in locations for pair in territories.containing(location.commune)}
    notices: dict[int, Planned] = {}
    stakes = initiative.stakeholders.select_related("organisation")
    organisations = {stake.organisation_id: stake.organisation.name for stake in stakes}
    by_organisation = Follow.objects.filter(kind=FollowKind.ORGANISATION, organisation_id__in=organisations)
    for user_id, organisation_id in by_organisation.values_list("user_id", "organisation_id"):
        summary = _("Nouvelle initiative de %(organisation)s : %(name)s.") % {
            "organisation": organisations[organisation_id],
            "name": _quoted(initiative.name),
        }
        notices.setdefault(
            user_id, Planned(user_id, NotificationKind.NEW_IN_ORGANISATION, initiative.pk, event, summary)
        )
    if pairs:
        levels = {level for level, _code in pairs}
        codes = {code for _level, code in pairs}
        followed = Follow.objects.filter(
            kind=FollowKind.TERRITORY, territory_level__in=levels, territory_code__in=codes
        ).values_list("user_id", "territory_level", "territory_code")
        matching = [(user_id, (level, code)) for user_id, level, code in followed if (level, code) in pairs]
        place_names = territories.names(pair for _user, pair in matching)
        for user_id, pair in matching:
            summary = _("Nouvelle initiative sur le territoire « %(place)s » : %(name)s.") % {
                "place": place_names.get(pair, pair[1]),
                "name": _quoted(initiative.name),
            }
            notices.setdefault(
                user_id, Planned(user_id, NotificationKind.NEW_IN_TERRITORY, initiative.pk, event, summary)
            )
    return list(notices.values())


def plan(events: list[AuditEvent]) -> list[Planned]:
    """The notifications a batch of audit events gives, before writing them."""
    ids = {int(event.object_id) for event in events if event.object_id.isdigit()}
    initiatives = Initiative.objects.in_bulk(ids)
    followers = _initiative_followers(ids)
    planned: list[Planned] = []
    updated: dict[tuple[int, int], Planned] = {}  # (user, initiative) → the latest update of the batch
    for event in events:
        initiative = initiatives.get(int(event.object_id)) if event.object_id.isdigit() else None
        if initiative is None:
            continue
        published = initiative.status == Initiative.Status.PUBLISHED
        if event.event_type in UPDATES and published:
            summary = _("%(name)s a été mise à jour.") % {"name": _quoted(initiative.name)}
            for user_id in followers.get(initiative.pk, ()):
                updated[(user_id, initiative.pk)] = Planned(
                    user_id, NotificationKind.UPDATED, initiative.pk, event, summary
                )
        elif event.event_type == STATUS:
            new = str(event.data.get("new", ""))
            summary = _status_summary(initiative, new)
            planned += [
                Planned(user_id, NotificationKind.STATUS, initiative.pk, event, summary)
                for user_id in followers.get(initiative.pk, ())
            ]
            if new == Initiative.Status.PUBLISHED and published:
                planned += _new_initiative_notices(initiative, event)
        elif event.event_type == CREATED and published:
            planned += _new_initiative_notices(initiative, event)
    planned += updated.values()
    return [notice for notice in planned if notice.user_id != notice.event.actor_id]


def _batch(after: int, until: datetime) -> list[AuditEvent]:
    events = list(
        AuditEvent.objects.filter(pk__gt=after, event_type__in=WATCHED, object_type=INITIATIVE_OBJECT)
        .order_by("pk")
        .only("pk", "created_at", "actor_id", "event_type", "object_type", "object_id", "data")[:BATCH_SIZE]
    )
    fresh = next((index for index, event in enumerate(events) if event.created_at > until), None)
    return events if fresh is None else events[:fresh]


def run_once(now: datetime, settle: timedelta) -> tuple[int, int]:
    """Process one batch; (events read, notifications created)."""
    with transaction.atomic():
        cursor, _created = NotifierCursor.objects.get_or_create(name=CURSOR)
        events = _batch(cursor.last_event_id, now - settle)
        if not events:
            return 0, 0
        planned = plan(events)
        ids = [event.pk for event in events]
        before = Notification.objects.filter(event_id__in=ids).count()
        Notification.objects.bulk_create(
            [
                Notification(
                    user_id=notice.user_id,
                    kind=notice.kind,
                    initiative_id=notice.initiative_id,
                    event_id=notice.event.pk,
                    summary=notice.summary[:SUMMARY_MAX],
                    created_at=notice.event.created_at,
                )
                for notice in planned
            ],
            ignore_conflicts=True,
        )
        moved = NotifierCursor.objects.filter(pk=cursor.pk, last_event_id=cursor.last_event_id).update(
            last_event_id=events[-1].pk
        )
        if not moved:
            raise CursorMoved
        created = Notification.objects.filter(event_id__in=ids).count() - before
    return len(events), created


def notify_followers(now: datetime | None = None, settle_seconds: int = DEFAULT_SETTLE_SECONDS) -> dict[str, int]:
    now = now or timezone.now()
    summary = {"events": 0, "notifications": 0}
    while True:
        try:
            events, created = run_once(now, timedelta(seconds=settle_seconds))
        except CursorMoved:
            break  # another run is on it
        if not events:
            break
        summary["events"] += events
        summary["notifications"] += created
    return summary
