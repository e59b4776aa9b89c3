"""Read replicas: reads go to a streaming replica, writes (and what must read its own writes) to the primary.

`CARREFOUR_REPLICA_URLS` (comma-separated database URLs) adds the aliases `replica1`, `replica2`… and installs
`ReplicaRouter` and `PrimaryPinningMiddleware`; without it, nothing here has any effect. Rules:

- writes always go to `default` (the primary), and migrations run only there;
- a read goes to a random replica, unless the context is pinned to the primary: inside a transaction on the
  primary, after any write in the same request (read-your-writes), during a POST/PUT/PATCH/DELETE request from its
  start, during the few seconds after a write by the same browser (a short cookie, since replicas lag a little),
  and inside `with primary():` (the search indexer, which must never see an older state than the one it records);
- some tables are bookkeeping read and written on every request (the database cache of rate limits): they are
  always read on the primary and writing them does not pin the request.

The pinned state is a context variable, reset by the middleware at the end of each request.
"""

import random
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

PIN_COOKIE = "carrefour_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# Tables read and written by every request (rate-limit counters in the database cache): never on a replica.
PRIMARY_ONLY_APPS = frozenset({"django_cache"})

_pinned: ContextVar[bool] = ContextVar("carrefour_primary_pinned", default=False)
_wrote: ContextVar[bool] = ContextVar("carrefour_primary_wrote", default=False)


def replica_settings(urls: list[str], conn_max_age: int) -> dict[str, dict]:
    """DATABASES entries for the replica URLs: `replica1`, `replica2`… (tests mirror them onto `default`)."""
    import dj_database_url

    databases = {}
    for number, url in enumerate(urls, start=1):
        entry = dj_database_url.parse(url, conn_max_age=conn_max_age)
        entry["TEST"] = {"MIRROR": DEFAULT_DB_ALIAS}
        databases[f"replica{number}"] = entry
    return databases


def replica_aliases() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", ()))


def is_pinned() -> bool:
    return _pinned.get()


def pin() -> None:
    """Send every read of the current context (request, command) to the primary from now on."""
    _pinned.set(True)


@contextmanager
def primary() -> Iterator[None]:
    """Read from the primary inside this block."""
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        replicas = replica_aliases()
        if not replicas:
            return None
        if model._meta.app_label in PRIMARY_ONLY_APPS or _pinned.get():
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return random.choice(replicas)

    def db_for_write(self, model, **hints):
        if not replica_aliases():
            return None
        if model._meta.app_label not in PRIMARY_ONLY_APPS:
            _pinned.set(True)
            _wrote.set(True)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        aliases = {DEFAULT_DB_ALIAS, *replica_aliases()}
        if obj1._state.db in aliases and obj2._state.db in aliases:
            return True  # the same data, whichever copy an object was read from
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if db in replica_aliases():
            return False
        return None


class PrimaryPinningMiddleware:
    """Pins unsafe requests and requests that follow a recent write of the same browser; resets at the end."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        unsafe = request.method not in SAFE_METHODS
        pinned = _pinned.set(unsafe or request.COOKIES.get(PIN_COOKIE) == "1")
        wrote = _wrote.set(False)
        try:
            response = self.get_response(request)
            if _wrote.get() or unsafe:
                seconds = getattr(settings, "DATABASE_REPLICA_PIN_SECONDS", 5)
                response.set_cookie(
                    PIN_COOKIE,
                    "1",
                    max_age=seconds,
                    httponly=True,
                    samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                )
            return response
        finally:
            _wrote.reset(wrote)
            _pinned.reset(pinned)
