"""Settings, read from environment variables (see README, section « Configuration »)."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from carrefour.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent

# All runtime state lives under one data folder.
DATA_DIR = Path(env_str("CARREFOUR_DATA_DIR", str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = DATA_DIR / "media"
LOG_DIR = DATA_DIR / "logs"
SEARCH_INDEX_DIR = DATA_DIR / "index"
STATIC_ROOT = DATA_DIR / "static"
for _folder in (MEDIA_ROOT, LOG_DIR, STATIC_ROOT):
    _folder.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("CARREFOUR_DEBUG", False)
SECRET_KEY = env_str("CARREFOUR_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG and env_bool("CARREFOUR_PRODUCTION", False):
        raise ImproperlyConfigured("CARREFOUR_SECRET_KEY must be set in production.")
    # A per-data-folder key, generated once, so a fresh clone starts with no secret to set.
    _key_file = DATA_DIR / "secret_key"
    if not _key_file.exists():
        from django.core.management.utils import get_random_secret_key

        _key_file.write_text(get_random_secret_key())
        _key_file.chmod(0o600)
    SECRET_KEY = _key_file.read_text().strip()

ALLOWED_HOSTS = env_list("CARREFOUR_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CARREFOUR_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("CARREFOUR_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "carrefour.core",
    "carrefour.territories",
    "carrefour.catalog",
    "carrefour.sources",
    "carrefour.dedup",
    "carrefour.demo",
    "carrefour.search",
    "carrefour.api",
    "carrefour.contributions",
    "carrefour.moderation",
    "carrefour.messaging",
    "carrefour.alerts",
    "carrefour.contacts",
    "carrefour.follows",
    "carrefour.opendata",
    "carrefour.widget",
    "carrefour.stats",
    # Before allauth, so that our templates override its own.
    "carrefour.accounts",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

CSRF_FAILURE_VIEW = "carrefour.core.views.csrf_failure"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Public API (/api/v1/ only): partner tokens, request budgets (429), CORS on reads.
    "carrefour.api.middleware.PublicApiMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "carrefour.accounts.middleware.StaffSecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "carrefour.urls"
WSGI_APPLICATION = "carrefour.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "carrefour.core.context_processors.site",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("CARREFOUR_CONN_MAX_AGE", 60))}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "carrefour.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# French first. The English catalogue (locale/en) is kept ready; CARREFOUR_LANGUAGE_CODE=en switches to it.
LANGUAGE_CODE = env_str("CARREFOUR_LANGUAGE_CODE", "fr")
LANGUAGES = [("fr", _("Français")), ("en", _("Anglais"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Front-end libraries (Leaflet, markercluster) come from the npm registry at set-up and are served by the app.
STATICFILES_DIRS = [("vendor", BASE_DIR / "node_modules")] if (BASE_DIR / "node_modules").is_dir() else []
MEDIA_URL = "/media/"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Map tiles: off by default (the département outline layer is the offline background).
MAP_TILE_URL = env_str("CARREFOUR_MAP_TILE_URL")
MAP_TILE_ATTRIBUTION = env_str("CARREFOUR_MAP_TILE_ATTRIBUTION", "© les contributeurs d'OpenStreetMap")

# Accounts (django-allauth): login by e-mail only, mandatory verification, no account enumeration.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:space"
ACCOUNT_LOGOUT_REDIRECT_URL = "core:home"
ACCOUNT_ADAPTER = "carrefour.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Carrefour] "
# Failed logins are counted per (e-mail, IP address): after N failures within the cool-off, that pair waits for the
# oldest failure to age out. Never a permanent lockout (R-SEC-08).
LOGIN_ATTEMPTS = env_int("CARREFOUR_LOGIN_ATTEMPTS", 5)
LOGIN_COOLOFF_SECONDS = env_int("CARREFOUR_LOGIN_COOLOFF_SECONDS", 15 * 60)
ACCOUNT_RATE_LIMITS = {"login_failed": f"30/m/ip,{LOGIN_ATTEMPTS}/{LOGIN_COOLOFF_SECONDS}s/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Carrefour des innovations sociales"
# Moderators and administrators must use TOTP to reach /moderation/ and /admin/ (R-SEC-12).
STAFF_SECOND_FACTOR_PATHS = ("/moderation/", "/admin/")

# Contributions: a published sheet reported by this many distinct people is hidden until a moderator decides.
CARREFOUR_REPORTS_TO_HIDE = env_int("CARREFOUR_REPORTS_TO_HIDE", 3)

# Rate limits and lock-outs need a cache shared by every worker process: the database (table created by a migration
# of carrefour.accounts).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "carrefour_cache",
    }
}

# Public API: request budgets as "<count>/<s|m|h>" (empty: no limit), counted in CACHES (shared by all workers).
# Anonymous clients per IP address (rate and burst), partners per token.
CARREFOUR_API_RATE = env_str("CARREFOUR_API_RATE", "60/m")
CARREFOUR_API_BURST = env_str("CARREFOUR_API_BURST", "10/s")
CARREFOUR_API_TOKEN_RATE = env_str("CARREFOUR_API_TOKEN_RATE", "600/m")
# Autocomplete and map points, which our own pages call as people type or move the map: per IP address.
CARREFOUR_API_PAGE_RATE = env_str("CARREFOUR_API_PAGE_RATE", "600/m,20/s")
# Behind N reverse proxies, the client address is the N-th from the right in X-Forwarded-For (0: REMOTE_ADDR).
CARREFOUR_API_TRUSTED_PROXY_COUNT = env_int("CARREFOUR_API_TRUSTED_PROXY_COUNT", 0)

# E-mail: written as files under <data folder>/mail/ unless an SMTP server is configured.
EMAIL_BACKENDS = {
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}
_email_backend = env_str("CARREFOUR_EMAIL_BACKEND", "file")
# Every mail is queued in the database outbox; `carrefour send_outbox` delivers it through the backend chosen by
# CARREFOUR_EMAIL_BACKEND (file, smtp, console, locmem or a dotted path), with retries (R-REL-11).
EMAIL_BACKEND = "carrefour.messaging.backends.OutboxBackend"
CARREFOUR_EMAIL_DELIVERY_BACKEND = EMAIL_BACKENDS.get(_email_backend, _email_backend)
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = env_str("CARREFOUR_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("CARREFOUR_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("CARREFOUR_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("CARREFOUR_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("CARREFOUR_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("CARREFOUR_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("CARREFOUR_EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str(
    "CARREFOUR_FROM_EMAIL", "Carrefour des innovations sociales <ne-pas-repondre@carrefour.localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("CARREFOUR_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "file": {
            "class": "logging.handlers.RotatingFileHandler",
            "filename": LOG_DIR / "carrefour.log",
            "maxBytes": 5_000_000,
            "backupCount": 3,
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["console", "file"], "level": env_str("CARREFOUR_LOG_LEVEL", "WARNING")},
}

# Open data: exports regenerated by `carrefour export_open_data` (cron), served from this folder; the DCAT catalogue's
# publisher and generic contact point (never a person), and how often the exports are regenerated (EU frequency code).
OPENDATA_DIR = DATA_DIR / "exports"
OPENDATA_PUBLISHER = env_str("CARREFOUR_OPENDATA_PUBLISHER", "Carrefour des innovations sociales")
OPENDATA_CONTACT_EMAIL = env_str("CARREFOUR_OPENDATA_CONTACT_EMAIL", "donnees-ouvertes@carrefour.localhost")
OPENDATA_FREQUENCY = env_str("CARREFOUR_OPENDATA_FREQUENCY", "DAILY")

# Outbound HTTP (partner feeds): hosts allowed to use http, any port and private addresses (tests: 127.0.0.1).
OUTBOUND_HTTP_ALLOWED_HOSTS = env_list("CARREFOUR_OUTBOUND_ALLOWED_HOSTS", [])
# Where the real partner files live when a source configuration names a file relative to a data root.
SOURCES_DATA_DIR = env_str("CARREFOUR_REALDATA_DIR", str(BASE_DIR.parent / "shared" / "realdata"))
