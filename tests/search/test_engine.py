"""The engine end to end: French text, typos, prefixes, phrases, sorts, pagination, snippets, bounds."""

from datetime import timedelta

import pytest
from django.utils import timezone

from carrefour import search
from carrefour.catalog.models import Initiative
from carrefour.search import SearchError
from carrefour.search.types import MAX_QUERY_LENGTH, SearchRequest
from tests.search.engine_corpus import commune_point, make_sheet

pytestmark = pytest.mark.django_db


def names(text: str = "", **options) -> list[str]:
    options.setdefault("page_size", 100)
    return [hit.name for hit in search.query(SearchRequest(text=text, facets=(), **options)).hits]


@pytest.mark.parametrize(
    "spellings",
    [
        ("tiers-lieux", "tiers lieu", "Tiers-Lieu", "tiers lieux "),
        ("epicerie", "Épiceries", "épicerie "),
        ("velos", "vélo", "VÉLOS "),
        ("jardins partages", "jardin partagé", "Jardins partagés "),
        ("l'économie", "economie", "l’Économie "),
    ],
    ids=lambda spellings: spellings[0],
)
def test_each_spelling_of_a_group_returns_the_same_result_set(corpus, spellings):
    expected = set(names(spellings[0]))
    assert expected
    for spelling in spellings[1:]:
        assert set(names(spelling)) == expected, spelling


def test_tiers_lieu_spellings_find_both_tiers_lieux(corpus):
    assert set(names("tiers lieu ")) == {"La Fabrique, tiers-lieu de la Croix-Rousse", "Le Tiers-Lieu des Bauges"}


@pytest.mark.parametrize(
    "text, intended",
    [
        ("ressourcrie", {"Ressourcerie de Quimper"}),
        ("jardn partage", {"Jardin partagé des Capucins", "Les Jardins Partagés du Moulin"}),
        ("insertion professionelle", {"Chantier d'insertion du Port"}),
        ("epicrie solidaire", {"Épicerie solidaire du Bouguen"}),
    ],
)
def test_a_typo_still_finds_the_intended_initiatives_first(corpus, text, intended):
    assert set(names(text)[: len(intended)]) == intended


def test_words_present_in_the_index_are_not_corrected(corpus):
    response = search.query(SearchRequest(text="réparer "))
    assert response.understood["approximate"] == []
    assert "Jardin partagé des Capucins" not in {hit.name for hit in response.hits}


def test_a_misspelt_word_is_reported_as_approximate(corpus):
    assert search.query(SearchRequest(text="ressourcrie ")).understood["approximate"] == ["ressourcr"]


def test_every_word_is_required(corpus):
    assert names("jardin quimper ") == []
    assert names("repair quimper ") == ["Repair Café de Quimper"]


def test_the_last_word_is_a_prefix_while_typing(corpus):
    assert names("ressour") == ["Ressourcerie de Quimper"]
    assert set(names("jardin parta")) == set(names("jardin partage "))
    assert names("ressour ") == []  # a finished word is a word


def test_a_quoted_phrase_keeps_its_word_order(corpus):
    assert names('"bureaux partagés"') == ["Le Tiers-Lieu des Bauges"]
    assert names('"partagés bureaux"') == []


def test_unpublished_initiatives_are_never_found(corpus):
    found = names("ressourcerie ")
    assert found == ["Ressourcerie de Quimper"]


def test_no_text_lists_every_published_initiative(corpus):
    response = search.query(SearchRequest(page_size=100))
    assert response.count == len(corpus.sheets)


def test_the_name_weighs_more_than_the_summary(corpus):
    make_sheet("Atelier des couturières", "29232", "AUT", ["ART"], "Un fablab textile.")
    make_sheet("Fablab de Brest", "29019", "FAB", ["NUM"], "Des machines à partager.")
    search.reindex()
    assert names("fablab ")[0] == "Fablab de Brest"


def test_pages_follow_each_other_without_overlap_or_gap(corpus):
    everything = names(page_size=100)
    pages = [names(page=page, page_size=4) for page in (1, 2, 3)]
    assert [len(page) for page in pages] == [4, 4, 3]
    assert sorted(sum(pages, [])) == sorted(everything)


def test_freshness_sort_puts_the_latest_confirmed_first(corpus):
    sheet = corpus.sheets["Atelier vélo de Nantes"]
    Initiative.objects.filter(pk=sheet.pk).update(last_confirmed_at=timezone.now() + timedelta(days=1))
    search.reindex()
    assert names(sort="freshness")[0] == "Atelier vélo de Nantes"


def test_distance_sort_orders_by_distance_to_the_point(corpus):
    response = search.query(SearchRequest(near=commune_point("29232"), sort="distance", page_size=100))
    distances = [hit.distance_km for hit in response.hits]
    assert distances == sorted(distances)
    assert response.hits[0].commune == "Quimper" and distances[0] < 1
    assert response.count == len(corpus.sheets)


def test_distance_sort_pages_continue_the_order(corpus):
    near = commune_point("69123")
    first = search.query(SearchRequest(near=near, sort="distance", page_size=5))
    second = search.query(SearchRequest(near=near, sort="distance", page_size=5, page=2))
    assert first.hits[-1].distance_km <= second.hits[0].distance_km
    assert not {hit.id for hit in first.hits} & {hit.id for hit in second.hits}


def test_hits_come_from_the_index_with_their_place_and_themes(corpus, django_assert_num_queries):
    search.query(SearchRequest(text="épicerie"))  # warm the label caches
    with django_assert_num_queries(0):
        response = search.query(SearchRequest(text="épicerie"))
    hit = response.hits[0]
    sheet = corpus.sheets["Épicerie solidaire du Bouguen"]
    assert (hit.id, hit.slug, hit.commune, hit.commune_code, hit.departement, hit.region) == (
        sheet.pk,
        sheet.slug,
        "Brest",
        "29019",
        "29",
        "53",
    )
    assert hit.themes == ["SOL"] and hit.lat and hit.lon


def test_snippets_mark_the_matched_words_and_escape_the_rest(corpus):
    make_sheet("Café <b>des</b> familles", "29232", "CAFE", ["SOL"], "Un café pour les familles & leurs <enfants>.")
    search.reindex()
    hit = search.query(SearchRequest(text="familles ")).hits[0]
    assert "<mark>familles</mark>" in hit.snippet
    assert "&lt;enfants&gt;" in hit.snippet and "&amp;" in hit.snippet


def test_explain_gives_the_parts_of_each_score(corpus):
    response = search.query(SearchRequest(text="jardin", explain=True, near=commune_point("35238")))
    explanation = response.hits[0].explanation
    parts = sum(explanation[name] for name in ("text", "distance", "quality", "freshness"))
    assert explanation["score"] == pytest.approx(parts, abs=1e-4)
    assert explanation["rank"] == 1 and explanation["bm25"] > 0
    assert search.query(SearchRequest(text="jardin")).hits[0].explanation is None


def test_understood_query_reports_terms_prefix_and_place(corpus):
    understood = search.query(SearchRequest(text='"jardin partagé" Rennes', near=(48.1, -1.7), radius_km=5)).understood
    assert understood["prefix"] == "rennes"
    assert understood["near"] == (48.1, -1.7) and understood["radius_km"] == 5


def test_nothing_found_suggests_a_spelling(corpus):
    response = search.query(SearchRequest(text="jardinn quimpre "))
    assert response.count == 0
    assert response.suggestions == ["jardin quimper"]


@pytest.mark.parametrize(
    "request_fields, words",
    [
        ({"text": "x" * (MAX_QUERY_LENGTH + 1)}, "trop long"),
        ({"filters": {"couleur": ("rouge",)}}, "Filtre inconnu"),
        ({"filters": {"theme": tuple(f"T{i}" for i in range(21))}}, "Trop de filtres"),
        ({"filters": {"theme": ("",)}}, "Valeur invalide"),
        ({"page_size": 101}, "Pagination invalide"),
        ({"page": 0}, "Pagination invalide"),
        ({"page": 600}, "Page trop lointaine"),
        ({"sort": "alphabetical"}, "Tri inconnu"),
        ({"sort": "distance"}, "demande un point"),
        ({"radius_km": 10}, "demande un point"),
        ({"near": (48.0, -4.0), "radius_km": 5000}, "rayon"),
        ({"near": (48.0, -4.0), "radius_km": float("nan")}, "rayon"),
        ({"near": (148.0, -4.0)}, "hors du globe"),
        ({"bbox": (3.0, 45.0, 2.0, 46.0)}, "ouest < est"),
        ({"bbox": (-120.0, 30.0, -100.0, 40.0)}, "hors de France"),
        ({"bbox": (-170.0, -60.0, 170.0, 60.0)}, "trop grande"),
        ({"facets": ("theme", "colour")}, "Facette inconnue"),
    ],
)
def test_requests_out_of_bounds_are_refused_in_french_before_any_work(request_fields, words, monkeypatch):
    from carrefour.search import store

    monkeypatch.setattr(store, "searcher", lambda: pytest.fail("the index was opened"))
    with pytest.raises(SearchError, match=words):
        search.query(SearchRequest(**request_fields))


def test_a_bounding_box_overseas_is_accepted(corpus):
    response = search.query(SearchRequest(bbox=(55.2, -21.4, 55.9, -20.8)))
    assert response.count == 0
