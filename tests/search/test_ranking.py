"""Fair ranking: blended signals, diversification of sources and carriers, explanations."""

from datetime import timedelta

import pytest
from django.utils import timezone

from carrefour import search
from carrefour.catalog.models import Initiative
from carrefour.search import ranking
from carrefour.search.types import SearchRequest
from carrefour.sources.models import Source
from tests.factories import make_organisation
from tests.search.engine_corpus import add_source_record, carried_by, commune_point, make_sheet

pytestmark = pytest.mark.django_db

SUMMARY = "Un atelier de réparation ouvert à tous."


def ranked(text: str = "atelier réparation ", page_size: int = 5, **options):
    return search.query(SearchRequest(text=text, page_size=page_size, facets=(), **options)).hits


def many_sheets(count: int, prefix: str = "Atelier", commune: str = "29232") -> list[Initiative]:
    return [make_sheet(f"{prefix} numéro {n}", commune, "REP", ["ENV"], SUMMARY) for n in range(count)]


def test_one_source_cannot_fill_the_first_page(db):
    source = Source.objects.create(name="Partenaire A", slug="partenaire-a")
    for n, sheet in enumerate(many_sheets(10)):
        add_source_record(sheet, source, f"A{n}")
    others = many_sheets(4, prefix="Atelier voisin", commune="29019")
    Initiative.objects.filter(pk__in=[sheet.pk for sheet in others]).update(
        updated_at=timezone.now() - timedelta(days=3000)
    )
    search.reindex()
    first_page = ranked()
    from_source = [hit for hit in first_page if hit.name.startswith("Atelier numéro")]
    assert len(first_page) == 5 and len(from_source) == 2


def test_a_page_is_filled_from_the_capped_source_when_nothing_else_matches(db):
    source = Source.objects.create(name="Partenaire A", slug="partenaire-a")
    for n, sheet in enumerate(many_sheets(6)):
        add_source_record(sheet, source, f"A{n}")
    search.reindex()
    pages = [ranked(page=1), ranked(page=2)]
    assert [len(page) for page in pages] == [5, 1]
    assert not {hit.id for hit in pages[0]} & {hit.id for hit in pages[1]}


def test_one_carrying_organisation_cannot_fill_the_first_page(db):
    network = make_organisation("Réseau des ateliers")
    for sheet in many_sheets(6):
        carried_by(sheet, network)
    many_sheets(3, prefix="Atelier indépendant", commune="29019")
    search.reindex()
    first_page = ranked()
    assert sum(hit.name.startswith("Atelier numéro") for hit in first_page) == 2
    explained = search.query(SearchRequest(text="atelier réparation ", page_size=5, explain=True)).hits
    assert any(hit.explanation["diversified"] for hit in explained)


def test_a_more_complete_sheet_ranks_first_among_equal_texts(db):
    poor, rich = many_sheets(2)
    Initiative.objects.filter(pk=rich.pk).update(
        description="Un long texte. " * 60, website="https://atelier.example.org", last_confirmed_at=timezone.now()
    )
    search.reindex()
    hits = ranked(explain=True)
    assert hits[0].id == rich.pk
    assert hits[0].explanation["quality_signal"] > hits[1].explanation["quality_signal"]


def test_near_a_point_the_closer_of_equal_texts_ranks_first(db):
    many_sheets(1, prefix="Atelier de Brest", commune="29019")
    many_sheets(1, prefix="Atelier de Lyon", commune="69123")
    search.reindex()
    assert ranked(near=commune_point("69123"))[0].commune == "Lyon"
    assert ranked(near=commune_point("29019"))[0].commune == "Brest"


def test_explanations_add_up_to_the_score(db):
    many_sheets(3)
    search.reindex()
    for hit in ranked(explain=True):
        parts = hit.explanation
        assert parts["score"] == pytest.approx(parts["text"] + parts["quality"] + parts["freshness"], abs=1e-4)
        assert "distance" not in parts


def test_weights_are_normalised_over_the_signals_in_play():
    assert sum(ranking.weights(has_text=True, near=True).values()) == pytest.approx(1)
    without_text = ranking.weights(has_text=False, near=False)
    assert set(without_text) == {"quality", "freshness"} and sum(without_text.values()) == pytest.approx(1)
