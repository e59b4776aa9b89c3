"""Read replicas: reads to a replica, writes and read-your-writes to the primary, nothing at all without replicas."""

import contextvars

import pytest
from django.db import connections
from django.http import HttpResponse
from django.test import RequestFactory

from carrefour.catalog.models import Initiative
from carrefour.core import replicas
from carrefour.core.replicas import PIN_COOKIE, PrimaryPinningMiddleware, ReplicaRouter
from carrefour.territories.models import Commune

REPLICA = "replica1"


@pytest.fixture(scope="module", autouse=True)
def replica_alias(django_db_setup, django_db_blocker):
    """A second alias on the test database, as CARREFOUR_REPLICA_URLS would add one (mirrored in tests)."""
    default = connections["default"].settings_dict
    connections.settings[REPLICA] = {**default, "TEST": {**default.get("TEST", {}), "MIRROR": "default"}}
    yield REPLICA
    with django_db_blocker.unblock():
        connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


@pytest.fixture
def with_replica(settings):
    settings.DATABASE_REPLICAS = [REPLICA]
    settings.DATABASE_ROUTERS = ["carrefour.core.replicas.ReplicaRouter"]


def isolated(function, *args):
    """Run in a fresh context, as a new request would: pinning does not leak between tests."""
    return contextvars.Context().run(function, *args)


def test_without_replicas_the_router_has_no_opinion(settings):
    settings.DATABASE_REPLICAS = []
    router = ReplicaRouter()
    assert isolated(router.db_for_read, Initiative) is None
    assert isolated(router.db_for_write, Initiative) is None
    assert router.allow_migrate(REPLICA, "catalog") is None


def test_reads_go_to_a_replica_and_writes_to_the_primary(with_replica):
    router = ReplicaRouter()
    assert isolated(router.db_for_read, Initiative) == REPLICA
    assert isolated(router.db_for_write, Initiative) == "default"


def test_after_a_write_the_rest_of_the_context_reads_the_primary(with_replica):
    router = ReplicaRouter()

    def write_then_read():
        before = router.db_for_read(Initiative)
        router.db_for_write(Initiative)
        return before, router.db_for_read(Commune)

    assert isolated(write_then_read) == (REPLICA, "default")


def test_the_primary_block_pins_reads_and_ends_with_it(with_replica):
    router = ReplicaRouter()

    def inside_and_after():
        with replicas.primary():
            inside = router.db_for_read(Initiative)
        return inside, router.db_for_read(Initiative)

    assert isolated(inside_and_after) == ("default", REPLICA)


@pytest.mark.django_db
def test_reads_inside_a_transaction_stay_on_the_primary(with_replica):
    assert connections["default"].in_atomic_block
    assert isolated(ReplicaRouter().db_for_read, Initiative) == "default"


def test_cache_rows_are_read_on_the_primary_and_writing_them_pins_nothing(with_replica):
    from django.core.cache.backends.db import DatabaseCache

    cache = DatabaseCache("carrefour_cache", {})
    router = ReplicaRouter()

    def cache_write_then_read():
        assert router.db_for_read(cache.cache_model_class) == "default"
        router.db_for_write(cache.cache_model_class)
        return router.db_for_read(Initiative)

    assert isolated(cache_write_then_read) == REPLICA


def test_migrations_run_only_on_the_primary_and_relations_are_allowed(with_replica):
    router = ReplicaRouter()
    assert router.allow_migrate(REPLICA, "catalog") is False
    assert router.allow_migrate("default", "catalog") is None
    first, second = Initiative(name="A"), Initiative(name="B")
    first._state.db, second._state.db = REPLICA, "default"
    assert router.allow_relation(first, second) is True
    second._state.db = "elsewhere"
    assert router.allow_relation(first, second) is None


def seen_by_view(method: str, cookies: dict | None = None, write: bool = False):
    """(pinned while the view ran, response) for one request through the middleware."""
    seen = {}

    def view(request):
        seen["pinned"] = replicas.is_pinned()
        if write:
            ReplicaRouter().db_for_write(Initiative)
        return HttpResponse("ok")

    request = getattr(RequestFactory(), method)("/")
    request.COOKIES.update(cookies or {})
    response = PrimaryPinningMiddleware(view)(request)
    return seen["pinned"], response


def test_a_get_reads_replicas_until_it_writes_then_the_browser_sticks_to_the_primary(with_replica):
    pinned, response = isolated(seen_by_view, "get")
    assert not pinned and PIN_COOKIE not in response.cookies
    pinned, response = isolated(seen_by_view, "get", None, True)
    assert not pinned and response.cookies[PIN_COOKIE]["max-age"] == 5
    pinned, _response = isolated(seen_by_view, "get", {PIN_COOKIE: "1"})
    assert pinned


def test_a_post_is_pinned_from_its_start_and_the_pin_ends_with_the_request(with_replica):
    def post_then_state():
        pinned, response = seen_by_view("post")
        return pinned, response, replicas.is_pinned()

    pinned, response, after = isolated(post_then_state)
    assert pinned and PIN_COOKIE in response.cookies and not after


def test_a_routed_read_reaches_the_same_data_through_the_replica_alias(with_replica, django_db_blocker):
    with django_db_blocker.unblock():
        queryset = Commune.objects.filter(code="29232")
        assert isolated(lambda: queryset.db) == REPLICA
        assert isolated(queryset.exists)


def test_replica_urls_become_mirrored_aliases():
    databases = replicas.replica_settings(
        ["postgres://lecteur:secret@replique-1:5432/carrefour", "postgres://lecteur:secret@replique-2/carrefour"], 60
    )
    assert list(databases) == ["replica1", "replica2"]
    assert databases["replica2"]["HOST"] == "replique-2" and databases["replica1"]["CONN_MAX_AGE"] == 60
    assert databases["replica1"]["TEST"] == {"MIRROR": "default"}
