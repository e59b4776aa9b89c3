"""Alerts' retention: unconfirmed requests are deleted after their confirmation link has expired."""

from datetime import datetime, timedelta

from carrefour.alerts.links import CONFIRMATION_MAX_AGE
from carrefour.alerts.models import SavedSearch


def purge_unconfirmed(now: datetime) -> dict[str, int]:
    expired = SavedSearch.objects.filter(
        confirmed_at__isnull=True, created_at__lte=now - timedelta(seconds=CONFIRMATION_MAX_AGE)
    )
    return {"unconfirmed_alerts_deleted": expired.delete()[0]}
