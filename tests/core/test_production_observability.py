"""Request ids and structured access logs: what production writes on stdout, without personal data."""

import io
import json
import logging

import pytest
from django.test import Client
from django.urls import reverse

from carrefour.core.logging import JsonFormatter, loggable_path, truncated_ip

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines(caplog):
    """The JSON lines production would print, formatted as they are emitted (inside the request)."""
    caplog.set_level(logging.INFO, logger="carrefour.request")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logging.getLogger().addHandler(handler)
    yield lambda logger: [line for line in map(json.loads, stream.getvalue().splitlines()) if line["logger"] == logger]
    logging.getLogger().removeHandler(handler)


def test_every_response_carries_a_request_id():
    client = Client()
    first, second = client.get(reverse("core:health")), client.get(reverse("core:home"))
    assert len(first["X-Request-ID"]) == 32 and len(second["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_a_request_id_from_the_proxy_is_kept_and_a_strange_one_replaced():
    client = Client()
    kept = client.get(reverse("core:health"), headers={"x-request-id": "proxy-1234abcd"})
    assert kept["X-Request-ID"] == "proxy-1234abcd"
    replaced = client.get(reverse("core:health"), headers={"x-request-id": "<script>\r\nSet-Cookie: x"})
    assert replaced["X-Request-ID"] != "<script>\r\nSet-Cookie: x"
    assert len(replaced["X-Request-ID"]) == 32


def test_one_json_access_line_per_request_with_the_documented_fields(json_lines):
    response = Client().get(
        reverse("search:search") + "?q=camille%40exemple.fr",
        REMOTE_ADDR="203.0.113.77",
        headers={"x-request-id": "abcdef123456"},
    )
    assert response.status_code == 200
    [line] = json_lines("carrefour.request")
    assert line["request_id"] == "abcdef123456" == response["X-Request-ID"]
    assert (line["level"], line["logger"], line["method"], line["path"]) == (
        "INFO",
        "carrefour.request",
        "GET",
        "/recherche/",
    )
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["client"] == "203.0.113.0/24"
    assert line["timestamp"].endswith("+00:00")  # UTC
    text = json.dumps(line)
    assert "camille" not in text and "203.0.113.77" not in text  # no query string, no full address


def test_log_lines_written_during_a_request_carry_its_id(json_lines):
    response = Client().get("/page/qui/nexiste/pas/")
    assert response.status_code == 404
    [line] = json_lines("django.request")
    assert line["message"] == "Not Found: /page/qui/nexiste/pas/"
    assert line["request_id"] == response["X-Request-ID"]
    assert line["status"] == 404
    assert line["path"] == "/page/qui/nexiste/pas/"


def test_secret_tokens_in_paths_are_not_logged(json_lines):
    Client().get(reverse("account_confirm_email", kwargs={"key": "Mg:1tTOPsecretKEY:abc"}))
    [line] = json_lines("carrefour.request")
    assert "TOPsecret" not in json.dumps(line)
    assert line["path"] == "/compte/confirm-email/<key>/"


def test_the_api_key_in_a_path_is_a_public_identifier_and_is_kept(rf):
    from django.urls import resolve

    request = rf.get("/api/v1/initiatives/repair-cafe-de-quimper")
    request.resolver_match = resolve(request.path)
    assert loggable_path(request) == "/api/v1/initiatives/repair-cafe-de-quimper"


@pytest.mark.parametrize(
    ("address", "network"),
    [("192.0.2.17", "192.0.2.0/24"), ("2001:db8:1234:5678::1", "2001:db8:1234::/48"), ("pas une adresse", "")],
)
def test_addresses_are_truncated_to_their_network(address, network):
    assert truncated_ip(address) == network
