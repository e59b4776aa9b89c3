"""The public search API: JSON shape, filters, bounds (R-SEC-16), autocomplete, map points, GET only."""

import pytest
from django.urls import reverse

RESULT_KEYS = {
    "id",
    "slug",
    "url",
    "name",
    "summary",
    "commune",
    "departement",
    "region",
    "lat",
    "lon",
    "themes",
    "score",
}
SEARCH = "/api/v1/search"
POINTS = "/api/v1/search/points"
SUGGEST = "/api/v1/suggest"


def names(data: dict) -> set[str]:
    return {result["name"] for result in data["results"]}


def test_urls_are_versioned_under_api_v1():
    assert reverse("api:search") == SEARCH
    assert reverse("api:search_points") == POINTS
    assert reverse("api:suggest") == SUGGEST


def test_search_answers_count_results_facets_query_and_licence(client, search_corpus):
    response = client.get(SEARCH)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert {"count", "results", "facets", "query", "licence"} <= set(data)
    assert data["licence"] == "etalab-2.0"
    assert data["count"] == 4
    assert len(data["results"]) == 4
    for result in data["results"]:
        assert RESULT_KEYS <= set(result), f"missing keys: {RESULT_KEYS - set(result)}"
        assert result["url"].startswith("http://testserver/initiatives/")
    by_name = {result["name"]: result for result in data["results"]}
    quimper = by_name["Repair Café de Quimper"]
    assert quimper["id"] == search_corpus.repair.pk
    assert quimper["slug"] == search_corpus.repair.slug
    assert quimper["commune"] == "Quimper"
    assert (quimper["departement"], quimper["region"]) == ("29", "53")
    assert quimper["themes"] == ["ENV"]
    assert -90 <= quimper["lat"] <= 90 and -180 <= quimper["lon"] <= 180


def test_drafts_are_never_returned(client, search_corpus):
    data = client.get(SEARCH, {"q": "ressourcerie"}).json()
    assert search_corpus.draft.name not in names(data)
    assert data["count"] == 0


def test_facets_list_value_label_and_count(client, search_corpus):
    facets = client.get(SEARCH).json()["facets"]
    themes = {item["value"]: item for item in facets["theme"]}
    assert themes["ENV"]["count"] == 2
    assert themes["ENV"]["label"] == "Environnement et transition écologique"
    assert themes["SOL"]["count"] == 1
    regions = {item["value"]: item["count"] for item in facets["region"]}
    assert regions["53"] == 3  # Bretagne: Quimper, Brest, Rennes
    assert regions["84"] == 1  # Auvergne-Rhône-Alpes: Lyon


DEFAULT_FACETS = {
    "theme",
    "subtheme",
    "public",
    "type",
    "stage",
    "scale",
    "region",
    "departement",
    "source",
    "org_type",
}


def test_by_default_the_cheap_facets_are_counted_and_not_communes_nor_epci(client, search_corpus):
    assert set(client.get(SEARCH).json()["facets"]) == DEFAULT_FACETS


@pytest.mark.parametrize("facet", ["departement", "epci", "commune"])
def test_a_territory_filter_adds_the_commune_and_epci_facets(client, search_corpus, facet):
    value = {"departement": "29", "epci": "200067072", "commune": "29232"}[facet]
    data = client.get(SEARCH, {facet: value}).json()
    assert set(data["facets"]) == DEFAULT_FACETS | {"commune", "epci"}


def test_the_facets_parameter_chooses_which_facets_are_counted(client, search_corpus):
    data = client.get(SEARCH, {"facets": "commune, theme"}).json()
    assert list(data["facets"]) == ["theme", "commune"]  # in the order of FACETS
    assert data["count"] == 4
    assert {item["value"] for item in data["facets"]["commune"]} >= {"29232"}  # Quimper


def test_an_empty_facets_parameter_counts_none(client, search_corpus):
    data = client.get(SEARCH, {"facets": "", "theme": "ENV"})
    assert data.status_code == 200
    assert data.json()["facets"] == {}
    assert data.json()["count"] == 2


def test_an_unknown_facet_gets_a_400_in_french(client, search_corpus):
    response = client.get(SEARCH, {"facets": "theme,ville"})
    assert response.status_code == 400
    data = response.json()
    assert [error["param"] for error in data["errors"]] == ["facets"]
    assert "Facette inconnue" in data["error"] and "« ville »" in data["error"]


def test_result_urls_are_those_of_the_initiative_pages(client, search_corpus):
    data = client.get(SEARCH).json()
    for result in data["results"]:
        assert result["url"] == "http://testserver" + reverse("catalog:initiative", kwargs={"slug": result["slug"]})
    points = client.get(POINTS).json()["points"]
    assert {point[4] for point in points} <= {reverse("catalog:initiative", args=[r["slug"]]) for r in data["results"]}


def test_facet_filter_restricts_results_and_is_echoed_in_the_query(client, search_corpus):
    data = client.get(SEARCH, {"theme": "ENV"}).json()
    assert names(data) == {"Repair Café de Quimper", "Jardin partagé des Capucins"}
    assert data["query"]["filters"] == {"theme": ["ENV"]}
    assert "Thématique : Environnement et transition écologique" in data["query"]["description"]


def test_values_of_one_facet_are_or_and_facets_are_and(client, search_corpus):
    either = client.get(SEARCH, {"theme": ["ENV", "NUM"]}).json()
    assert either["count"] == 3
    both = client.get(SEARCH, {"theme": ["ENV", "NUM"], "departement": "29"}).json()
    assert names(both) == {"Repair Café de Quimper"}


def test_text_query_finds_the_initiative(client, search_corpus):
    data = client.get(SEARCH, {"q": "épicerie"}).json()
    assert names(data) == {"Épicerie solidaire du Bouguen"}
    assert data["query"]["text"] == "épicerie"


def test_explain_gives_each_result_the_parts_of_its_score_on_demand(client, search_corpus):
    plain = client.get(SEARCH, {"q": "épicerie"}).json()
    assert "explanation" not in plain["results"][0]
    data = client.get(SEARCH, {"q": "épicerie", "explain": "1"}).json()
    explanation = data["results"][0]["explanation"]
    assert explanation["rank"] == 1 and explanation["sort"] == "relevance"
    parts = sum(explanation[name] for name in ("text", "quality", "freshness") if name in explanation)
    assert parts == pytest.approx(explanation["score"], abs=1e-4)
    assert explanation["score"] == pytest.approx(data["results"][0]["score"], abs=1e-4)


def test_radius_around_a_point_keeps_the_near_ones_and_sorts_by_distance(client, search_corpus):
    quimper = f"{search_corpus.repair.locations.get().latitude},{search_corpus.repair.locations.get().longitude}"
    data = client.get(SEARCH, {"near": quimper, "radius_km": "100", "sort": "distance"}).json()
    assert [result["name"] for result in data["results"]] == [
        "Repair Café de Quimper",
        "Épicerie solidaire du Bouguen",
    ]
    assert data["query"]["radius_km"] == 100


def test_bbox_keeps_what_lies_inside(client, search_corpus):
    data = client.get(SEARCH, {"bbox": "-5.5,47.5,-1,49"}).json()  # western Brittany and Rennes
    assert names(data) == {"Repair Café de Quimper", "Épicerie solidaire du Bouguen", "Jardin partagé des Capucins"}


def test_pages_have_a_bounded_size_and_links(client, search_corpus):
    first = client.get(SEARCH, {"page_size": "3"}).json()
    assert len(first["results"]) == 3 and first["count"] == 4
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 1
    assert not names(first) & names(second)


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 201},
        {"page_size": "101"},
        {"page_size": "0"},
        {"page": "-1"},
        {"page": "deux"},
        {"sort": "popularity"},
        {"sort": "distance"},
        {"bbox": "-180,-90,180,90"},
        {"bbox": "2,48,1,49"},
        {"bbox": "1,2,3"},
        {"near": "48.1"},
        {"near": "91,2"},
        {"radius_km": "10"},
        {"near": "48,2", "radius_km": "-5"},
        {"autour": "99999"},
        {"theme": [f"T{i}" for i in range(21)]},
        {"theme": "<script>"},
        {"explain": "peut-être"},
    ],
)
def test_out_of_bounds_input_gets_a_400_with_a_french_message(client, search_corpus, params):
    response = client.get(SEARCH, params)
    assert response.status_code == 400
    data = response.json()
    assert data["error"]
    assert any(
        word in data["error"].lower()
        for word in ("doit", "ne peut", "inconnu", "non reconnue", "demande", "trop", "au plus")
    )


def test_suggest_offers_initiatives_territories_and_themes(client, search_corpus):
    response = client.get(SUGGEST, {"q": "quimp"})
    assert response.status_code == 200
    data = response.json()
    assert {"initiatives", "territories", "themes"} <= set(data)
    assert "Repair Café de Quimper" in [item["label"] for item in data["initiatives"]]
    assert any("Quimper" in item["label"] for item in data["territories"])


def test_suggest_answers_every_request_not_only_the_first(client, search_corpus):
    for text in ("quimp", "jardin", "tiers"):
        assert client.get(SUGGEST, {"q": text}).status_code == 200


def test_suggest_with_an_empty_query_suggests_nothing(client, search_corpus):
    data = client.get(SUGGEST, {"q": "  "}).json()
    assert data["initiatives"] == data["territories"] == data["themes"] == []


def test_suggest_refuses_an_oversized_query(client, search_corpus):
    response = client.get(SUGGEST, {"q": "x" * 201})
    assert response.status_code == 400
    assert "200 caractères" in response.json()["error"]


def test_points_give_every_located_result_of_the_query(client, search_corpus):
    data = client.get(POINTS, {"theme": "ENV", "page": "1", "page_size": "1"}).json()
    assert data["count"] == 2
    assert data["truncated"] is False
    assert {point[3] for point in data["points"]} == {"Repair Café de Quimper", "Jardin partagé des Capucins"}
    for point_id, lat, lon, _name, url, _commune in data["points"]:
        assert isinstance(point_id, int) and -90 <= lat <= 90 and -180 <= lon <= 180
        assert url.startswith("/initiatives/")


def test_points_stop_at_the_limit_and_say_so(client, search_corpus, monkeypatch):
    monkeypatch.setattr("carrefour.api.views.MAX_POINTS", 2)
    data = client.get(POINTS).json()
    assert data["count"] == 4
    assert len(data["points"]) == 2 and data["truncated"] is True


def test_points_refuse_the_same_bad_input_as_the_search(client, search_corpus):
    response = client.get(POINTS, {"bbox": "-180,-90,180,90"})
    assert response.status_code == 400
    assert "zone" in response.json()["error"].lower()


@pytest.mark.parametrize("url", [SEARCH, POINTS, SUGGEST])
@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_only_get_is_allowed(client, url, method):
    response = getattr(client, method)(url)
    assert response.status_code == 405
    assert "GET" in response["Allow"]
    assert "GET" in response.json()["error"]


def test_post_without_csrf_token_is_refused_in_json_and_in_french(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(SEARCH, {"q": "jardin"})
    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]
