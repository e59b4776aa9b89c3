"""CARREFOUR_ENV=production: refuses unsafe set-ups, passes `check --deploy` (R-SEC-01), HTTPS-only settings."""

import json
import logging

import pytest
from django.core.checks import run_checks
from production_env import CARREFOUR, PRODUCTION_HOST, load_settings, production_environ, run, settings_error

from carrefour.core import security
from carrefour.core.logging import JsonFormatter

PRODUCTION_SETTINGS = [
    "CARREFOUR_ENV",
    "DEBUG",
    "ALLOWED_HOSTS",
    "SESSION_COOKIE_NAME",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SILENCED_SYSTEM_CHECKS",
    "STORAGES",
    "WHITENOISE_USE_FINDERS",
    "LOGGING",
    "DATABASES",
]


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    return load_settings(production_environ(tmp_path_factory.mktemp("data")), PRODUCTION_SETTINGS)


def test_production_turns_on_https_only_settings(production):
    assert production["CARREFOUR_ENV"] == "production"
    assert production["DEBUG"] is False
    assert production["ALLOWED_HOSTS"] == [PRODUCTION_HOST]
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production["SECURE_PROXY_SSL_HEADER"] is None  # only with CARREFOUR_BEHIND_PROXY=1
    assert production["DATABASES"]["default"]["ENGINE"] == "django.db.backends.postgresql"


def test_production_session_cookie_is_host_prefixed_secure_and_http_only(production):
    assert production["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_HTTPONLY"] is True
    assert production["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert production["CSRF_COOKIE_SECURE"] is True


def test_production_serves_collected_static_files_with_hashed_names(production, settings):
    assert production["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert production["WHITENOISE_USE_FINDERS"] is False
    # Development and the tests need no collectstatic.
    assert settings.STORAGES["staticfiles"]["BACKEND"] == "django.contrib.staticfiles.storage.StaticFilesStorage"


def test_production_logs_json_lines_on_stdout_only(production):
    logging_setting = production["LOGGING"]
    assert logging_setting["formatters"]["json"]["()"] == "carrefour.core.logging.JsonFormatter"
    assert list(logging_setting["handlers"]) == ["console"]
    assert logging_setting["handlers"]["console"]["formatter"] == "json"
    assert logging_setting["handlers"]["console"]["stream"] == "ext://sys.stdout"
    assert logging_setting["loggers"]["carrefour.request"]["level"] == "INFO"


def test_behind_a_proxy_the_forwarded_protocol_is_trusted(tmp_path):
    values = load_settings(production_environ(tmp_path, CARREFOUR_BEHIND_PROXY="1"), ["SECURE_PROXY_SSL_HEADER"])
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_hsts_preload_is_an_opt_in_and_then_w021_is_no_longer_silenced(tmp_path, production):
    assert production["SECURE_HSTS_PRELOAD"] is False
    assert production["SILENCED_SYSTEM_CHECKS"] == ["security.W021"]
    values = load_settings(
        production_environ(tmp_path, CARREFOUR_HSTS_PRELOAD="1"), ["SECURE_HSTS_PRELOAD", "SILENCED_SYSTEM_CHECKS"]
    )
    assert values == {"SECURE_HSTS_PRELOAD": True, "SILENCED_SYSTEM_CHECKS": []}


def test_debug_cannot_be_turned_on_in_production(tmp_path):
    error = settings_error(production_environ(tmp_path, CARREFOUR_DEBUG="1"))
    assert "CARREFOUR_DEBUG must not be on in production" in error


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"CARREFOUR_SECRET_KEY": None}, "CARREFOUR_SECRET_KEY must be set"),
        ({"CARREFOUR_SECRET_KEY": "court"}, "CARREFOUR_SECRET_KEY is too weak"),
        ({"CARREFOUR_ALLOWED_HOSTS": " , "}, "CARREFOUR_ALLOWED_HOSTS must list"),
        ({"DATABASE_URL": None}, "DATABASE_URL must point to PostgreSQL"),
        ({"DATABASE_URL": "sqlite:////srv/carrefour.sqlite3"}, "DATABASE_URL must be a PostgreSQL URL"),
    ],
)
def test_production_refuses_an_unsafe_configuration_with_a_clear_message(tmp_path, overrides, message):
    error = settings_error(production_environ(tmp_path, **overrides))
    assert "ImproperlyConfigured" in error
    assert message in error


def test_all_problems_are_listed_at_once():
    problems = security.production_problems({"CARREFOUR_ENV": "production"})
    assert [problem.split(" ")[0] for problem in problems] == [
        "CARREFOUR_SECRET_KEY",
        "CARREFOUR_ALLOWED_HOSTS",
        "DATABASE_URL",
    ]


def test_sqlite_in_production_is_accepted_only_when_asked_for(tmp_path):
    environ = production_environ(tmp_path, DATABASE_URL=None, CARREFOUR_ALLOW_SQLITE_IN_PRODUCTION="1")
    assert settings_error(environ) == ""
    values = load_settings(environ, ["DATABASES"])
    assert values["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"


def test_an_unknown_environment_name_is_refused(tmp_path):
    error = settings_error(production_environ(tmp_path, CARREFOUR_ENV="prod"))
    assert "CARREFOUR_ENV must be one of development, production" in error


def test_development_is_the_default_and_needs_no_variable(tmp_path):
    environ = production_environ(tmp_path, CARREFOUR_ENV=None, CARREFOUR_SECRET_KEY=None, DATABASE_URL=None)
    values = load_settings(
        environ, ["CARREFOUR_ENV", "SESSION_COOKIE_NAME", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"]
    )
    assert values == {
        "CARREFOUR_ENV": "development",
        "SESSION_COOKIE_NAME": "sessionid",
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0,
    }


def test_deploy_check_passes_under_production_settings(tmp_path):
    """R-SEC-01: the CI gate. No database server is needed: `check` does not connect."""
    result = run([str(CARREFOUR), "check", "--deploy", "--fail-level", "WARNING"], production_environ(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_flags_debug(settings):
    """R-SEC-01's unit test: with DEBUG on, Django's deploy checks report security.W018."""
    settings.DEBUG = True
    ids = {message.id for message in run_checks(include_deployment_checks=True)}
    assert "security.W018" in ids
    settings.DEBUG = False
    assert "security.W018" not in {message.id for message in run_checks(include_deployment_checks=True)}


@pytest.mark.parametrize(
    ("tile_url", "origins"),
    [
        ("", []),
        ("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", ["https://*.tile.openstreetmap.org"]),
        ("https://tuiles.exemple.fr:8443/osm/{z}/{x}/{y}.png", ["https://tuiles.exemple.fr:8443"]),
    ],
)
def test_the_tile_host_is_allowed_for_images(tile_url, origins):
    assert security.tile_origins(tile_url) == origins
    img_src = security.content_security_policy(tile_url)["DIRECTIVES"]["img-src"]
    assert img_src == ["'self'", "data:", *origins]


def test_a_tile_url_that_is_not_http_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="CARREFOUR_MAP_TILE_URL"):
        security.tile_origins("javascript:alert(1)")


def test_json_log_line_has_the_documented_fields():
    record = logging.LogRecord("carrefour.request", logging.INFO, __file__, 1, "GET %s %s", ("/", 200), None)
    record.status, record.duration_ms, record.client = 200, 1.5, "192.0.2.0/24"
    line = json.loads(JsonFormatter().format(record))
    assert set(line) == {"timestamp", "level", "logger", "message", "status", "duration_ms", "client"}
    assert line["timestamp"].endswith("+00:00")
    assert (line["level"], line["logger"], line["message"]) == ("INFO", "carrefour.request", "GET / 200")
