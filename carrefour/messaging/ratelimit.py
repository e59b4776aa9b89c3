"""Rate limits shared by every worker process: fixed-window counters in the database (`RateCounter`).

The database (not Django's cache) holds them because `DatabaseCache.incr` is a read then a write, which two processes
can interleave; here each hit is one conditional UPDATE (`count < limit`), atomic on SQLite and PostgreSQL. Keys are
HMACs of the IP or address (R-GDPR-06: IPs are stored hashed), and `carrefour purge_personal_data` deletes counters
whose window has ended.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from carrefour.messaging.models import RateCounter


@dataclass(frozen=True)
class Limit:
    name: str  # what is counted, e.g. "contact:ip"
    value: str  # the IP, address or id counted (hashed before it is stored)
    limit: int
    window: timedelta


class RateLimited(Exception):
    def __init__(self, limit: Limit):
        self.limit = limit
        super().__init__(limit.name)


def hashed(value: str) -> str:
    return salted_hmac("carrefour.messaging.ratelimit", value.strip().lower()).hexdigest()[:40]


def window_start(now: datetime, window: timedelta) -> datetime:
    seconds = int(window.total_seconds())
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=UTC)


def _take(limit: Limit, now: datetime) -> bool:
    start = window_start(now, limit.window)
    key = f"{limit.name}:{hashed(limit.value)}"
    RateCounter.objects.get_or_create(
        key=key, window_start=start, defaults={"count": 0, "expires_at": start + limit.window}
    )
    return bool(
        RateCounter.objects.filter(key=key, window_start=start, count__lt=limit.limit).update(count=F("count") + 1)
    )


def consume(limits: list[Limit], now: datetime | None = None) -> None:
    """Count one hit against every limit, or none of them: raises `RateLimited` (naming the first exhausted limit)."""
    now = now or timezone.now()
    with transaction.atomic():
        for limit in limits:
            if not _take(limit, now):
                raise RateLimited(limit)


def purge_expired(now: datetime | None = None) -> int:
    return RateCounter.objects.filter(expires_at__lte=now or timezone.now()).delete()[0]
