"""OpenCERS settings. Every value comes from the environment (see docs/configuration.md).

Two modes, chosen by ``OPENCERS_ENV``:

* ``development`` (default): works with no configuration at all: embedded PostgreSQL under ``var/``,
  e-mail written to ``var/mail/`` and visible at ``/dev/outbox/``, documents under ``var/media/``.
* ``production``: refuses to start without ``SECRET_KEY`` and ``ALLOWED_HOSTS``; secure cookies, HSTS,
  HTTPS redirect; ``manage.py check --deploy`` is clean.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.csp import CSP  # type: ignore[attr-defined]
from django.utils.translation import gettext_lazy as _

from opencers.core.env import (
    ConfigurationError,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_optional,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("OPENCERS_VAR_DIR", str(BASE_DIR / "var")))

OPENCERS_ENV = env_choice("OPENCERS_ENV", "development", ("development", "production"))
PRODUCTION = OPENCERS_ENV == "production"
DEBUG = env_bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ConfigurationError("DEBUG must not be true when OPENCERS_ENV=production.")

_DEV_SECRET = "development-only-secret-key-not-for-production-use-0123456789abcdef"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
if PRODUCTION and (len(SECRET_KEY) < 50 or SECRET_KEY == _DEV_SECRET):
    raise ConfigurationError(
        "SECRET_KEY must be set to a random value of at least 50 characters when OPENCERS_ENV=production."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ConfigurationError("ALLOWED_HOSTS must list the site's host names when OPENCERS_ENV=production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Public address of the site, used in links inside e-mails.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = "OpenCERS"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "procrastinate.contrib.django",
    # Domain apps
    "opencers.core",
    "opencers.accounts",
    "opencers.organizations",
    "opencers.regulators",
    "opencers.library",
    "opencers.notifications",
    "opencers.submittals",
    "opencers.documents",
    "opencers.elements.facility_info",
    "opencers.elements.inventory",
    "opencers.elements.plans",
    "opencers.spreadsheets",
    "opencers.edt",
    "opencers.tier2",
    # Interface apps
    "opencers.web",
    "opencers.business",
    "opencers.regulator",
    "opencers.exchange",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before the two account middlewares: they sign people out or redirect them with a message.
    "django.contrib.messages.middleware.MessageMiddleware",
    "opencers.accounts.middleware.SessionTimeoutMiddleware",
    "opencers.accounts.middleware.MfaEnrollmentMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

if PRODUCTION:
    # Static files straight from the app servers (compressed, cache-busted names); in development
    # `runserver` serves them from the finders.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "opencers.urls"
FORM_RENDERER = "opencers.core.forms.UswdsRenderer"
WSGI_APPLICATION = "opencers.wsgi.application"
ASGI_APPLICATION = "opencers.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "opencers" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "opencers.core.context_processors.site",
                "opencers.notifications.context_processors.unread",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
# DATABASE_URL selects any PostgreSQL server; without it the embedded cluster under var/ is used
# (started by `make run`, `make test` or `python -m opencers.core.embedded_db start`).
_database_url = env_optional("DATABASE_URL")
EMBEDDED_DATABASE = _database_url is None
if _database_url is None:
    from opencers.core.embedded_db import default_cluster

    _port = default_cluster().port() or 5432
    _database_url = f"postgres://postgres@127.0.0.1:{_port}/opencers"
DATABASES = {
    "default": dj_database_url.parse(_database_url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60))
}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ConfigurationError("DATABASE_URL must point to a PostgreSQL server (postgres://…).")
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int("DATABASE_CONNECT_TIMEOUT", 5)
DATABASES["default"]["TEST"] = {"NAME": env_optional("TEST_DATABASE_NAME") or "test_opencers"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["opencers.accounts.backends.EmailBackend"]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if env_bool("FAST_PASSWORD_HASHER", default=False):
    # Tests only: hashing strength is irrelevant there and scrypt would dominate the run time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "opencers.accounts.passwords.LengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "opencers.accounts.passwords.NotContextSpecificValidator"},
]

ACTIVATION_TOKEN_HOURS = env_int("ACTIVATION_TOKEN_HOURS", 48, minimum=1)
PASSWORD_RESET_TOKEN_HOURS = env_int("PASSWORD_RESET_TOKEN_HOURS", 1, minimum=1)
INVITATION_TOKEN_DAYS = env_int("INVITATION_TOKEN_DAYS", 14, minimum=1)
SESSION_IDLE_MINUTES_BUSINESS = env_int("SESSION_IDLE_MINUTES_BUSINESS", 30, minimum=1)
SESSION_IDLE_MINUTES_REGULATOR = env_int("SESSION_IDLE_MINUTES_REGULATOR", 15, minimum=1)
SESSION_ABSOLUTE_HOURS = env_int("SESSION_ABSOLUTE_HOURS", 12, minimum=1)
REAUTH_MINUTES = env_int("REAUTH_MINUTES", 10, minimum=1)
# Number of reverse proxies in front of the app whose X-Forwarded-For entries are trusted.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_HOURS * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "opencers_session"
CSRF_COOKIE_HTTPONLY = True

# --- Internationalisation ---------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "opencers" / "locale"]
TIME_ZONE = "America/Los_Angeles"  # shown in California time; stored in UTC
USE_I18N = True
USE_TZ = True

# --- Static files and documents --------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "opencers" / "static", VAR_DIR / "assets"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
_storage_backend = env_choice("DOCUMENT_STORAGE", "filesystem", ("filesystem", "s3"))
STORAGES: dict[str, dict[str, object]] = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
if _storage_backend == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET"),
            "endpoint_url": env_optional("S3_ENDPOINT_URL"),
            "region_name": env_optional("S3_REGION"),
            "access_key": env_optional("S3_ACCESS_KEY_ID"),
            "secret_key": env_optional("S3_SECRET_ACCESS_KEY"),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DOCUMENT_MAX_BYTES = env_int("DOCUMENT_MAX_BYTES", 25 * 1024 * 1024, minimum=1024)

# --- Inventory spreadsheets (template, import, export) -------------------------------------------------
# Uploads larger than this are refused before anything is read.
SPREADSHEET_MAX_BYTES = env_int("SPREADSHEET_MAX_BYTES", 50 * 1024 * 1024, minimum=1024)
# A workbook may expand to at most this many bytes (all its parts together) when unpacked.
SPREADSHEET_MAX_UNCOMPRESSED_BYTES = env_int(
    "SPREADSHEET_MAX_UNCOMPRESSED_BYTES", 500 * 1024 * 1024, minimum=1024 * 1024
)
# The workbook is parsed in a child process limited to this much memory (address space) and time.
SPREADSHEET_PARSE_MEMORY_BYTES = env_int(
    "SPREADSHEET_PARSE_MEMORY_BYTES", 1024 * 1024 * 1024, minimum=128 * 1024 * 1024
)
SPREADSHEET_PARSE_SECONDS = env_int("SPREADSHEET_PARSE_SECONDS", 60, minimum=1)
# Imports of files up to this size run during the request; larger ones run as a background job.
SPREADSHEET_INLINE_MAX_BYTES = env_int("SPREADSHEET_INLINE_MAX_BYTES", 1024 * 1024, minimum=0)

# --- E-mail ---------------------------------------------------------------------------------------
# Every message is also stored in the database (notifications.EmailMessage) and sent by the job queue.
EMAIL_DELIVERY = env_choice(
    "EMAIL_DELIVERY", "smtp" if PRODUCTION else "file", ("smtp", "file", "console", "memory")
)
_mailer_options: dict[str, dict[str, object]] = {
    "smtp": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env_str("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 587),
            "username": env_str("EMAIL_HOST_USER", ""),
            "password": env_str("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", default=True),
            "use_ssl": env_bool("EMAIL_USE_SSL", default=False),
            "timeout": env_int("EMAIL_TIMEOUT", 20),
        },
    },
    "file": {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
    },
    "console": {"BACKEND": "django.core.mail.backends.console.EmailBackend"},
    "memory": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
}
MAILERS = {"default": _mailer_options[EMAIL_DELIVERY]}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "OpenCERS <no-reply@opencers.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The development outbox at /dev/outbox/ lists every stored message. Never in production.
DEV_OUTBOX = env_bool("DEV_OUTBOX", default=not PRODUCTION)
if PRODUCTION and DEV_OUTBOX:
    raise ConfigurationError("DEV_OUTBOX must not be enabled when OPENCERS_ENV=production.")
# Demo personas and their published passwords exist only in demo mode.
DEMO_MODE = env_bool("DEMO_MODE", default=not PRODUCTION)

# --- Job queue (procrastinate on PostgreSQL) --------------------------------------------------------
PROCRASTINATE_ON_APP_READY = "opencers.core.jobs.on_app_ready"
# A job whose worker stopped sending heartbeats this long ago is retried by another worker.
JOB_STALLED_AFTER_SECONDS = env_int("JOB_STALLED_AFTER_SECONDS", 60, minimum=2)
JOB_HEARTBEAT_SECONDS = env_int("JOB_HEARTBEAT_SECONDS", 10, minimum=1)
# Extra task modules every worker imports besides each app's ``tasks.py``, comma-separated dotted paths.
# Unset in production; the test suite sets it to ``tests.jobs_for_tests`` for its worker subprocesses.
PROCRASTINATE_IMPORT_PATHS = env_list("JOB_EXTRA_TASK_MODULES", [])

# --- REST API -------------------------------------------------------------------------------------
# The JSON API under /api/v1/ (docs/api/). Bearer tokens only: sessions and cookies play no part.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "opencers.exchange.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "OpenCERS API",
    "DESCRIPTION": (
        "The JSON API of OpenCERS for businesses (facilities, drafts, inventories, documents, submission) "
        "and regulators (review queue, facility search, submittal data, actions). See docs/api/ for "
        "authentication, idempotency, optimistic concurrency, rate limits and errors."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PUBLIC": True,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    "DISABLE_ERRORS_AND_WARNINGS": True,
}
# Requests per client (token) per window; over it the API answers 429 with Retry-After.
API_RATE_LIMIT = env_int("API_RATE_LIMIT", 600, minimum=1)
API_RATE_LIMIT_WINDOW_SECONDS = env_int("API_RATE_LIMIT_WINDOW_SECONDS", 60, minimum=1)
# Largest JSON request body the API accepts (a bulk inventory of several thousand rows fits).
API_MAX_JSON_BYTES = env_int("API_MAX_JSON_BYTES", 20 * 1024 * 1024, minimum=1024)
# How long the API remembers an Idempotency-Key and the first response given to it.
API_IDEMPOTENCY_HOURS = env_int("API_IDEMPOTENCY_HOURS", 24, minimum=1)

# --- Security -------------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if TRUSTED_PROXY_COUNT:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"procrastinate": {"level": "WARNING"}},
}

SESSION_EXPIRE_AT_BROWSER_CLOSE = False
PASSWORD_RESET_TIMEOUT = PASSWORD_RESET_TOKEN_HOURS * 3600
