"""The outbox as a log: every index folder (one per server) follows it with its own cursor; rows are purged only
once every live index has passed them; holes left by transactions committing out of order are filled late."""

import logging
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.utils import timezone

from carrefour import search
from carrefour.catalog import actions
from carrefour.catalog.models import Initiative
from carrefour.search import cursor, indexer, outbox, store
from carrefour.search.cursor import Cursor, Gap
from carrefour.search.models import IndexConsumer, IndexOutbox, OutboxHorizon
from carrefour.search.signals import outbox_paused
from carrefour.search.types import SearchRequest
from tests.factories import make_initiative

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttles():
    outbox.forget_process_state()
    yield
    outbox.forget_process_state()


@pytest.fixture
def servers(settings, tmp_path):
    """Switch between the index folders of two servers sharing this database."""

    def use(name: str):
        settings.SEARCH_INDEX_DIR = tmp_path / name / "index"
        store.forget()

    return use


def found(text: str) -> set[str]:
    return {hit.name for hit in search.query(SearchRequest(text=text, page_size=100, facets=())).hits}


def current_cursor() -> Cursor:
    return cursor.load(store.current_path(store.root()))


def next_free_id() -> int:
    return outbox.allocated_through() + 1


def test_each_index_applies_every_row_and_rows_are_purged_once_all_have(servers):
    for name in ("a", "b"):
        servers(name)
        search.reindex()
    sheet = make_initiative("Atelier vélo de Quimper")
    servers("a")
    search.apply_outbox()
    assert found("atelier") == {"Atelier vélo de Quimper"}
    assert IndexOutbox.objects.filter(initiative_id=sheet.pk).exists()  # index b has not applied it yet
    servers("b")
    assert found("atelier") == set()
    search.apply_outbox()
    assert found("atelier") == {"Atelier vélo de Quimper"}
    assert IndexOutbox.objects.count() == 0
    assert IndexConsumer.objects.count() == 2


def test_a_row_that_becomes_visible_below_the_cursor_is_applied_late(db):
    search.reindex()
    first = make_initiative("Atelier vélo de Quimper")
    second = make_initiative("Atelier vélo de Brest", "29019")
    search.apply_outbox()
    late_id = next_free_id()
    # Two transactions: the one holding `late_id` commits after the one holding `late_id + 1` was applied.
    Initiative.objects.filter(pk=second.pk).update(name="Atelier cycles de Brest")
    IndexOutbox.objects.create(id=late_id + 1, initiative_id=second.pk)
    search.apply_outbox()
    assert current_cursor().gaps and current_cursor().watermark == late_id - 1
    Initiative.objects.filter(pk=first.pk).update(name="Atelier cycles de Quimper")
    IndexOutbox.objects.create(id=late_id, initiative_id=first.pk)
    search.apply_outbox()
    assert found("cycles") == {"Atelier cycles de Quimper", "Atelier cycles de Brest"}
    assert current_cursor().gaps == () and IndexOutbox.objects.count() == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="on SQLite writes are serialised: no out-of-order commit")
def test_two_transactions_committing_out_of_order_lose_nothing(db):
    """A real second connection takes an outbox id, waits while a later id commits and is applied, then commits.

    No `reindex()` here: its brief SHARE lock on the outbox would last until the end of the test's transaction.
    """
    sheet = make_initiative("Atelier vélo de Quimper")
    search.apply_outbox()
    Initiative.objects.filter(pk=sheet.pk).update(name="Atelier cycles de Quimper")
    inserted, release, done, finish = (threading.Event() for _ in range(4))
    ids: list[int] = []

    def late_writer():
        try:
            with transaction.atomic():
                ids.append(IndexOutbox.objects.create(initiative_id=sheet.pk).pk)
                inserted.set()
                release.wait(10)
            done.set()
            finish.wait(10)  # the row stays until the test has applied it
        finally:
            IndexOutbox.objects.filter(pk__in=ids).delete()  # committed outside the test's transaction
            connections.close_all()

    thread = threading.Thread(target=late_writer)
    thread.start()
    try:
        assert inserted.wait(10)
        early = IndexOutbox.objects.create(initiative_id=sheet.pk)  # a larger id, visible first
        assert early.pk > ids[0]
        search.apply_outbox()
        assert current_cursor().watermark < ids[0]  # the hole is remembered
        release.set()
        assert done.wait(10)
        search.apply_outbox()
        assert current_cursor().watermark >= early.pk
    finally:
        release.set()
        finish.set()
        thread.join(10)
    assert found("cycles") == {"Atelier cycles de Quimper"}


def test_a_hole_that_never_fills_is_given_up_after_the_delay(db, settings, caplog):
    search.reindex()
    sheet = make_initiative("Atelier vélo de Quimper")
    search.apply_outbox()
    IndexOutbox.objects.create(id=next_free_id() + 1, initiative_id=sheet.pk)  # the id before it rolled back
    search.apply_outbox()
    assert IndexOutbox.objects.count() == 1  # held: the hole may still fill
    settings.SEARCH_OUTBOX_GAP_SECONDS = 0
    with caplog.at_level(logging.INFO, logger="carrefour.search.indexer"):
        search.apply_outbox()
    assert current_cursor().gaps == () and IndexOutbox.objects.count() == 0
    assert "given up" in caplog.text


def test_a_stale_index_is_ignored_by_the_purge_then_rebuilds_itself(servers, caplog):
    servers("b")
    search.reindex()
    IndexConsumer.objects.update(last_seen_at=timezone.now() - timedelta(days=2))  # server b was down
    servers("a")
    search.reindex()
    make_initiative("Atelier vélo de Quimper")
    search.apply_outbox()
    assert IndexOutbox.objects.count() == 0  # purged although b never applied it
    servers("b")
    assert outbox.rebuild_reason(current_cursor()) is not None
    search.apply_outbox()  # the web path does not rebuild, and the outbox alone cannot catch up
    assert found("atelier") == set()
    call_command("index_worker", "--once", verbosity=0)
    assert found("atelier") == {"Atelier vélo de Quimper"}
    assert "were purged but this index only applied" in caplog.text
    assert outbox.rebuild_reason(current_cursor()) is None


def test_rows_past_retention_are_purged_even_behind_a_lagging_index(servers, settings):
    servers("b")
    search.reindex()
    servers("a")
    search.reindex()
    make_initiative("Atelier vélo de Quimper")
    search.apply_outbox()
    assert IndexOutbox.objects.count() > 0  # b (live) is behind
    IndexOutbox.objects.update(created_at=timezone.now() - timedelta(days=8))
    top = IndexOutbox.objects.order_by("-id").first().pk
    assert outbox.purge() > 0
    assert IndexOutbox.objects.count() == 0
    assert OutboxHorizon.objects.get().purged_through == top


def test_a_rebuild_replays_the_rows_committed_while_it_was_building(db, monkeypatch):
    sheet = make_initiative("Atelier vélo de Quimper")
    original = indexer._build

    def build_then_change(generation, progress):
        count = original(generation, progress)
        actions.rename(sheet, "Atelier cycles de Quimper")  # committed after the build read the database
        return count

    monkeypatch.setattr(indexer, "_build", build_then_change)
    search.reindex()
    assert found("cycles") == {"Atelier cycles de Quimper"}  # the build itself still had the old name
    assert search.query(SearchRequest(text="atelier")).count == 1


def test_an_index_created_empty_is_rebuilt_from_the_catalogue_by_the_worker(db, caplog):
    with outbox_paused():
        make_initiative("Atelier vélo de Quimper")  # loaded without the outbox (like the demo)
    search.apply_outbox()
    assert found("atelier") == set()
    assert not current_cursor().complete
    call_command("index_worker", "--once", verbosity=0)
    assert found("atelier") == {"Atelier vélo de Quimper"}
    assert current_cursor().complete
    assert "created empty" in caplog.text


def test_the_worker_rebuilds_an_index_of_an_older_schema(db):
    make_initiative("Atelier vélo de Quimper")
    base = store.root()
    old = base / "gen-v0-20200101T000000-000000000-1"
    old.mkdir()
    (base / store.CURRENT).symlink_to(old.name)
    with pytest.raises(store.OutdatedIndex):
        search.apply_outbox()
    call_command("index_worker", "--once", verbosity=0)
    assert found("atelier") == {"Atelier vélo de Quimper"}


def test_the_index_name_comes_from_the_environment_or_the_host_and_folder(settings):
    settings.SEARCH_INDEX_NAME = ""
    assert str(settings.SEARCH_INDEX_DIR) in outbox.consumer_name()
    settings.SEARCH_INDEX_NAME = "web-2"
    assert outbox.consumer_name() == "web-2"
    settings.SEARCH_INDEX_NAME = "x" * 400
    assert len(outbox.consumer_name()) == 255


def test_the_cursor_records_holes_fills_them_and_survives_a_round_trip(tmp_path):
    state = Cursor(position=10).advance([11, 14, 15, 18], now=100.0)
    assert state.position == 18 and state.watermark == 11
    assert state.gaps == (Gap(12, 13, 100.0), Gap(16, 17, 100.0))
    state = state.advance([16], now=200.0)
    assert state.gaps == (Gap(12, 13, 100.0), Gap(17, 17, 100.0))
    cursor.save(tmp_path, state)
    assert cursor.load(tmp_path) == state
    kept, given_up = state.expire(now=160.0, max_age=60)
    assert given_up == [Gap(12, 13, 100.0), Gap(17, 17, 100.0)] and kept.watermark == 18


def test_ids_at_or_below_the_floor_are_never_holes():
    state = Cursor(position=0, floor=50, complete=False).advance([40, 55, 57], now=1.0)
    assert state.gaps == (Gap(51, 54, 1.0), Gap(56, 56, 1.0))
    assert Cursor(position=0).advance([3], now=1.0, floor=2).gaps == ()


def test_a_generation_from_before_cursors_replays_the_remaining_rows(tmp_path):
    assert cursor.load(tmp_path) == Cursor(position=0, complete=True)


def test_the_back_office_lists_the_indexes_following_the_outbox(admin_client):
    search.reindex()
    response = admin_client.get("/admin/search/indexconsumer/")
    assert response.status_code == 200
    assert outbox.consumer_name() in response.content.decode()
