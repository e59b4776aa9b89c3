"""The embeddable widget: frameable, cookie-free, filtered like the search; and its configurator."""

import pytest

from tests.search_corpus import build_search_corpus


@pytest.fixture
def corpus(db, settings, tmp_path):
    return build_search_corpus(settings, tmp_path / "index")


def test_widget_can_be_framed_by_any_site_and_sets_no_cookie(client, corpus):
    response = client.get("/widget/")
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert not response.cookies
    # The site-wide policy says frame-ancestors 'none'; the widget's says * (carrefour.core.middleware).
    assert "frame-ancestors *" in response["Content-Security-Policy"]


def test_other_pages_still_refuse_framing(client, corpus):
    assert client.get("/widget/configurer/")["X-Frame-Options"] == "DENY"
    assert client.get("/donnees-ouvertes/")["X-Frame-Options"] == "DENY"


def test_widget_filters_like_the_search_and_links_back_to_it(client, corpus):
    everything = client.get("/widget/").content.decode()
    assert "Repair Café de Quimper" in everything
    response = client.get("/widget/", {"departement": "29", "titre": "Nos initiatives"})
    text = response.content.decode()
    assert '<h1 class="widget-title">Nos initiatives</h1>' in text
    assert "Repair Café de Quimper" in text
    assert "Jardin partagé des Capucins" in everything
    assert "Jardin partagé des Capucins" not in text, "the département filter leaves Rennes out"
    assert 'href="/recherche/?departement=29"' in text
    assert 'data-points-url="/api/v1/search/points?departement=29"' in text
    assert 'target="_blank"' in text


def test_widget_with_a_bad_filter_explains_in_french_and_stays_frameable(client, corpus):
    response = client.get("/widget/", {"theme": "<script>"})
    assert response.status_code == 400
    assert "X-Frame-Options" not in response
    text = response.content.decode()
    assert "Ce widget est mal configuré" in text
    assert "<script>" not in text.split("</h1>", 1)[1].split("<script", 1)[0]


def test_configurator_without_parameters_shows_the_form_only(client, corpus):
    response = client.get("/widget/configurer/")
    assert response.status_code == 200
    text = response.content.decode()
    assert '<label for="id_territoire">' in text
    assert "widget-preview" not in text


def test_configurator_gives_the_preview_and_the_snippets(client, corpus):
    response = client.get("/widget/configurer/", {"territoire": "departement:29", "theme": "", "hauteur": "500"})
    assert response.status_code == 200
    text = response.content.decode()
    assert 'src="/widget/?departement=29"' in text
    assert '&lt;iframe src="http://testserver/widget/?departement=29"' in text
    assert 'height="500"' in text
    assert "http://testserver/widget/integrer.js" in text


def test_configurator_errors_are_listed_and_linked_to_their_field(client, corpus):
    response = client.get("/widget/configurer/", {"territoire": "departement:00", "hauteur": "99999"})
    assert response.status_code == 400
    text = response.content.decode()
    assert 'class="error-summary"' in text
    assert 'href="#id_hauteur"' in text and 'href="#id_territoire"' in text
    assert "La hauteur ne peut dépasser 1600 pixels." in text
    assert 'aria-invalid="true"' in text
    assert 'value="99999"' in text, "what the visitor typed is kept"
    assert "widget-preview" not in text


def test_embed_script_is_served_at_a_stable_address(client, db):
    response = client.get("/widget/integrer.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert b"carrefour-widget:height" in response.content
