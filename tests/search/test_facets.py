"""Facet filters (OR within a facet, AND across facets) and exact, self-excluding facet counts."""

import pytest

from carrefour import search
from carrefour.catalog.models import Initiative
from carrefour.search.types import SearchRequest
from tests.search.engine_corpus import term

pytestmark = pytest.mark.django_db


def counts(response, facet: str) -> dict[str, int]:
    return {value.value: value.count for value in response.facets[facet]}


def test_values_of_one_facet_are_ored(corpus):
    response = search.query(SearchRequest(filters={"type": ("JAR", "TIL")}))
    assert response.count == 4


def test_facets_are_anded(corpus):
    response = search.query(SearchRequest(filters={"theme": ("ENV",), "departement": ("29",)}))
    assert {hit.name for hit in response.hits} == {
        "Ressourcerie de Quimper",
        "Repair Café de Quimper",
        "Les Jardins Partagés du Moulin",
    }


def test_counts_are_exact_over_the_whole_result_set(corpus):
    response = search.query(SearchRequest())
    expected_env = Initiative.published.filter(themes__code="ENV").distinct().count()
    assert counts(response, "theme")["ENV"] == expected_env == 5
    assert counts(response, "departement") == {"29": 4, "35": 1, "69": 1, "38": 1, "44": 1, "33": 1, "59": 1, "31": 1}
    assert counts(response, "subtheme") == {"ENV-DEC": 1, "ENV-AGR": 1}


def test_selecting_a_value_keeps_the_other_values_of_its_facet(corpus):
    response = search.query(SearchRequest(filters={"theme": ("SOL",)}))
    themes = counts(response, "theme")
    assert themes["SOL"] == 2 and themes["ENV"] == 5 and themes["EMP"] == 2
    assert response.count == 2
    assert [value.selected for value in response.facets["theme"] if value.value == "SOL"] == [True]


def test_other_facets_are_counted_within_the_selection(corpus):
    response = search.query(SearchRequest(filters={"theme": ("SOL",)}))
    assert counts(response, "departement") == {"29": 1, "31": 1}
    assert counts(response, "type") == {"EPI": 1, "GAR": 1}


def test_each_facet_is_counted_without_its_own_filter_but_with_the_others(corpus):
    response = search.query(SearchRequest(filters={"theme": ("ENV",), "departement": ("29",)}))
    assert counts(response, "theme") == {"ENV": 3, "SOL": 1}  # within the Finistère
    assert counts(response, "departement") == {"29": 3, "35": 1, "44": 1}  # within the ENV theme


def test_counts_follow_the_text_query(corpus):
    response = search.query(SearchRequest(text="jardin"))
    assert counts(response, "type") == {"JAR": 2}


def test_a_selected_value_without_matches_is_still_listed(corpus):
    response = search.query(SearchRequest(text="jardin", filters={"type": ("FAB",)}))
    values = {value.value: value for value in response.facets["type"]}
    assert values["FAB"].count == 0 and values["FAB"].selected
    assert values["JAR"].count == 2


def test_values_carry_their_labels(corpus):
    response = search.query(SearchRequest())
    labels = {facet: {value.value: value.label for value in response.facets[facet]} for facet in response.facets}
    assert labels["theme"]["ENV"] == "Environnement et transition écologique"
    assert labels["type"]["JAR"] == "Jardin partagé"
    assert labels["region"]["53"] == "Bretagne"
    assert labels["departement"]["29"] == "Finistère (29)"
    assert labels["commune"]["29232"] == "Quimper"


def test_only_requested_facets_are_counted(corpus):
    response = search.query(SearchRequest(facets=("theme", "region")))
    assert set(response.facets) == {"theme", "region"}


def test_values_beyond_the_slots_are_counted_too(corpus):
    sheet = corpus.sheets["Garage solidaire de Toulouse"]
    sheet.themes.set([term("theme", code) for code in ("SOL", "EMP", "ENV", "NUM", "ART")])
    search.reindex()
    response = search.query(SearchRequest(filters={"theme": ("ART",)}))
    assert response.count == 1
    assert counts(response, "theme")["ART"] == 1
    assert counts(search.query(SearchRequest()), "theme")["NUM"] == 2


def test_filtering_on_a_territory_and_a_source(corpus):
    assert search.query(SearchRequest(filters={"region": ("53",)})).count == 5
    assert search.query(SearchRequest(filters={"commune": ("29232",)})).count == 2
    assert search.query(SearchRequest(filters={"source": ("inconnue",)})).count == 0


def test_commune_and_epci_facet_values_are_labelled_with_names_on_first_use(corpus):
    from carrefour.search import facets

    facets.clear_label_cache()
    labels = facets.labels("commune", ["29232", "75056"])
    assert labels == {"29232": "Quimper", "75056": "Paris"}
    epci_code = corpus_epci_code()
    assert facets.labels("epci", [epci_code])[epci_code] != epci_code


def corpus_epci_code() -> str:
    from carrefour.territories.models import Commune

    return Commune.objects.get(code="29232").epci_id
