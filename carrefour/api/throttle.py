"""Request budgets of the public API, counted by the project's one rate limiter (`carrefour.messaging.ratelimit`:
fixed-window counters in the database, atomic conditional updates shared by every worker process, R-SEC-24).

A budget "60/m" allows 60 requests per calendar minute; "10/s" adds a burst limit. Anonymous clients are counted
per IP address (stored hashed), partners per token (a higher budget). Over a budget: 429 with Retry-After.
"""

import math
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PERIODS = {"s": 1, "m": 60, "h": 3600}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*([smh])\s*$")


@dataclass(frozen=True)
class Rate:
    count: int
    period: int


def parse_rates(text: str) -> list[Rate]:
    """ "60/m,10/s" → rates; an empty text means no limit."""
    rates = []
    for part in filter(None, (piece.strip() for piece in (text or "").split(","))):
        match = _RATE.match(part)
        if not match:
            raise ImproperlyConfigured(f"API rate {part!r}: expected <count>/<s|m|h>, e.g. 60/m")
        rates.append(Rate(int(match[1]), PERIODS[match[2]]))
    return rates


def anonymous_rates() -> list[Rate]:
    return parse_rates(",".join(filter(None, [settings.CARREFOUR_API_RATE, settings.CARREFOUR_API_BURST])))


def page_rates() -> list[Rate]:
    """Budget of the endpoints our own pages call as people type or move the map (autocomplete, map points)."""
    return parse_rates(settings.CARREFOUR_API_PAGE_RATE)


def token_rates() -> list[Rate]:
    return parse_rates(settings.CARREFOUR_API_TOKEN_RATE)


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or the one the trusted reverse proxies recorded in X-Forwarded-For."""
    proxies = settings.CARREFOUR_API_TRUSTED_PROXY_COUNT
    if proxies > 0:
        chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(chain) >= proxies:
            return chain[-proxies][:64]
    return request.META.get("REMOTE_ADDR", "")[:64]


def over_budget(identity: str, rates: list[Rate], now: float | None = None) -> int | None:
    """Count one request against each rate; the seconds to wait when one is exceeded, else None."""
    from carrefour.messaging.ratelimit import Limit, RateLimited, consume

    if not rates:
        return None
    moment = datetime.fromtimestamp(time.time() if now is None else now, tz=UTC)
    limits = [Limit(f"api:{rate.period}", identity, rate.count, timedelta(seconds=rate.period)) for rate in rates]
    try:
        consume(limits, moment)
    except RateLimited as refused:
        period = int(refused.limit.window.total_seconds())
        return max(1, math.ceil(period - moment.timestamp() % period))
    return None
