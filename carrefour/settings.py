"""Settings, read from environment variables (see README, section « Configuration »)."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from carrefour.core import security
from carrefour.core.logging import logging_config
from carrefour.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent

# All runtime state lives under one data folder.
DATA_DIR = Path(env_str("CARREFOUR_DATA_DIR", str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = DATA_DIR / "media"
LOG_DIR = DATA_DIR / "logs"
SEARCH_INDEX_DIR = DATA_DIR / "index"
# Each server keeps its own index folder and follows the shared outbox under a stable name (docs/deploiement.md):
# default, the host name and the index folder. Holes in outbox ids (transactions still in flight) are awaited this
# long; rows are purged once every index seen within the TTL has applied them, and after the retention regardless.
SEARCH_INDEX_NAME = env_str("CARREFOUR_INDEX_NAME")
SEARCH_OUTBOX_GAP_SECONDS = env_int("CARREFOUR_OUTBOX_GAP_SECONDS", 3600)
SEARCH_CONSUMER_TTL_SECONDS = env_int("CARREFOUR_INDEX_TTL_SECONDS", 24 * 3600)
SEARCH_OUTBOX_RETENTION_SECONDS = env_int("CARREFOUR_OUTBOX_RETENTION_SECONDS", 7 * 24 * 3600)
SEARCH_OUTBOX_LOCK_TIMEOUT = 5  # seconds a rebuild waits for in-flight writers before falling back to holes
STATIC_ROOT = DATA_DIR / "static"
for _folder in (MEDIA_ROOT, LOG_DIR, STATIC_ROOT):
    _folder.mkdir(parents=True, exist_ok=True)

# Deployment profile: development (default) or production (README, section « Mise en production »). Production
# refuses to start without a secret key, host names and PostgreSQL, and turns on the HTTPS-only settings below.
CARREFOUR_ENV = security.environment()
PRODUCTION = CARREFOUR_ENV == security.PRODUCTION
if PRODUCTION:
    security.require_production_environment()
DEBUG = env_bool("CARREFOUR_DEBUG", False) and not PRODUCTION
SECRET_KEY = env_str("CARREFOUR_SECRET_KEY")
if not SECRET_KEY:
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
    "carrefour.backups",
    "carrefour.geocoding",
    "carrefour.privacy",
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
    "csp",
]

CSRF_FAILURE_VIEW = "carrefour.core.views.csrf_failure"

MIDDLEWARE = [
    # A request id on every response and log line, and one access line per request (carrefour.core.logging).
    "carrefour.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response, with a per-request nonce (request.csp_nonce).
    "carrefour.core.middleware.ContentSecurityPolicyMiddleware",
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
    # Budgets of the account pages (sign-up, reset, e-mail…) on the shared database counter (carrefour/accounts/data).
    "carrefour.accounts.request_limits.AccountRequestLimitsMiddleware",
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
# Read replicas (docs/deploiement.md): comma-separated URLs of streaming replicas of the PostgreSQL primary. Reads
# go to a replica, writes and read-your-writes to the primary (carrefour.core.replicas); none: no routing at all.
DATABASE_REPLICAS: list[str] = []
DATABASE_REPLICA_PIN_SECONDS = env_int("CARREFOUR_REPLICA_PIN_SECONDS", 5)
if _replica_urls := env_list("CARREFOUR_REPLICA_URLS", []):
    from carrefour.core.replicas import replica_settings

    DATABASES.update(replica_settings(_replica_urls, env_int("CARREFOUR_CONN_MAX_AGE", 60)))
    DATABASE_REPLICAS = [alias for alias in DATABASES if alias != "default"]
    DATABASE_ROUTERS = ["carrefour.core.replicas.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
        "carrefour.core.replicas.PrimaryPinningMiddleware",
    )
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
# Production serves the files gathered by `carrefour collectstatic` (hashed names, gzip and brotli copies) through
# WhiteNoise; development and the tests serve them straight from the apps, with no collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
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
# Failed logins are counted per (e-mail, IP address) in windows of the cool-off: after N failures, that pair waits for
# the window to end. Never a permanent lockout (R-SEC-08).
LOGIN_ATTEMPTS = env_int("CARREFOUR_LOGIN_ATTEMPTS", 5)
LOGIN_COOLOFF_SECONDS = env_int("CARREFOUR_LOGIN_COOLOFF_SECONDS", 15 * 60)
# allauth's own limits live in Django's cache (not atomic): all of them are off, and carrefour.accounts.throttle counts
# failed logins, second-factor codes and account pages in the shared database counter instead (R-SEC-24).
ACCOUNT_RATE_LIMITS = False
MFA_RATE_LIMITS = False
MFA_FORMS = {
    "authenticate": "carrefour.accounts.mfa_forms.AuthenticateForm",
    "reauthenticate": "carrefour.accounts.mfa_forms.ReauthenticateForm",
    "activate_totp": "carrefour.accounts.mfa_forms.ActivateTOTPForm",
}
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

# HTTPS, cookies and security headers (R-SEC-02, R-SEC-03). Production is HTTPS only; development is plain http.
SESSION_COOKIE_SECURE = PRODUCTION or env_bool("CARREFOUR_SECURE_COOKIES", False)
# Browsers accept a __Host- cookie only if it is Secure, with Path=/ and no Domain: the name enforces those flags.
SESSION_COOKIE_NAME = "__Host-sessionid" if SESSION_COOKIE_SECURE else "sessionid"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = PRODUCTION and env_bool("CARREFOUR_SSL_REDIRECT", True)
# Probes on the server itself read the health endpoint over plain http.
SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
if env_bool("CARREFOUR_BEHIND_PROXY", False):
    # The reverse proxy terminates TLS and says so in X-Forwarded-Proto (it must overwrite any value sent by clients).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = security.HSTS_SECONDS if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("CARREFOUR_HSTS_PRELOAD", False)
# security.W021 (no HSTS preload) is silenced unless preload is chosen: preloading commits the whole registered
# domain and every subdomain to HTTPS in browsers for months, a decision for the domain's owner, not a default.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# In every environment, so that development and the tests see what production sends (carrefour.core.security).
CONTENT_SECURITY_POLICY = security.content_security_policy(MAP_TILE_URL)
# Who may frame the pages exempted from X-Frame-Options (the widget): any site by default.
WIDGET_FRAME_ANCESTORS = env_list("CARREFOUR_WIDGET_FRAME_ANCESTORS", ["*"])

# Logs: JSON lines on stdout in production (collected by the service manager), readable text and a rotating file
# under <data folder>/logs/ in development. Either way with the request id (carrefour.core.logging).
LOG_FORMAT = env_str("CARREFOUR_LOG_FORMAT", "json" if PRODUCTION else "text")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"CARREFOUR_LOG_FORMAT must be json or text, got {LOG_FORMAT!r}")
LOGGING = logging_config(
    LOG_FORMAT, env_str("CARREFOUR_LOG_LEVEL", "WARNING"), None if PRODUCTION else str(LOG_DIR / "carrefour.log")
)

# Open data: exports regenerated by `carrefour export_open_data` (cron), served from this folder; the DCAT catalogue's
# publisher and generic contact point (never a person), and how often the exports are regenerated (EU frequency code).
OPENDATA_DIR = DATA_DIR / "exports"
OPENDATA_PUBLISHER = env_str("CARREFOUR_OPENDATA_PUBLISHER", "Carrefour des innovations sociales")
OPENDATA_CONTACT_EMAIL = env_str("CARREFOUR_OPENDATA_CONTACT_EMAIL", "donnees-ouvertes@carrefour.localhost")
OPENDATA_FREQUENCY = env_str("CARREFOUR_OPENDATA_FREQUENCY", "DAILY")

# Legal pages (« Mentions légales », « Données personnelles », « Accessibilité »): who publishes and hosts the site.
# The defaults are placeholders to replace in production (see docs/rgpd/registre.md).
LEGAL_PUBLISHER = env_str("CARREFOUR_LEGAL_PUBLISHER", "Association Carrefour des innovations sociales (à compléter)")
LEGAL_PUBLISHER_ADDRESS = env_str("CARREFOUR_LEGAL_PUBLISHER_ADDRESS", "Adresse du siège à compléter")
LEGAL_DIRECTOR = env_str("CARREFOUR_LEGAL_DIRECTOR", "Directeur·rice de la publication à désigner")
LEGAL_CONTACT_EMAIL = env_str("CARREFOUR_LEGAL_CONTACT_EMAIL", "contact@carrefour.localhost")
LEGAL_DPO_EMAIL = env_str("CARREFOUR_LEGAL_DPO_EMAIL", "donnees-personnelles@carrefour.localhost")
LEGAL_HOST = env_str("CARREFOUR_LEGAL_HOST", "Hébergeur à compléter (nom, adresse, téléphone)")
LEGAL_MAIL_PROVIDER = env_str("CARREFOUR_LEGAL_MAIL_PROVIDER", "Serveur de courrier de l'hébergeur")
# RGAA status of the latest audit: « non », « partiellement » or « totalement » (conforme); its date and auditor.
A11Y_STATUS = env_str("CARREFOUR_A11Y_STATUS", "partiellement")
A11Y_AUDIT_DATE = env_str("CARREFOUR_A11Y_AUDIT_DATE", "")
A11Y_AUDIT_RATE = env_str("CARREFOUR_A11Y_AUDIT_RATE", "")
# Accounts without a login for this many months are warned, then erased one month later (R-GDPR-06, CNIL).
INACTIVE_ACCOUNT_WARNING_MONTHS = env_int("CARREFOUR_INACTIVE_ACCOUNT_WARNING_MONTHS", 23)
INACTIVE_ACCOUNT_DELETION_MONTHS = env_int("CARREFOUR_INACTIVE_ACCOUNT_DELETION_MONTHS", 24)
AUDIT_RETENTION_MONTHS = env_int("CARREFOUR_AUDIT_RETENTION_MONTHS", 12)
CONSENT_PROOF_RETENTION_YEARS = env_int("CARREFOUR_CONSENT_PROOF_RETENTION_YEARS", 5)

# Outbound HTTP (partner feeds): hosts allowed to use http, any port and private addresses (tests: 127.0.0.1).
OUTBOUND_HTTP_ALLOWED_HOSTS = env_list("CARREFOUR_OUTBOUND_ALLOWED_HOSTS", [])
# Where the real partner files live when a source configuration names a file relative to a data root.
SOURCES_DATA_DIR = env_str("CARREFOUR_REALDATA_DIR", str(BASE_DIR.parent / "shared" / "realdata"))

# Backups (`carrefour backup` / `carrefour restore`): archives in <data folder>/backups, kept 14 days + 6 months.
# Without CARREFOUR_BACKUP_KEY (any long passphrase) the archives are NOT encrypted.
BACKUP_DIR = Path(env_str("CARREFOUR_BACKUP_DIR", str(DATA_DIR / "backups"))).resolve()
BACKUP_KEY = env_str("CARREFOUR_BACKUP_KEY")
# Folder of pg_dump / pg_restore when they are not on PATH (then /usr/lib/postgresql/15/bin is tried).
BACKUP_POSTGRES_BIN_DIR = env_str("CARREFOUR_POSTGRES_BIN_DIR")

# Address geocoding: offline by default (commune centre from the gazetteer). CARREFOUR_GEOCODER_URL names an
# Addok/BAN-compatible /search/ endpoint (e.g. https://api-adresse.data.gouv.fr/search/); results below the score
# threshold are ignored; `carrefour geocode_pending` (cron) retries the addresses a failed attempt left pending.
GEOCODER_URL = env_str("CARREFOUR_GEOCODER_URL")
GEOCODER_MIN_SCORE = float(env_str("CARREFOUR_GEOCODER_MIN_SCORE", "0.5"))
GEOCODER_TIMEOUT = env_int("CARREFOUR_GEOCODER_TIMEOUT", 3)
