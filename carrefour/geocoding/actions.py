"""Address geocoding actions. A sheet's save only marks its addresses pending, in its own transaction; the
geocoder is asked after the commit (one quick attempt) and by `carrefour geocode_pending` (cron), with back-off, so a
slow or absent geocoder never delays nor fails a save (R-REL-12)."""

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from carrefour.catalog.models import Location
from carrefour.core.audit import record_event
from carrefour.core.models import EventType
from carrefour.geocoding.backends import GeocoderUnavailable, Result, address_geocoder_enabled, geocode
from carrefour.geocoding.models import AddressGeocoding, GeocodeStatus
from carrefour.search.signals import enqueue

logger = logging.getLogger(__name__)
FIRST_RETRY = dt.timedelta(minutes=5)
LONGEST_WAIT = dt.timedelta(hours=24)
MAX_ATTEMPTS = 15


@dataclass
class RunSummary:
    geocoded: int = 0
    not_found: int = 0
    failed: int = 0
    gave_up: int = 0
    errors: list[str] = field(default_factory=list)


def query_of(location: Location) -> str:
    parts = (location.address, location.postal_code, location.commune_id or "")
    return " | ".join(part.strip() for part in parts)[:400]


def needs_geocoding(location: Location) -> bool:
    """An address known only to its commune. Partner coordinates finer than the commune are never re-geocoded."""
    return bool(location.address.strip()) and location.precision == Location.Precision.COMMUNE


def mark_pending(location: Location) -> AddressGeocoding | None:
    """In the caller's transaction: queue the address if an address geocoder is configured and it needs one."""
    if not address_geocoder_enabled() or not needs_geocoding(location):
        return None
    query = query_of(location)
    row = AddressGeocoding.objects.filter(location=location).first()
    if row is not None and row.query == query and row.status in (GeocodeStatus.NOT_FOUND, GeocodeStatus.GAVE_UP):
        return None  # this very address was already answered in vain
    if row is not None and row.query == query and row.status == GeocodeStatus.PENDING:
        return row
    # Otherwise a new address, or a « done » one back at its commune (an edit wrote other coordinates): ask again.
    row, _created = AddressGeocoding.objects.update_or_create(
        location=location,
        defaults={
            "status": GeocodeStatus.PENDING,
            "query": query,
            "attempts": 0,
            "next_attempt_at": timezone.now(),
            "last_error": "",
            "result_label": "",
            "result_kind": "",
            "score": None,
        },
    )
    return row


def is_pending(location: Location) -> bool:
    return AddressGeocoding.objects.filter(location=location, status=GeocodeStatus.PENDING).exists()


def due(now=None):
    now = now or timezone.now()
    return AddressGeocoding.objects.filter(status=GeocodeStatus.PENDING, next_attempt_at__lte=now).order_by(
        "next_attempt_at", "pk"
    )


def attempt(row_id: int, summary: RunSummary | None = None) -> str:
    """One try for one pending address; returns the new status. Never raises for a geocoder problem."""
    summary = summary if summary is not None else RunSummary()
    row = AddressGeocoding.objects.select_related("location__commune").filter(pk=row_id).first()
    if row is None or row.status != GeocodeStatus.PENDING:
        return row.status if row else ""
    location = row.location
    if query_of(location) != row.query or not needs_geocoding(location):
        row.delete()  # edited meanwhile: its own save queued the new address
        return ""
    try:
        result = geocode(location.address, location.postal_code, location.commune)
    except GeocoderUnavailable as exc:
        return _failed(row, str(exc), summary)
    return _answered(row, result, summary)


def _failed(row: AddressGeocoding, error: str, summary: RunSummary) -> str:
    row.attempts += 1
    row.last_error = error[:2000]
    if row.attempts >= MAX_ATTEMPTS:
        row.status, row.next_attempt_at = GeocodeStatus.GAVE_UP, None
        summary.gave_up += 1
    else:
        row.next_attempt_at = timezone.now() + min(FIRST_RETRY * 2 ** (row.attempts - 1), LONGEST_WAIT)
        summary.failed += 1
    summary.errors.append(error)
    row.save(update_fields=["attempts", "last_error", "status", "next_attempt_at", "updated_at"])
    logger.warning("Geocoding location %s failed (attempt %s): %s", row.location_id, row.attempts, error)
    return row.status


@transaction.atomic
def _answered(row: AddressGeocoding, result: Result | None, summary: RunSummary) -> str:
    row.attempts += 1
    row.last_error = ""
    row.next_attempt_at = None
    if result is None or result.precision == Location.Precision.COMMUNE:
        row.status = GeocodeStatus.NOT_FOUND
        summary.not_found += 1
    else:
        updated = Location.objects.filter(pk=row.location_id, precision=Location.Precision.COMMUNE).update(
            latitude=result.latitude,
            longitude=result.longitude,
            precision=result.precision,
            coordinates_look_swapped=False,
        )
        row.status = GeocodeStatus.DONE if updated else GeocodeStatus.NOT_FOUND
        row.result_label, row.result_kind, row.score = result.label[:400], result.kind, result.score
        if updated:
            enqueue([row.location.initiative_id])  # .update() bypasses the search signals
            record_event(
                EventType.LOCATION_GEOCODED,
                row.location,
                None,
                kind=result.kind,
                score=result.score,
                label=result.label,
            )
            summary.geocoded += 1
    row.save()
    return row.status


def attempt_after_commit(row_id: int) -> None:
    """Best effort, once the sheet is saved: the cron job covers any failure."""
    try:
        attempt(row_id)
    except Exception:
        logger.exception("Geocoding right after a save failed; `carrefour geocode_pending` will retry.")


def retry_due(limit: int | None = None) -> RunSummary:
    summary = RunSummary()
    ids = list(due().values_list("pk", flat=True)[:limit] if limit else due().values_list("pk", flat=True))
    for row_id in ids:
        attempt(row_id, summary)
    return summary


def scan(batch: int = 500) -> int:
    """Queue the addresses that never went through the geocoder (bulk imports write locations without signals)."""
    if not address_geocoder_enabled():
        return 0
    candidates = Location.objects.filter(precision=Location.Precision.COMMUNE).exclude(address="")
    marked = 0
    for location in candidates.filter(geocoding__isnull=True).iterator(chunk_size=batch):
        with transaction.atomic():
            marked += 1 if mark_pending(location) else 0
    return marked
