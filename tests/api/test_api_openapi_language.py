"""The OpenAPI document, its docs page and the api_token command speak the active language: French by default,
English when the site runs in English (CARREFOUR_LANGUAGE_CODE=en), with no lazy translation left in the data."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from carrefour.api import openapi
from tests import factories


def strings(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)
    else:
        yield node


def search_operation(language: str) -> dict:
    with translation.override(language):
        response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()["paths"]["/api/v1/search"]["get"]


@pytest.mark.django_db
def test_the_openapi_json_is_french_in_french_mode():
    search = search_operation("fr")
    assert search["summary"] == "Rechercher"
    assert search["description"].startswith("Recherche plein texte classée par pertinence")
    assert search["tags"] == ["Recherche"]
    assert search["responses"]["200"]["description"] == "Succès."


@pytest.mark.django_db
def test_the_openapi_json_is_english_in_english_mode():
    search = search_operation("en")
    assert search["summary"] == "Search"
    assert search["description"] == "Full-text search ranked by relevance (or distance, freshness), with facets."
    assert search["tags"] == ["Search"]
    assert search["responses"]["200"]["description"] == "Success."
    theme = next(parameter for parameter in search["parameters"] if parameter["name"] == "theme")
    assert theme["description"] == (
        "Theme code (first level), for example ENV. Several values: any of them. At most 20 filter values in all."
    )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_document_holds_only_plain_data_and_consistent_tags(language):
    with translation.override(language):
        doc = openapi.document()
    assert all(type(value) in (str, int, float, bool, type(None)) for value in strings(doc))
    declared = {tag["name"] for tag in doc["tags"]}
    used = {operation["tags"][0] for item in doc["paths"].values() for operation in item.values()}
    assert used == declared and len(declared) == 7


def test_territory_parameters_keep_their_acronyms():
    doc = openapi.document()
    code = doc["paths"]["/api/v1/territories/epci/{code}"]["get"]["parameters"][0]
    assert code["description"] == "SIREN de l'EPCI."
    assert doc["components"]["schemas"]["OrganisationPage"]["description"] == "Une page d'organisations."


@pytest.mark.django_db
def test_the_docs_page_in_english_shows_the_english_document():
    with translation.override("en"):
        text = Client().get("/api/docs").content.decode()
    assert "Full-text search ranked by relevance" in text
    assert "Recherche plein texte" not in text
    assert "Bearer &lt;token&gt;" in text


@pytest.mark.django_db
def test_the_api_token_command_speaks_the_active_language(capsys):
    source = factories.make_source()
    with translation.override("en"):
        call_command("api_token", "create", "--source", source.slug, "--name", "Partner feed")
        with pytest.raises(CommandError, match="No token starts with nope"):
            call_command("api_token", "revoke", "nope")
    assert "Token “Partner feed” created. Copy it now" in capsys.readouterr().out
    with translation.override("fr"):
        call_command("api_token", "create", "--source", source.slug, "--name", "Flux")
        with pytest.raises(CommandError, match="Source inconnue : absente"):
            call_command("api_token", "create", "--source", "absente", "--name", "Flux")
    assert "Jeton « Flux » créé. Copiez-le maintenant" in capsys.readouterr().out
