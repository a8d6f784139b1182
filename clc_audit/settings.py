"""Settings for CLC Audit, read from the environment.

Variables (see `.env.example`): DEBUG, SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS,
CSRF_TRUSTED_ORIGINS, SECURE_SSL_REDIRECT, SECURE_HSTS_SECONDS, USE_X_FORWARDED_PROTO,
SECURE_COOKIES, TRUSTED_PROXIES, STATIC_ROOT, LOG_LEVEL, SIMPLE_HISTORY_ENABLED,
LANGUAGE_CODE, TIME_ZONE, SCHOOL_YEAR_START_MONTH, EMAIL_URL (or EMAIL_HOST, EMAIL_PORT,
EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL), DEFAULT_FROM_EMAIL,
SITE_URL.
A bad value stops start-up with a message naming the variable.
"""

import os
import zoneinfo
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from clc_audit.client_ip import parse_networks
from clc_audit.email_settings import email_from_env, site_url_from_env

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of true/false, yes/no, on/off or 1/0; got {raw!r}."
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_env() -> dict:
    default = f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    url = os.environ.get("DATABASE_URL", "").strip() or default
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except (ValueError, KeyError) as error:
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a database URL this app can use ({error}). "
            "Use postgres://user:password@host:port/name or sqlite:///path/to/file."
        ) from None
    engine = config.get("ENGINE", "")
    if engine not in ("django.db.backends.postgresql", "django.db.backends.sqlite3"):
        raise ImproperlyConfigured(
            f"DATABASE_URL must name PostgreSQL or SQLite; it names {engine or 'nothing'}."
        )
    if engine.endswith("sqlite3"):
        # WAL lets readers run beside a writer; IMMEDIATE takes the write lock at the
        # start of a transaction, so two saves queue behind the busy timeout instead of
        # failing with "database is locked" half-way through.
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    return config


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "").strip()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. "
            "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "insecure-development-key-only-for-debug"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "communities",
    "audits",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "clc_audit.middleware.RequestBodyLimitMiddleware",
    "clc_audit.middleware.PrivatePagesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "clc_audit.middleware.RememberLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "clc_audit.middleware.MalformedRequestMiddleware",
    "clc_audit.middleware.RejectNulCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "clc_audit.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "clc_audit.middleware.PermissionsPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clc_audit.urls"
WSGI_APPLICATION = "clc_audit.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "audits.context_processors.instrument",
            ],
        },
    },
]

DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Five failures for one username from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind a load balancer, the client's address comes from X-Forwarded-For, but only
# when the connection comes from one of these (see clc_audit/client_ip.py).
if os.environ.get("AXES_PROXY_COUNT", "").strip():
    raise ImproperlyConfigured(
        "AXES_PROXY_COUNT is replaced by TRUSTED_PROXIES: list the addresses or networks "
        "of your proxies, for example TRUSTED_PROXIES=10.0.0.5 or 10.0.0.0/24."
    )
try:
    TRUSTED_PROXIES = parse_networks(os.environ.get("TRUSTED_PROXIES", ""))
except ValueError as error:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES: {error}.") from None
AXES_CLIENT_IP_CALLABLE = "clc_audit.client_ip.client_ip"

# The languages of the site, each named in itself. A person's choice (the switcher, kept
# in their profile) comes first, then the browser's Accept-Language, then LANGUAGE_CODE.
LANGUAGES = [("en-gb", "English"), ("fr-ca", "Français")]
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "").strip().lower() or "en-gb"
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(
        f"LANGUAGE_CODE must be one of {', '.join(dict(LANGUAGES))}; got {LANGUAGE_CODE!r}."
    )
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_I18N = True

TIME_ZONE = os.environ.get("TIME_ZONE", "").strip() or "Europe/London"
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(
        f"TIME_ZONE must be a time zone name such as Europe/London; got {TIME_ZONE!r}."
    ) from None
USE_TZ = True
# The month the school year starts in: 9 (September) in England, 7 (July) in Quebec.
# Periods ("2026/27"), the current period and deadlines follow it.
SCHOOL_YEAR_START_MONTH = env_int("SCHOOL_YEAR_START_MONTH", 9)
if not 1 <= SCHOOL_YEAR_START_MONTH <= 12:
    raise ImproperlyConfigured(
        f"SCHOOL_YEAR_START_MONTH must be a month from 1 to 12; got {SCHOOL_YEAR_START_MONTH}."
    )

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", "").strip() or BASE_DIR / "staticfiles")
# Uploaded files (the register's files, evidence) go through Django's storage API: a
# folder outside the static files by default (never served from it: a view that checks
# who may see each file serves it), or any django-storages backend (docs/deployment.md).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", "").strip() or BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Background work (the register import, emails) runs in a task worker beside the app
# servers: `manage.py db_worker`, which `make run` and `make serve` start. Tasks wait in
# the database, so the worker needs no other server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Email (docs/deployment.md, "Email"): EMAIL_URL, or EMAIL_HOST and the rest; the
# console backend in development when neither is set, SMTP otherwise. Messages are sent
# by the task worker, never in the request, and recorded (communities.SentMessage).
_email = email_from_env(DEBUG)
EMAIL_BACKEND = _email["backend"]
EMAIL_HOST = _email["host"]
EMAIL_PORT = _email["port"]
EMAIL_HOST_USER = _email["user"]
EMAIL_HOST_PASSWORD = _email["password"]
EMAIL_USE_TLS = _email["use_tls"]
EMAIL_USE_SSL = _email["use_ssl"]
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = (
    os.environ.get("DEFAULT_FROM_EMAIL", "").strip() or "CLC Audit <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The site's address, for the links in messages sent without a request (reminders).
SITE_URL = site_url_from_env(DEBUG, ALLOWED_HOSTS)
# Password reset: how many requests in an hour for one address, and from one client.
PASSWORD_RESET_PER_ADDRESS = env_int("PASSWORD_RESET_PER_ADDRESS", 3)
PASSWORD_RESET_PER_CLIENT = env_int("PASSWORD_RESET_PER_CLIENT", 10)
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for a day, once

# History of every change (django-simple-history). Only ever off while loading a
# `dumpdata` backup, which carries its own history rows: left on, loading the many-to-many
# fields (a school's leaders, a hub's coordinators) would write new history rows that
# collide with the restored ones. See docs/deployment.md.
SIMPLE_HISTORY_ENABLED = env_bool("SIMPLE_HISTORY_ENABLED", True)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Sessions live in the database so that several app servers can share them.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# A small cache in each process, for content whose key changes with its data (the hub
# page): never the only copy of anything, so several app servers need nothing shared.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "clc-audit",
        "OPTIONS": {"MAX_ENTRIES": 200},
    },
    # Whole rendered pages (audits/page_cache.py), kept apart so that they never push the
    # hub page's parts out of the default cache.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "clc-audit-pages",
        "OPTIONS": {"MAX_ENTRIES": 300},
    },
}
# Request bodies: small by default; the register import (published at ~60 MB) and, later,
# evidence files get their own limits. Checked before the body is read (a 413 page).
MEGABYTE = 1024 * 1024
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_BYTES", 2 * MEGABYTE)
GIAS_UPLOAD_MAX_BYTES = env_int("GIAS_UPLOAD_MAX_BYTES", 100 * MEGABYTE)
EVIDENCE_FILE_MAX_BYTES = env_int("EVIDENCE_FILE_MAX_BYTES", 10 * MEGABYTE)
REQUEST_MAX_BYTES_BY_URL = {
    "admin:communities_school_gias_import": GIAS_UPLOAD_MAX_BYTES,
    # One evidence file and the category's text: the file's limit and room for the form.
    "audits:audit_category": EVIDENCE_FILE_MAX_BYTES + MEGABYTE,
}
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_BYTES

# How long an unused hub page stays cached; 0 turns the hub page cache off.
HUB_PAGE_CACHE_SECONDS = env_int("HUB_PAGE_CACHE_SECONDS", 600)
# How long a submitted audit's report stays cached for its reader (on PostgreSQL, until
# anything changes: audits/page_cache.py); 0 turns it off.
REPORT_CACHE_SECONDS = env_int("REPORT_CACHE_SECONDS", 600)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# A load balancer's health check speaks plain HTTP to the app server: answer it there.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
if env_bool("USE_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# No inline scripts or styles anywhere: every script and stylesheet is a file we serve.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING").strip().upper() or "WARNING"
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    raise ImproperlyConfigured(
        f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL; got {LOG_LEVEL!r}."
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # The level on the handler too: Django's own loggers pass INFO records up to it.
    "handlers": {"console": {"class": "logging.StreamHandler", "level": LOG_LEVEL}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}
