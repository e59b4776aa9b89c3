"""Request budgets (429 + Retry-After, per IP, higher per token) and CORS (open on reads only)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from carrefour.api import throttle
from tests import factories

pytestmark = pytest.mark.django_db


def test_anonymous_reads_over_budget_get_429_with_retry_after(client, settings):
    settings.CARREFOUR_API_RATE = "3/h"
    for _ in range(3):
        assert client.get("/api/v1/taxonomy", {"vocabulary": "stage"}).status_code == 200
    refused = client.get("/api/v1/taxonomy", {"vocabulary": "stage"})
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 3600
    assert refused.json()["error"].startswith("Trop de requêtes")
    assert refused["Access-Control-Allow-Origin"] == "*"  # a page on another site can read the refusal


def test_each_address_has_its_own_budget(settings):
    settings.CARREFOUR_API_RATE = "1/h"
    first, second = Client(REMOTE_ADDR="192.0.2.1"), Client(REMOTE_ADDR="192.0.2.2")
    assert first.get("/api/v1/sources").status_code == 200
    assert first.get("/api/v1/sources").status_code == 429
    assert second.get("/api/v1/sources").status_code == 200


def test_trusted_proxy_gives_the_forwarded_client_address(settings):
    settings.CARREFOUR_API_RATE = "1/h"
    settings.CARREFOUR_API_TRUSTED_PROXY_COUNT = 1
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    assert proxy.get("/api/v1/sources", headers={"X-Forwarded-For": "198.51.100.7"}).status_code == 200
    assert proxy.get("/api/v1/sources", headers={"X-Forwarded-For": "198.51.100.8"}).status_code == 200
    assert proxy.get("/api/v1/sources", headers={"X-Forwarded-For": "198.51.100.7"}).status_code == 429


def test_partners_have_a_higher_budget_counted_per_token(client, settings):
    settings.CARREFOUR_API_RATE = "1/h"
    settings.CARREFOUR_API_TOKEN_RATE = "3/h"
    _token, value = factories.make_api_token()
    headers = {"Authorization": f"Bearer {value}"}
    assert [client.get("/api/v1/sources", headers=headers).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert client.get("/api/v1/sources").status_code == 200  # the address's own budget is untouched


def test_an_invented_token_does_not_buy_the_partner_budget(client, settings):
    settings.CARREFOUR_API_RATE = "1/h"
    headers = {"Authorization": "Bearer cis_invente"}
    assert client.get("/api/v1/sources", headers=headers).status_code == 200
    assert client.get("/api/v1/sources", headers=headers).status_code == 429


def test_burst_limit_counts_per_second_windows(db):
    rates = throttle.parse_rates("60/m,2/s")
    assert throttle.over_budget("ip:203.0.113.5", rates, now=1000.2) is None
    assert throttle.over_budget("ip:203.0.113.5", rates, now=1000.5) is None
    assert throttle.over_budget("ip:203.0.113.5", rates, now=1000.7) == 1
    assert throttle.over_budget("ip:203.0.113.5", rates, now=1001.1) is None  # next second


def test_a_malformed_rate_setting_fails_loudly():
    with pytest.raises(ImproperlyConfigured):
        throttle.parse_rates("soixante par minute")
    assert throttle.parse_rates("") == []


def test_reads_are_open_to_cors_without_credentials(client):
    response = client.get("/api/v1/taxonomy", headers={"Origin": "https://ailleurs.example"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response["Access-Control-Expose-Headers"]


def test_preflight_allows_reads_but_not_writes(client):
    read = client.options(
        "/api/v1/initiatives",
        headers={"Origin": "https://ailleurs.example", "Access-Control-Request-Method": "GET"},
    )
    assert read.status_code == 204 and read["Access-Control-Allow-Origin"] == "*"
    assert "If-None-Match" in read["Access-Control-Allow-Headers"]
    write = client.options(
        "/api/v1/initiatives",
        headers={"Origin": "https://ailleurs.example", "Access-Control-Request-Method": "POST"},
    )
    assert "Access-Control-Allow-Origin" not in write


def test_the_site_pages_get_no_cors_header(client):
    assert "Access-Control-Allow-Origin" not in client.get("/")


def test_the_endpoints_our_pages_call_have_their_own_larger_budget(client, settings):
    settings.CARREFOUR_API_RATE = "1/h"
    settings.CARREFOUR_API_PAGE_RATE = "3/h"
    assert client.get("/api/v1/sources").status_code == 200
    assert client.get("/api/v1/sources").status_code == 429
    assert [client.get("/api/v1/suggest", {"q": "jard"}).status_code for _ in range(4)] == [200, 200, 200, 429]
