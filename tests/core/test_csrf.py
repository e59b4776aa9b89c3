"""R-SEC-04: CSRF protection everywhere; `csrf_exempt` only on an allow-list of token-authenticated API views."""

import re
from pathlib import Path

from django.test import Client

PACKAGE = Path(__file__).resolve().parents[2] / "carrefour"
# path relative to carrefour/ → why it may be exempt (token-authenticated API views only)
CSRF_EXEMPT_ALLOWLIST: dict[str, str] = {}


def test_csrf_exempt_appears_only_in_the_allowlist():
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if re.search(r"\bcsrf_exempt\b", path.read_text(encoding="utf-8"))
        and str(path.relative_to(PACKAGE)) not in CSRF_EXEMPT_ALLOWLIST
    ]
    assert offenders == []


def test_the_csrf_middleware_is_on(settings):
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE


def test_a_form_posted_without_token_gets_a_french_page(db):
    response = Client(enforce_csrf_checks=True).post("/recherche/", {"q": "jardin"})
    assert response.status_code == 403
    assert "Formulaire expiré" in response.content.decode()
