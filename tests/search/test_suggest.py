"""Autocomplete (initiatives, territories, themes) and « Ils font la même chose ailleurs »."""

import pytest

from carrefour import search
from carrefour.catalog.models import Term
from carrefour.search import SearchError
from tests.factories import make_organisation
from tests.search.engine_corpus import carried_by, make_sheet

pytestmark = pytest.mark.django_db


def test_initiatives_are_suggested_by_name_prefix(corpus):
    labels = [item["label"] for item in search.suggest("ressour")["initiatives"]]
    assert labels == ["Ressourcerie de Quimper"]
    item = search.suggest("jardin part")["initiatives"][0]
    assert item["url"].startswith("/") and item["value"] and item["kind"] == "initiative"


def test_territories_are_suggested_by_folded_prefix_most_populated_first(corpus):
    territories = search.suggest("quimp")["territories"]
    assert territories[0] == {"label": "Quimper (29)", "value": "29232", "kind": "commune"}
    kinds = {(item["kind"], item["label"]) for item in search.suggest("bretag")["territories"]}
    assert ("region", "Bretagne") in kinds
    saint = search.suggest("saint-e", limit=3)["territories"]
    assert saint[0]["label"].startswith("Saint-Étienne")


def test_themes_publics_and_types_are_suggested_by_folded_label(corpus):
    themes = search.suggest("jardin")["themes"]
    assert {"label": "Jardin partagé", "code": "JAR", "kind": "type"} in themes
    assert any(item["kind"] == "theme" for item in search.suggest("ecologique")["themes"])
    assert any(item["kind"] == "public" for item in search.suggest("jeunes")["themes"])


def test_a_relabelled_term_is_suggested_under_its_new_label(corpus):
    search.suggest("jardin")
    term = Term.objects.get(vocabulary="place_type", code="JAR")
    term.label = "Potager collectif"
    term.save()
    assert any(item["code"] == "JAR" for item in search.suggest("potager")["themes"])


def test_suggest_bounds_are_french_errors(corpus):
    with pytest.raises(SearchError, match="trop long"):
        search.suggest("x" * 201)
    with pytest.raises(SearchError, match="suggestions"):
        search.suggest("jardin", limit=0)
    assert search.suggest("j") == {"initiatives": [], "territories": [], "themes": []}


def test_similar_initiatives_share_the_type_elsewhere_and_never_the_same_carrier(corpus):
    brest = corpus.sheets["Les Jardins Partagés du Moulin"]
    lyon = make_sheet("Jardin des Pentes", "69123", "JAR", ["ENV"], "Un jardin collectif.")
    same_department = make_sheet("Jardin de Landerneau", "29103", "JAR", ["ENV"], "Un autre jardin.")
    sibling = make_sheet("Jardin du Moulin, deuxième parcelle", "35238", "JAR", ["ENV"], "La même équipe.")
    carried_by(sibling, brest.stakeholders.get().organisation)
    search.reindex()
    similar = search.similar(brest)
    names = [hit.name for hit in similar]
    assert brest.name not in names and sibling.name not in names
    assert names.index(lyon.name) < names.index(same_department.name)
    assert names[0] in {lyon.name, "Jardin partagé des Capucins"}
    assert len(similar) <= 6


def test_similar_sheets_come_one_per_carrying_organisation(corpus):
    network = make_organisation("Réseau des jardins")
    for n in range(4):
        carried_by(make_sheet(f"Jardin du réseau {n}", "69123", "JAR", ["ENV"], "Un jardin du réseau."), network)
    search.reindex()
    names = [hit.name for hit in search.similar(corpus.sheets["Jardin partagé des Capucins"])]
    assert sum(name.startswith("Jardin du réseau") for name in names) == 1
