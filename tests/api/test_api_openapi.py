"""The OpenAPI document: valid, complete (every URL pattern of the app), rendered as the docs page; and the contract
test: schemathesis generates requests for every operation against the app on 127.0.0.1 (in-process WSGI, no
network) and checks no 5xx and responses conforming to the document."""

import re

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.urls import URLPattern, get_resolver
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

from carrefour.api import openapi
from tests import factories

MAX_EXAMPLES = 30


def api_routes() -> set[str]:
    """Every route of the api app, as an OpenAPI path (`<str:key>` → `{key}`)."""
    routes = set()
    for entry in get_resolver().url_patterns:
        if getattr(entry, "namespace", None) == "api":
            for pattern in entry.url_patterns:
                assert isinstance(pattern, URLPattern)
                route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))
                routes.add(f"/api/v1/{route}")
    return routes


def refs(node):
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"]
        for value in node.values():
            yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def test_every_url_pattern_of_the_api_app_is_documented():
    routes = api_routes()
    assert "/api/v1/initiatives/{key}" in routes and len(routes) >= 19
    assert routes == set(openapi.document()["paths"])


def test_the_document_is_openapi_3_1_and_every_reference_resolves(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    doc = response.json()
    assert doc["openapi"] == "3.1.0"
    schemas = doc["components"]["schemas"]
    for reference in set(refs(doc)):
        assert reference.startswith("#/components/schemas/") and reference.rsplit("/", 1)[1] in schemas, reference
    for route, item in doc["paths"].items():
        for method, operation in item.items():
            assert operation["responses"], f"{method} {route}"
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    assert "{" + parameter["name"] + "}" in route


def test_the_document_describes_writes_and_their_preconditions():
    doc = openapi.document()
    patch = doc["paths"]["/api/v1/initiatives/{key}"]["patch"]
    assert {"200", "401", "403", "412", "428"} <= set(patch["responses"])
    assert patch["security"] == [{"bearerAuth": []}]
    fields = doc["components"]["schemas"]["InitiativeInput"]
    assert fields["additionalProperties"] is False
    assert not {"status", "version", "source", "merged_into"} & set(fields["properties"])


def test_the_docs_page_is_french_html_from_the_same_document(client, db):
    response = client.get("/api/docs")
    assert response.status_code == 200
    text = response.content.decode()
    assert '<html lang="fr"' in text
    for route in openapi.document()["paths"]:
        assert f"<code>{route}</code>" in text, route
    assert "If-Match" in text and '<script src="http' not in text


@pytest.mark.django_db
def test_schemathesis_finds_no_server_error_and_no_schema_violation(search_corpus):
    import schemathesis
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_headers_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    source = factories.make_api_source()
    factories.make_sourced_initiative(source, contact_email="jamais.visible@exemple.fr")
    _token, value = factories.make_api_token(source=source)
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_headers_conformance,
        response_schema_conformance,
    ]
    tested = 0
    # As Django's test client does: the test's transaction must outlive each request (PostgreSQL would close it).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
        for result in schema.get_all_operations():
            operation = result.ok()
            headers = {"Authorization": f"Bearer {value}"} if operation.method.upper() != "GET" else {}
            check_operation(operation, headers, checks)
            tested += 1
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    assert tested >= 21


def check_operation(operation, headers: dict, checks: list) -> None:
    @given(case=operation.as_strategy())
    @hypothesis_settings(
        max_examples=MAX_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def run(case):
        response = case.call(headers=headers)
        case.validate_response(response, checks=checks)
        assert "jamais.visible@exemple.fr" not in response.text

    run()
