"""Deployment profile and security policy, computed from the environment when the settings load.

Nothing here reads `django.conf.settings`: settings.py calls these helpers, and the tests call them directly.
`CARREFOUR_ENV` is `development` (the default: a laptop, the test suite) or `production` (README, section
« Mise en production »). Production refuses to start on a configuration that would be unsafe, listing every problem
at once, so that an operator fixes them in one go.
"""

import os
from collections.abc import Mapping
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

DEVELOPMENT, PRODUCTION = "development", "production"
ENVIRONMENTS = (DEVELOPMENT, PRODUCTION)
# The minimum strength Django's own deploy check asks of a secret key (security.W009).
SECRET_KEY_MIN_LENGTH, SECRET_KEY_MIN_UNIQUE = 50, 5
HSTS_SECONDS = 31_536_000  # one year, the minimum that the HSTS preload list and R-SEC-03 accept
POSTGRESQL_SCHEMES = ("postgres", "postgresql", "pgsql", "postgis")
TRUE_VALUES = ("1", "true", "yes", "on")


def environment(environ: Mapping[str, str] = os.environ) -> str:
    raw = (environ.get("CARREFOUR_ENV") or DEVELOPMENT).strip().lower()
    if raw not in ENVIRONMENTS:
        raise ImproperlyConfigured(f"CARREFOUR_ENV must be one of {', '.join(ENVIRONMENTS)}, got {raw!r}.")
    return raw


def production_problems(environ: Mapping[str, str] = os.environ) -> list[str]:
    """What keeps this environment from being a safe production set-up (empty: nothing)."""
    problems = []
    secret = environ.get("CARREFOUR_SECRET_KEY", "")
    if not secret:
        problems.append("CARREFOUR_SECRET_KEY must be set (50 random characters or more).")
    elif len(secret) < SECRET_KEY_MIN_LENGTH or len(set(secret)) < SECRET_KEY_MIN_UNIQUE:
        problems.append(
            f"CARREFOUR_SECRET_KEY is too weak: use {SECRET_KEY_MIN_LENGTH} random characters or more, e.g. "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    if not [host for host in (environ.get("CARREFOUR_ALLOWED_HOSTS") or "").split(",") if host.strip()]:
        problems.append("CARREFOUR_ALLOWED_HOSTS must list the public host names of the site (comma-separated).")
    if _truthy(environ.get("CARREFOUR_DEBUG")):
        problems.append("CARREFOUR_DEBUG must not be on in production (it shows tracebacks and settings).")
    database = environ.get("DATABASE_URL", "")
    if not _truthy(environ.get("CARREFOUR_ALLOW_SQLITE_IN_PRODUCTION")):
        if not database:
            problems.append(
                "DATABASE_URL must point to PostgreSQL (postgres://user:password@host:5432/name); SQLite is for "
                "development. Set CARREFOUR_ALLOW_SQLITE_IN_PRODUCTION=1 to run a single-server site on SQLite anyway."
            )
        elif urlsplit(database).scheme.lower() not in POSTGRESQL_SCHEMES:
            problems.append(
                f"DATABASE_URL must be a PostgreSQL URL (postgres://…), not {urlsplit(database).scheme}://…; "
                "set CARREFOUR_ALLOW_SQLITE_IN_PRODUCTION=1 to accept SQLite."
            )
    return problems


def require_production_environment(environ: Mapping[str, str] = os.environ) -> None:
    problems = production_problems(environ)
    if problems:
        lines = "\n".join(f"  - {problem}" for problem in problems)
        raise ImproperlyConfigured(f"CARREFOUR_ENV=production, but the configuration is unsafe:\n{lines}")


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in TRUE_VALUES


def tile_origins(tile_url: str) -> list[str]:
    """The origin(s) a Leaflet tile URL template loads images from, for the CSP's img-src.

    `https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png` → `https://*.tile.openstreetmap.org`.
    """
    if not tile_url:
        return []
    parts = urlsplit(tile_url.replace("{s}", "tile-subdomain"))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImproperlyConfigured(f"CARREFOUR_MAP_TILE_URL must be an http(s) URL template, got {tile_url!r}.")
    host = parts.netloc.replace("tile-subdomain", "*")
    return [f"{parts.scheme}://{host}"]


def content_security_policy(tile_url: str = "") -> dict:
    """The django-csp 4 setting: one policy for every response; scripts only from us or with the page's nonce.

    Pages that may be framed by other sites (the widget) get their own `frame-ancestors` from
    `carrefour.core.middleware.ContentSecurityPolicyMiddleware`.
    """
    from csp.constants import NONCE, NONE, SELF

    return {
        "DIRECTIVES": {
            "default-src": [SELF],
            "script-src": [SELF, NONCE],
            "style-src": [SELF],
            "img-src": [SELF, "data:", *tile_origins(tile_url)],
            "connect-src": [SELF],
            "font-src": [SELF],
            "object-src": [NONE],
            "base-uri": [NONE],
            "frame-ancestors": [NONE],
            "form-action": [SELF],
        }
    }
