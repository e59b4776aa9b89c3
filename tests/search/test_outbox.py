"""The database is the source of truth: outbox rows in the changing transaction, applied in order, crash-safe."""

import pytest
import tantivy
from django.core.management import call_command
from django.db import transaction

from carrefour import search
from carrefour.catalog import actions
from carrefour.catalog.models import Initiative, Location, Organisation, Term
from carrefour.search import indexer, store
from carrefour.search.models import IndexOutbox
from carrefour.search.types import SearchRequest
from carrefour.sources.models import Source
from carrefour.territories.models import Commune
from tests.factories import make_initiative
from tests.search.engine_corpus import add_source_record, term

pytestmark = pytest.mark.django_db


def found(text: str) -> set[str]:
    return {hit.name for hit in search.query(SearchRequest(text=text, page_size=100, facets=())).hits}


def pending(initiative: Initiative) -> int:
    return IndexOutbox.objects.filter(initiative_id=initiative.pk).count()


def snapshot() -> list:
    """Everything a visitor can see of the index: hits, counts and facets of a few searches."""
    seen = []
    for request in (SearchRequest(page_size=100), SearchRequest(text="atelier", page_size=100)):
        response = search.query(request)
        facets = {name: [(v.value, v.count) for v in values] for name, values in response.facets.items()}
        seen.append((response.count, sorted((hit.id, hit.name, hit.commune) for hit in response.hits), facets))
    return seen


def test_a_saved_change_writes_a_row_in_its_own_transaction(db):
    with transaction.atomic():
        initiative = make_initiative("Atelier vélo de Quimper")
        assert pending(initiative) > 0
    IndexOutbox.objects.all().delete()
    with pytest.raises(RuntimeError), transaction.atomic():
        initiative.name = "Atelier vélo du Steir"
        actions.save_initiative(initiative)
        assert pending(initiative) == 1
        raise RuntimeError("rolled back")
    assert pending(initiative) == 0


@pytest.mark.parametrize(
    "change",
    [
        lambda sheet: sheet.themes.add(term("theme", "SOL")),
        lambda sheet: sheet.place_types.clear(),
        lambda sheet: sheet.locations.first().delete(),
        lambda sheet: Location.objects.create(initiative=sheet, commune=Commune.objects.get(code="29019")),
        lambda sheet: sheet.stakeholders.first().delete(),
        lambda sheet: add_source_record(sheet, Source.objects.create(name="Réseau", slug="reseau"), "1"),
        lambda sheet: Organisation.objects.filter(stakes__initiative=sheet).first().save(),
    ],
    ids=["theme added", "types cleared", "location deleted", "location added", "stakeholder", "source", "org"],
)
def test_every_change_to_what_a_sheet_shows_is_enqueued(db, change):
    sheet = make_initiative("Atelier vélo de Quimper")
    IndexOutbox.objects.all().delete()
    change(sheet)
    assert pending(sheet) >= 1


def test_a_changed_term_label_enqueues_the_sheets_using_it(db):
    sheet = make_initiative("Atelier vélo de Quimper")
    used = sheet.themes.first()
    IndexOutbox.objects.all().delete()
    used.save()  # unchanged: nothing to do
    assert pending(sheet) == 0
    used.label = "Nouveau libellé"
    used.save()
    assert pending(sheet) == 1
    IndexOutbox.objects.all().delete()
    Term.objects.get(vocabulary="theme", code="SOL").initiatives_by_theme.add(sheet)
    assert pending(sheet) == 1


def test_applying_the_outbox_makes_a_change_searchable(db):
    search.reindex()
    sheet = make_initiative("Atelier vélo de Quimper")
    assert found("atelier") == set()
    assert search.apply_outbox() > 0
    assert found("atelier") == {"Atelier vélo de Quimper"}
    assert IndexOutbox.objects.count() == 0
    actions.rename(sheet, "Atelier cycles du Steir")
    search.apply_outbox()
    assert found("cycles") == {"Atelier cycles du Steir"}
    assert found("atelier") == {"Atelier cycles du Steir"}  # one document per sheet


def test_unpublishing_or_deleting_removes_the_sheet(db):
    first = make_initiative("Atelier vélo de Quimper")
    second = make_initiative("Atelier vélo de Brest", "29019")
    search.apply_outbox()
    actions.change_status(first, Initiative.Status.ARCHIVED)
    second.delete()
    search.apply_outbox()
    assert found("atelier") == set()


def test_a_committed_request_is_searchable_without_a_worker(db, django_capture_on_commit_callbacks):
    search.reindex()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        make_initiative("Atelier vélo de Quimper")
    assert len(callbacks) == 1  # one apply per transaction, however many rows
    assert found("atelier") == {"Atelier vélo de Quimper"}


def test_a_crash_between_the_index_commit_and_the_row_deletion_replays_idempotently(db, monkeypatch):
    make_initiative("Atelier vélo de Quimper")
    original = indexer.forget_rows

    def crash(row_ids):
        raise KeyboardInterrupt("power cut")

    monkeypatch.setattr(indexer, "forget_rows", crash)
    with pytest.raises(KeyboardInterrupt):
        search.apply_outbox()
    assert IndexOutbox.objects.count() > 0  # nothing lost
    assert found("atelier") == {"Atelier vélo de Quimper"}  # the commit happened
    monkeypatch.setattr(indexer, "forget_rows", original)
    search.apply_outbox()
    response = search.query(SearchRequest(text="atelier"))
    assert response.count == 1 and IndexOutbox.objects.count() == 0


def test_a_second_writer_waits_for_the_lock_and_loses_nothing(db):
    make_initiative("Atelier vélo de Quimper")
    with store.writer_lock() as locked:
        assert locked
        assert search.apply_outbox(blocking=False) == 0
    assert IndexOutbox.objects.count() > 0
    assert search.apply_outbox(blocking=False) > 0
    assert found("atelier") == {"Atelier vélo de Quimper"}


def test_tantivy_refuses_a_writer_that_ignores_the_lock(db):
    make_initiative("Atelier vélo de Quimper")
    search.apply_outbox()
    make_initiative("Atelier vélo de Brest", "29019")
    index = tantivy.Index.open(str(store.ensure_current(store.root())))
    intruder = index.writer(15_000_000, 1)
    with pytest.raises(ValueError, match="lock"):
        search.apply_outbox()
    assert IndexOutbox.objects.count() > 0
    del intruder
    search.apply_outbox()
    assert found("atelier") == {"Atelier vélo de Quimper", "Atelier vélo de Brest"}


def test_reindex_from_scratch_equals_the_incremental_state(corpus):
    for sheet in list(corpus.sheets.values())[:3]:
        sheet.themes.add(term("theme", "ART"))
    actions.rename(corpus.sheets["Atelier vélo de Nantes"], "Atelier cycles de Nantes")
    actions.change_status(corpus.sheets["Repair Café de Quimper"], Initiative.Status.ARCHIVED)
    actions.change_status(corpus.draft, Initiative.Status.PUBLISHED)
    corpus.sheets["Le Tiers-Lieu des Bauges"].delete()
    make_initiative("Atelier couture de Lille", "59350")
    search.apply_outbox()
    incremental = snapshot()
    search.reindex()
    assert snapshot() == incremental


def test_reindex_swaps_generations_and_keeps_one(db):
    make_initiative("Atelier vélo de Quimper")
    search.reindex()
    first = store.current_target(store.root())
    result = search.reindex()
    second = store.current_target(store.root())
    assert first != second and result["documents"] == 1 and result["docs_per_second"] > 0
    assert [path.name for path in store.root().glob("gen-*")] == [second]
    assert found("atelier") == {"Atelier vélo de Quimper"}


def test_the_worker_command_applies_pending_rows(db):
    make_initiative("Atelier vélo de Quimper")
    call_command("index_worker", "--once", verbosity=0)
    assert IndexOutbox.objects.count() == 0
    assert found("atelier") == {"Atelier vélo de Quimper"}


def test_the_reindex_command_reports_its_rate_in_french(db, capsys):
    make_initiative("Atelier vélo de Quimper")
    call_command("reindex")
    assert "fiches publiées" in capsys.readouterr().out


def test_a_sheet_that_cannot_be_indexed_does_not_hold_back_the_others(db, monkeypatch, caplog):
    broken = make_initiative("Atelier vélo de Quimper")
    make_initiative("Atelier vélo de Brest", "29019")
    original = indexer.build

    def build(sheet, reader, now=None):
        if sheet.row["id"] == broken.pk:
            raise ValueError("unexpected data")
        return original(sheet, reader, now)

    monkeypatch.setattr(indexer, "build", build)
    search.apply_outbox()
    assert found("atelier") == {"Atelier vélo de Brest"}
    assert IndexOutbox.objects.count() == 0
    assert f"Initiative {broken.pk} could not be indexed" in caplog.text
