"""Login, second-factor and account-page budgets on the shared atomic counter (R-SEC-08, R-SEC-10, R-SEC-24).

Every worker process counts in the same database table (`carrefour.messaging.ratelimit`: one conditional UPDATE per
hit), never in Django's cache, whose database backend reads then writes and culls entries at random.

A login or code attempt takes one unit of its budget *before* the password or code is checked, and a successful
attempt gives it back: so failures are what is counted, and attempts running side by side in several processes can
never exceed the budget. Budgets are per (e-mail, IP address) — one person mistyping from home does not lock the
account out elsewhere — and per IP address; keys are stored hashed. A budget is a fixed window of
`LOGIN_COOLOFF_SECONDS`: once spent, that pair waits until the window ends, never longer (no permanent lock-out).
The refusal says the same thing whether or not the address has an account.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.utils import timezone

from carrefour.messaging.models import RateCounter
from carrefour.messaging.ratelimit import Limit, RateLimited, consume, hashed, window_start

LIMITS_FILE = Path(__file__).resolve().parent / "data" / "limits.yaml"
SCOPES = {"ip", "user", "email"}


@cache
def limits_data() -> dict:
    data = yaml.safe_load(LIMITS_FILE.read_text(encoding="utf-8"))
    for name, rules in data["requests"].items():
        for rule in rules:
            if rule.get("per") not in SCOPES or int(rule["count"]) < 1 or int(rule["seconds"]) < 1:
                raise ValueError(f"{LIMITS_FILE.name}: bad rule {rule!r} for {name}")
    return data


def clock() -> datetime:
    """The one time source of the budgets (tests travel in time by replacing it)."""
    return timezone.now()


def client_ip(request) -> str:
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return "unknown"


def normalised_email(email: str) -> str:
    return (email or "").strip().lower()


def cooloff() -> timedelta:
    return timedelta(seconds=settings.LOGIN_COOLOFF_SECONDS)


def failures_per_ip(ip: str) -> Limit:
    rule = limits_data()["failures_per_ip"]
    return Limit("login:ip", ip or "unknown", int(rule["count"]), timedelta(seconds=int(rule["seconds"])))


def login_limits(email: str, ip: str) -> list[Limit]:
    pair = f"{normalised_email(email)}|{ip or 'unknown'}"
    return [Limit("login:pair", pair, settings.LOGIN_ATTEMPTS, cooloff()), failures_per_ip(ip)]


def code_limits(user, ip: str) -> list[Limit]:
    """Second-factor codes (TOTP or recovery code): per account, whatever the address, and per address."""
    return [Limit("mfa:user", str(user.pk), settings.LOGIN_ATTEMPTS, cooloff()), failures_per_ip(ip)]


@dataclass(frozen=True)
class Attempt:
    """One unit taken from each limit at `at`; `succeeded()` gives them back."""

    limits: tuple[Limit, ...]
    at: datetime

    def succeeded(self) -> None:
        for limit in self.limits:
            RateCounter.objects.filter(
                key=counter_key(limit), window_start=window_start(self.at, limit.window), count__gt=0
            ).update(count=F("count") - 1)


def counter_key(limit: Limit) -> str:
    return f"{limit.name}:{hashed(limit.value)}"


def take_attempt(limits: list[Limit], now: datetime | None = None) -> Attempt | None:
    """Take one attempt from every limit (all or none); None when a budget is spent."""
    now = now or clock()
    try:
        consume(limits, now)
    except RateLimited:
        return None
    return Attempt(tuple(limits), now)


def forget_login_failures(email: str, ip: str) -> int:
    """After a password reset from this address (the person proved they hold the mailbox): the (e-mail, IP) budget
    starts again. The per-IP budget is left as it is."""
    pair = login_limits(email, ip)[0]
    return RateCounter.objects.filter(key=counter_key(pair)).delete()[0]


def request_limits(url_name: str, request) -> list[Limit]:
    """The budgets a POST to this account page counts against (empty when the page has none)."""
    limits = []
    for rule in limits_data()["requests"].get(url_name, []):
        value = scope_value(rule["per"], request)
        if value is not None:
            window = timedelta(seconds=int(rule["seconds"]))
            limits.append(Limit(f"account:{url_name}:{rule['per']}", value, int(rule["count"]), window))
    return limits


def scope_value(per: str, request) -> str | None:
    if per == "ip":
        return client_ip(request)
    if per == "user":
        user = getattr(request, "user", None)
        return str(user.pk) if user is not None and user.is_authenticated else None
    email = normalised_email(request.POST.get("email", ""))
    return email or None


def may_send_verification_mail(email: str, now: datetime | None = None) -> bool:
    seconds = int(limits_data()["verification_mail_cooldown"])
    limit = Limit("account:verification_mail", normalised_email(email), 1, timedelta(seconds=seconds))
    return take_attempt([limit], now) is not None
