"""The search page without JavaScript: a GET form, facets with counts, chips, a status region, 400s in French."""

import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.http import QueryDict

from carrefour import search
from carrefour.search.describe import describe
from carrefour.search.params import SearchParamsError, parse_search
from carrefour.search.templatetags.search_extras import highlighted
from tests.search_corpus import build_search_corpus

SITE = "Carrefour des innovations sociales"
PAGE = "/recherche/"


@pytest.fixture
def corpus(db, settings, tmp_path):
    return build_search_corpus(settings, tmp_path / "search-page-index")


def html_of(response) -> str:
    return response.content.decode()


def result_names(html: str) -> list[str]:
    items = re.findall(r'<li class="result">.*?<h3 class="result-title"><a href="[^"]+">(.*?)</a>', html, re.S)
    return [unescape(name) for name in items]


def status_text(html: str) -> str:
    match = re.search(r'<p id="result-count" class="result-count" role="status">(.*?)</p>', html, re.S)
    assert match, "no role=status region with the result count"
    return " ".join(unescape(match.group(1)).split())


def title_of(html: str) -> str:
    return " ".join(unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1)).split())


def test_search_page_lists_every_published_initiative_with_a_status_count(client, corpus):
    response = client.get(PAGE)
    assert response.status_code == 200
    html = html_of(response)
    assert sorted(result_names(html)) == sorted(
        [corpus.repair.name, corpus.epicerie.name, corpus.jardin.name, corpus.tiers_lieu.name]
    )
    assert status_text(html) == "4 résultats"
    assert corpus.draft.name not in html


def test_search_form_is_a_labelled_get_form_in_a_search_landmark(client, corpus):
    html = html_of(client.get(PAGE))
    form = re.search(r"<form [^>]*id=\"recherche\"[^>]*>", html).group(0)
    assert 'role="search"' in form and 'method="get"' in form and 'action="/recherche/"' in form
    assert '<label for="q">' in html
    assert re.search(r'<input type="search" id="q" name="q"', html)
    assert re.search(r'<button type="submit">\s*Rechercher\s*</button>', html)


def test_facets_are_checkboxes_in_fieldsets_with_legends_and_counts(client, corpus):
    html = html_of(client.get(PAGE))
    assert re.search(r'<fieldset class="facet">\s*<legend>Thématique</legend>', html)
    env = re.search(r'<input type="checkbox" form="recherche" name="theme" value="ENV" id="([^"]+)">', html)
    assert env, "no checkbox for the ENV theme"
    label = re.search(rf'<label for="{env.group(1)}">(.*?)</label>', html, re.S).group(1)
    assert "Environnement et transition écologique" in label and "(2)" in label


def test_ticking_a_facet_is_a_plain_get_round_trip(client, corpus):
    html = html_of(client.get(PAGE, {"theme": "ENV"}))
    assert sorted(result_names(html)) == sorted([corpus.repair.name, corpus.jardin.name])
    assert status_text(html) == "2 résultats"
    assert re.search(r'name="theme" value="ENV" id="[^"]+" checked', html)
    # The other values of the same facet stay offered, with their own counts.
    assert re.search(r'name="theme" value="SOL" id="[^"]+">', html)


def test_text_query_is_kept_in_the_box_and_highlighted_in_the_snippet(client, corpus):
    html = html_of(client.get(PAGE, {"q": "jardin"}))
    assert result_names(html) == [corpus.jardin.name]
    assert 'value="jardin"' in html
    assert status_text(html) == "1 résultat"
    assert "<mark>" in html


def test_result_line_shows_carrier_commune_and_address_as_text(client, corpus):
    html = html_of(client.get(PAGE, {"q": "repair"}))
    item = re.search(r'<li class="result">(.*?)</li>', html, re.S).group(1)
    assert f'href="/initiatives/{corpus.repair.slug}/"' in item
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", item)).split())
    assert "Portée par Association Repair Café de Quimper" in text
    assert "2 rue de la Paix" in text and "Quimper (29)" in text


def test_title_names_the_query_and_the_page(client, corpus):
    assert title_of(html_of(client.get(PAGE, {"q": "jardin"}))) == f"Recherche « jardin » – page 1 – {SITE}"
    assert title_of(html_of(client.get(PAGE, {"page_size": "2", "page": "2"}))) == f"Recherche – page 2 – {SITE}"


def test_pagination_keeps_the_filters(client, corpus):
    html = html_of(client.get(PAGE, {"theme": ["ENV", "NUM"], "page_size": "2"}))
    next_link = unescape(re.search(r'<a href="([^"]+)" rel="next">', html).group(1))
    params = QueryDict(urlsplit(next_link).query)
    assert params.getlist("theme") == ["ENV", "NUM"] and params["page"] == "2" and params["page_size"] == "2"
    second = html_of(client.get(next_link))
    assert len(result_names(second)) == 1


def test_active_filters_are_described_in_words_with_links_that_remove_them(client, corpus):
    html = html_of(client.get(PAGE, {"q": "atelier", "theme": "ENV", "autour": "29232", "rayon": "30"}))
    chips = {
        " ".join(unescape(re.sub(r"<[^>]+>", "", label)).split()): unescape(href)
        for href, label in re.findall(r'<a class="chip" href="([^"]+)">(.*?)</a>', html, re.S)
    }
    assert set(chips) == {
        "Texte : « atelier » — retirer ce filtre×",
        "Thématique : Environnement et transition écologique — retirer ce filtre×",
        "À moins de 30 km de Quimper — retirer ce filtre×",
    }
    without_place = QueryDict(urlsplit(chips["À moins de 30 km de Quimper — retirer ce filtre×"]).query)
    assert "autour" not in without_place and "rayon" not in without_place and without_place["theme"] == "ENV"
    assert re.search(r'<a class="clear-all" href="/recherche/">Tout effacer</a>', html)


def test_radius_around_a_commune_keeps_the_near_initiatives(client, corpus):
    html = html_of(client.get(PAGE, {"autour": "29232", "rayon": "80"}))
    assert sorted(result_names(html)) == sorted([corpus.repair.name, corpus.epicerie.name])


def test_zero_results_offer_each_filter_to_remove_with_its_count(client, corpus):
    html = html_of(client.get(PAGE, {"q": "épicerie", "theme": "ENV"}))
    assert status_text(html) == "Aucun résultat"
    assert "Aucune initiative ne correspond à cette recherche" in html
    relaxations = {
        unescape(label): (unescape(href), count)
        for href, label, count in re.findall(
            r'<li><a href="([^"]+)">Sans « (.*?) »</a> <span class="count">\((\d+) résultats?\)</span></li>', html
        )
    }
    assert relaxations["Thématique : Environnement et transition écologique"][1] == "1"
    assert relaxations["Texte : « épicerie »"][1] == "2"
    assert result_names(html_of(client.get(relaxations["Thématique : Environnement et transition écologique"][0]))) == [
        corpus.epicerie.name
    ]


def test_zero_results_offer_spelling_suggestions_from_the_engine(client, corpus, monkeypatch):
    real_query = search.query

    def with_suggestions(request):
        response = real_query(request)
        if request.text == "jrdinn" and response.count == 0:
            response.suggestions = ["jardin"]
        return response

    monkeypatch.setattr(search, "query", with_suggestions)
    html = html_of(client.get(PAGE, {"q": "jrdinn"}))
    if "Aucune initiative" not in html:
        pytest.skip("the engine's typo tolerance already finds results for « jrdinn »")
    link = re.search(r'Vouliez-vous dire :\s*<a href="([^"]+)">jardin</a>', html)
    assert link, "no spelling suggestion on the zero-result page"
    assert QueryDict(urlsplit(unescape(link.group(1))).query)["q"] == "jardin"


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"q": "x" * 201}, "200 caractères"),
        ({"theme": [f"T{i}" for i in range(21)]}, "20 au plus"),
        ({"page": "zéro"}, "numéro de page"),
        ({"page_size": "1000"}, "taille de page"),
        ({"sort": "hasard"}, "Tri inconnu"),
        ({"sort": "distance"}, "tri par distance"),
        ({"bbox": "-100,0,100,80"}, "zone est trop grande"),
        ({"bbox": "nord"}, "ouest,sud,est,nord"),
        ({"near": "48,500"}, "longitude"),
        ({"autour": "00000"}, "Commune inconnue"),
        ({"rayon": "20"}, "point de départ"),
    ],
)
def test_bad_input_is_a_400_with_a_french_message_in_the_form(client, corpus, params, words):
    response = client.get(PAGE, params)
    assert response.status_code == 400
    html = html_of(response)
    summary = re.search(r'<div class="error-summary" role="alert".*?</div>', html, re.S)
    assert summary, "no error summary"
    assert words in unescape(summary.group(0))
    assert title_of(html).startswith("Erreur : Recherche")
    assert 'id="recherche"' in html  # the form is still there, to correct the search


def test_too_long_query_is_flagged_on_the_field(client, corpus):
    html = html_of(client.get(PAGE, {"q": "x" * 201}))
    assert re.search(r'id="q"[^>]*aria-invalid="true" aria-describedby="q-error"', html)
    assert re.search(r'<p id="q-error" class="field-error">[^<]*200 caractères', html)


def test_header_navigation_links_to_the_search_page(client, corpus):
    html = html_of(client.get(PAGE))
    assert re.search(r'<a href="/recherche/" aria-current="page">Recherche</a>', html)


def test_home_page_has_a_search_box_leading_to_the_search_page(client, corpus):
    html = html_of(client.get("/"))
    form = re.search(r'<form [^>]*role="search"[^>]*>(.*?)</form>', html, re.S)
    assert form and 'action="/recherche/"' in form.group(0) and 'method="get"' in form.group(0)
    assert 'name="q"' in form.group(1) and 'data-suggest-url="/api/v1/suggest"' in form.group(1)


def test_initiative_page_shows_similar_initiatives(client, corpus):
    html = html_of(client.get(corpus.repair.get_absolute_url()))
    section = re.search(r'<section aria-labelledby="titre-similaires">(.*?)</section>', html, re.S)
    assert section, "no « Ils font la même chose ailleurs » section"
    assert "Ils font la même chose ailleurs" in section.group(1)
    assert corpus.repair.name not in section.group(1)
    assert re.search(r'href="/initiatives/[^"]+/"', section.group(1))


def test_every_initiative_page_shows_its_similar_initiatives(client, corpus):
    for initiative in (corpus.repair, corpus.jardin, corpus.repair):
        html = html_of(client.get(initiative.get_absolute_url()))
        assert 'aria-labelledby="titre-similaires"' in html, f"no similar initiatives on {initiative.name}"


def test_initiative_page_survives_a_broken_index(client, corpus, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise OSError("index folder is missing")

    monkeypatch.setattr(search, "similar", broken)
    response = client.get(corpus.repair.get_absolute_url())
    assert response.status_code == 200
    assert "titre-similaires" not in html_of(response)
    assert "similar initiatives unavailable" in caplog.text


def test_describe_names_each_filter_and_removes_only_it(corpus):
    params = QueryDict("q=jardin&theme=ENV&theme=SOL&bbox=-5,47,-1,49&page=3")
    chips = describe(parse_search(params), params)
    assert [chip.label for chip in chips] == [
        "Texte : « jardin »",
        "Thématique : Environnement et transition écologique",
        "Thématique : Solidarités",
        "Dans la zone choisie sur la carte",
    ]
    assert chips[1].remove_url == "?q=jardin&theme=SOL&bbox=-5%2C47%2C-1%2C49"


def test_parser_reports_every_problem_at_once():
    with pytest.raises(SearchParamsError) as caught:
        parse_search(QueryDict("q=" + "x" * 300 + "&sort=x&page_size=500"))
    assert [error.param for error in caught.value.errors] == ["q", "sort", "page_size"]


def test_snippet_keeps_mark_and_drops_any_other_markup():
    assert highlighted("un <mark>jardin</mark> &amp; <script>alert(1)</script><b>x</b>") == (
        "un <mark>jardin</mark> &amp; x"
    )


def test_the_rank_explanation_is_a_disclosure_shown_on_demand(client, corpus):
    plain = html_of(client.get(PAGE, {"q": "jardin"}))
    assert "Pourquoi ce rang ?" not in plain
    assert "explain=1" in plain  # the « Comprendre le classement » link
    explained = html_of(client.get(PAGE, {"q": "jardin", "explain": "1"}))
    assert explained.count("<summary>Pourquoi ce rang ?</summary>") == len(result_names(explained)) > 0
    assert "correspondance avec le texte cherché" in explained
    assert 'name="explain" value="1"' in explained  # the form keeps the state
