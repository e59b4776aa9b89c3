"""The digest worker: each due alert runs through the one search engine; only new matches go out, each once.

New = published since the last digest (less a margin for the search index's lag, never before the confirmation) and
never delivered by this alert (`AlertDelivery` is unique per alert and initiative). A run claims an alert by moving
its `last_sent_at` with a conditional UPDATE, records the deliveries and queues the mail in the same transaction, so
two runs — one after the other or at the same time — never send the same initiative twice.
"""

import dataclasses
import hashlib
import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import ngettext

from carrefour import search
from carrefour.alerts import links
from carrefour.alerts.actions import verified_email
from carrefour.alerts.models import AlertDelivery, Frequency, SavedSearch
from carrefour.alerts.searches import parse
from carrefour.catalog.models import Initiative
from carrefour.core.audit import record_event
from carrefour.core.models import EventType
from carrefour.messaging.outbox import queue_mail
from carrefour.search.bounds import MAX_RESULT_WINDOW

logger = logging.getLogger(__name__)

PERIODS = {Frequency.DAILY: timedelta(days=1), Frequency.WEEKLY: timedelta(days=7)}
# A run from cron at a fixed hour must not miss an alert sent a few minutes later than the previous day.
SCHEDULE_SLACK = timedelta(hours=2)
INDEX_LAG_MARGIN = timedelta(days=1)
PAGE_SIZE = 100
MAX_LISTED = 50  # a digest lists at most this many initiatives, then links to the search for the others


def due_searches(frequency: str | None = None, now: datetime | None = None):
    now = now or timezone.now()
    saved = SavedSearch.objects.filter(confirmed_at__isnull=False)
    frequencies = [frequency] if frequency else list(PERIODS)
    due = Q()
    for name in frequencies:
        before = now - PERIODS[name] + SCHEDULE_SLACK
        due |= Q(frequency=name) & (Q(last_sent_at__isnull=True) | Q(last_sent_at__lte=before))
    return saved.filter(due).order_by("pk")


def _since(saved: SavedSearch) -> datetime:
    if saved.last_sent_at is None:
        return saved.confirmed_at
    return max(saved.confirmed_at, saved.last_sent_at - INDEX_LAG_MARGIN)


def matching_ids(saved: SavedSearch, since: datetime) -> list[int]:
    """Ids of published initiatives matching the search, freshest first, down to those untouched since `since`."""
    base = parse(saved.query_string).request
    found: list[int] = []
    page = 1
    while page * PAGE_SIZE <= MAX_RESULT_WINDOW:
        request = dataclasses.replace(base, sort="freshness", page=page, page_size=PAGE_SIZE, facets=(), explain=False)
        hits = search.query(request).hits
        ids = [hit.id for hit in hits]
        rows = Initiative.published.filter(pk__in=ids).values_list(
            "pk", "published_at", "updated_at", "last_confirmed_at"
        )
        by_id = {pk: (published, max(filter(None, (updated, confirmed)))) for pk, published, updated, confirmed in rows}
        found += [pk for pk in ids if pk in by_id and by_id[pk][0] and by_id[pk][0] > since]
        touched = [by_id[pk][1] for pk in ids if pk in by_id]
        if len(hits) < PAGE_SIZE or (touched and min(touched) < since):
            break  # freshness order: nothing further down was published after `since`
        page += 1
    return found


def _digest_mail(saved: SavedSearch, address: str, initiatives: list[Initiative], now: datetime) -> None:
    count = len(initiatives)
    context = {
        "saved": saved,
        "initiatives": [
            {"name": item.name, "summary": item.summary, "url": links.absolute(item.get_absolute_url())}
            for item in initiatives[:MAX_LISTED]
        ],
        "count": count,
        "more": max(count - MAX_LISTED, 0),
        "search_url": links.search_url(saved),
        "manage_url": links.manage_url(saved),
        "unsubscribe_url": links.unsubscribe_url(saved),
    }
    fingerprint = hashlib.sha256(",".join(str(item.pk) for item in initiatives).encode()).hexdigest()[:16]
    subject = ngettext(
        "[Carrefour] %(count)s nouvelle initiative pour « %(label)s »",
        "[Carrefour] %(count)s nouvelles initiatives pour « %(label)s »",
        count,
    ) % {"count": count, "label": " ".join(saved.label.split())}
    queue_mail(
        to=[address],
        subject=subject,
        body_text=render_to_string("alerts/mail/digest.txt", context),
        headers=links.unsubscribe_headers(saved),
        idempotency_key=f"alert-{saved.pk}-digest-{fingerprint}",
        now=now,
    )


def send_digest(saved: SavedSearch, now: datetime | None = None) -> int:
    """Queue this alert's digest of new matches; returns how many initiatives it lists (0: nothing sent)."""
    now = now or timezone.now()
    # The account's current verified address, else the one confirmed by double opt-in when the alert was created.
    address = (verified_email(saved.user) if saved.user_id else "") or saved.email
    ids = matching_ids(saved, _since(saved)) if address else []
    with transaction.atomic():
        claimed = SavedSearch.objects.filter(pk=saved.pk, last_sent_at=saved.last_sent_at)
        if saved.last_sent_at is None:
            claimed = SavedSearch.objects.filter(pk=saved.pk, last_sent_at__isnull=True)
        if not claimed.update(last_sent_at=now):
            return 0  # another run took this alert
        delivered = set(
            AlertDelivery.objects.filter(saved_search=saved, initiative_id__in=ids).values_list(
                "initiative_id", flat=True
            )
        )
        new_ids = [pk for pk in ids if pk not in delivered]
        if not new_ids:
            return 0
        by_id = Initiative.published.in_bulk(new_ids)
        initiatives = [by_id[pk] for pk in new_ids if pk in by_id]
        AlertDelivery.objects.bulk_create(
            [AlertDelivery(saved_search=saved, initiative=item, sent_at=now) for item in initiatives]
        )
        _digest_mail(saved, address, initiatives, now)
        record_event(EventType.ALERT_DIGEST_SENT, saved, None, initiatives=[item.pk for item in initiatives])
    saved.last_sent_at = now
    return len(initiatives)


def send_alerts(frequency: str | None = None, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    summary = {"alerts": 0, "digests": 0, "initiatives": 0, "errors": 0}
    for saved in due_searches(frequency, now).select_related("user"):
        summary["alerts"] += 1
        try:
            listed = send_digest(saved, now)
        except Exception:  # one broken alert (an old search the parser now refuses…) must not block the others
            logger.exception("alert %s could not be sent", saved.pk)
            summary["errors"] += 1
            continue
        summary["digests"] += 1 if listed else 0
        summary["initiatives"] += listed
    return summary
