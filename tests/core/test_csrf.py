"""R-SEC-04: CSRF protection everywhere; `csrf_exempt` only on an allow-list of token-authenticated API views."""

import re
from pathlib import Path

from django.test import Client

PACKAGE = Path(__file__).resolve().parents[2] / "carrefour"
# path relative to carrefour/ → why it may be exempt (views authenticated by a token, never by the session)
CSRF_EXEMPT_ALLOWLIST: dict[str, str] = {
    "follows/views_follow.py": (
        "POST /suivis/resume/desinscription/<signed token>/: RFC 8058 one-click unsubscribe from the weekly digest; "
        "the signed token is the only credential, and the only effect is stopping that digest."
    ),
    "alerts/views.py": (
        "POST /alertes/desinscription/<signed token>/: RFC 8058 one-click unsubscribe; mail clients POST without "
        "cookies; the signed per-alert token in the URL is the only credential, and the only effect is deleting "
        "that one alert."
    ),
    # public API
    "api/views_write.py": (
        "POST/PATCH/PUT /api/v1/initiatives[/<id>]: partner writes authenticated by an Authorization: Bearer token "
        "only (never by the session cookie), so a cross-site request cannot carry the credential."
    ),
}


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
