"""Security headers and cookies under the production settings (R-SEC-02, R-SEC-03), read from a production process."""

import json
import re
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.template import Context, Template
from django.test import Client
from django.urls import path, reverse
from factories import PASSWORD, make_initiative, make_user
from production_env import PRODUCTION_HOST, load_settings, production_environ

from carrefour import urls as project_urls

pytestmark = pytest.mark.django_db

# Everything that differs between development and production, or that this file asserts.
HEADER_SETTINGS = [
    "ALLOWED_HOSTS",
    "MIDDLEWARE",
    "SESSION_COOKIE_NAME",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_DOMAIN",
    "SESSION_COOKIE_PATH",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "WIDGET_FRAME_ANCESTORS",
]
TEMPLATES_ROOT = Path(__file__).resolve().parents[2] / "carrefour"


def nonce_page(request):
    template = Template('<!DOCTYPE html><script nonce="{{ request.csp_nonce }}">let ok = 1;</script>')
    return HttpResponse(template.render(Context({"request": request})))


urlpatterns = [path("essai-nonce/", nonce_page), *project_urls.urlpatterns]


@pytest.fixture(scope="module")
def production_values(tmp_path_factory):
    names = [*HEADER_SETTINGS, "CONTENT_SECURITY_POLICY"]
    return load_settings(production_environ(tmp_path_factory.mktemp("data")), names)


@pytest.fixture
def production(settings, production_values):
    """The test settings, with every header and cookie setting as a production process computes it."""
    for name in HEADER_SETTINGS:
        setattr(settings, name, production_values[name])
    # The policy is the same in every environment (so the tests see it): only compared here, not copied.
    local_policy = json.loads(json.dumps(settings.CONTENT_SECURITY_POLICY, default=str))
    assert production_values["CONTENT_SECURITY_POLICY"] == local_policy
    return settings


def https_get(client, url):
    return client.get(url, secure=True, headers={"host": PRODUCTION_HOST})


def csp_directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def sample_urls() -> dict[str, str]:
    initiative = make_initiative()
    return {
        "home": reverse("core:home"),
        "search": reverse("search:search") + "?q=r%C3%A9paration",
        "initiative": reverse("catalog:initiative", kwargs={"slug": initiative.slug}),
        "territory": reverse("territories:departement", kwargs={"code": "29"}),
        "open data": reverse("opendata:page"),
        "widget": reverse("widget:widget"),
        "API JSON": reverse("api:search"),
        "health": reverse("core:health"),
    }


def test_every_sampled_page_carries_the_security_headers(production):
    client = Client()
    for name, url in sample_urls().items():
        response = https_get(client, url)
        assert response.status_code == 200, (name, url, response.status_code)
        assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains", name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["Referrer-Policy"] == "same-origin", name
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", name
        directives = csp_directives(response)
        assert directives["object-src"] == ["'none'"], name
        assert directives["base-uri"] == ["'none'"], name
        assert directives["default-src"] == ["'self'"], name
        assert directives["style-src"] == ["'self'"], name
        assert "'unsafe-inline'" not in directives["script-src"], name
        assert directives["frame-ancestors"] == (["*"] if name == "widget" else ["'none'"]), name
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], name


def test_plain_http_is_redirected_to_https_except_the_health_probe(production):
    client = Client()
    response = client.get("/", headers={"host": PRODUCTION_HOST})
    assert response.status_code == 301
    assert response["Location"] == f"https://{PRODUCTION_HOST}/"
    assert "Strict-Transport-Security" not in response  # HSTS is only sent over HTTPS, as the standard requires
    assert client.get(reverse("core:health"), headers={"host": PRODUCTION_HOST}).status_code == 200


def test_session_cookie_after_login_has_the_host_prefix_and_flags(production):
    user = make_user("claire.production@exemple.fr")
    client = Client()
    response = client.post(
        reverse("account_login"),
        {"login": user.email, "password": PASSWORD},
        secure=True,
        headers={"host": PRODUCTION_HOST},
    )
    assert response.status_code == 302
    # What the WSGI handler sends as the Set-Cookie header's value.
    raw = response.cookies["__Host-sessionid"].OutputString()
    attributes = {part.strip().split("=")[0].lower(): part.strip() for part in raw.split(";")[1:]}
    assert "secure" in attributes and "httponly" in attributes
    assert attributes["samesite"] == "SameSite=Lax"
    assert attributes.get("path") == "Path=/", raw
    assert "domain" not in attributes
    assert "sessionid" not in response.cookies  # no cookie under the development name
    parsed = SimpleCookie(raw)
    assert parsed["__Host-sessionid"].value == client.cookies["__Host-sessionid"].value


def test_csrf_cookie_is_secure(production):
    response = https_get(Client(), reverse("account_login"))
    assert response.status_code == 200
    assert response.cookies["csrftoken"]["secure"] is True


def test_the_widget_can_be_framed_by_any_site_and_nothing_else_can(production):
    client = Client()
    widget = https_get(client, reverse("widget:widget"))
    assert "X-Frame-Options" not in widget
    assert csp_directives(widget)["frame-ancestors"] == ["*"]
    page = https_get(client, reverse("widget:configure"))
    assert page["X-Frame-Options"] == "DENY"
    assert csp_directives(page)["frame-ancestors"] == ["'none'"]


def test_the_sites_allowed_to_frame_the_widget_are_configurable(production):
    production.WIDGET_FRAME_ANCESTORS = ["https://mairie.exemple.fr", "https://*.reseau.exemple.org"]
    widget = https_get(Client(), reverse("widget:widget"))
    assert csp_directives(widget)["frame-ancestors"] == ["https://mairie.exemple.fr", "https://*.reseau.exemple.org"]


@pytest.mark.urls(__name__)
def test_a_script_with_the_pages_nonce_is_allowed_by_the_policy(production):
    response = https_get(Client(), "/essai-nonce/")
    nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
    assert len(nonce) >= 16
    assert f"'nonce-{nonce}'" in csp_directives(response)["script-src"]
    # Another request, another nonce.
    again = https_get(Client(), "/essai-nonce/")
    assert f"'nonce-{nonce}'" not in again["Content-Security-Policy"]


def test_a_page_without_inline_script_gets_no_nonce():
    response = Client().get(reverse("core:home"))
    assert csp_directives(response)["script-src"] == ["'self'"]


# Templates: what the policy would block. `<textarea>` contents are text (e.g. the widget's snippet to copy).
TEXTAREA = re.compile(r"<textarea\b.*?</textarea>", re.S | re.I)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)
HANDLER_ATTRIBUTE = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)


def test_no_template_has_inline_styles_scripts_or_event_handlers():
    offenders = []
    for template in sorted(TEMPLATES_ROOT.glob("*/templates/**/*.html")):
        text = TEXTAREA.sub("", template.read_text(encoding="utf-8"))
        for kind, pattern in [
            ("style attribute", STYLE_ATTRIBUTE),
            ("event handler", HANDLER_ATTRIBUTE),
            ("inline script", INLINE_SCRIPT),
            ("style element", STYLE_ELEMENT),
        ]:
            if pattern.search(text):
                offenders.append(f"{template.relative_to(TEMPLATES_ROOT)}: {kind}")
    assert offenders == []


def test_the_template_guard_catches_what_the_policy_blocks():
    assert STYLE_ATTRIBUTE.search('<span class="bar" style="width: 5%">')
    assert HANDLER_ATTRIBUTE.search('<button onclick="go()">')
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/a.js"></script>')
    assert not INLINE_SCRIPT.search('<script type="application/json" id="x">{}</script>')
    assert not STYLE_ATTRIBUTE.search(TEXTAREA.sub("", '<textarea>&lt;iframe style="border:0"&gt;</textarea>'))
