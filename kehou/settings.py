"""Kehou settings: one module, read from the environment.

Environment variables (all optional on a developer machine):

- ``DATABASE_URL``       PostgreSQL in production and CI; SQLite under ``var/`` when unset.
- ``DJANGO_SECRET_KEY``  required when ``KEHOU_PRODUCTION=1``; otherwise kept in ``var/secret_key``.
- ``DJANGO_DEBUG``       ``1`` for Django's debug pages (never in production).
- ``DJANGO_ALLOWED_HOSTS`` comma-separated, default ``127.0.0.1,localhost``.
- ``KEHOU_PRODUCTION``   ``1`` turns on HTTPS-only cookies, HSTS and the SSL redirect.
- ``KEHOU_CJK_FONT``     TrueType CJK font for PDFs (default: Debian's fonts-wqy-microhei).
- ``REDIS_URL``          shared cache (login throttling, rate limits) when several workers run.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KEHOU_VAR_DIR", BASE_DIR / "var"))


def _flag(name: str, default: str = "0") -> bool:
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


PRODUCTION = _flag("KEHOU_PRODUCTION")
DEBUG = _flag("DJANGO_DEBUG") and not PRODUCTION


def _secret_key() -> str:
    key = os.environ.get("DJANGO_SECRET_KEY", "")
    if key or PRODUCTION:
        if not key:
            raise RuntimeError("KEHOU_PRODUCTION=1 needs DJANGO_SECRET_KEY in the environment")
        return key
    # A developer machine keeps one generated key so sessions survive restarts.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "ninja",
    # Kehou's domains (DESIGN.md §3); shared helpers live in lib/.
    "audit",
    "schools",
    "people",
    "plans",
    "programs",
    "enrollment",
    "notices",
    "attendance",
    "finance",
    "staffing",
    "payroll",
    "events",
    "reports",
    "api",
    "simulation",  # the term simulator (manage.py simulate_term); no models
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "people.middleware.ActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kehou.urls"
WSGI_APPLICATION = "kehou.wsgi.application"

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
                "people.context_processors.actor",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
# SQLite (WAL, IMMEDIATE write transactions, busy timeout) needs no set-up; DESIGN.md §3
# explains why: deferred transactions under several workers gave "database is locked".
_SQLITE_URL = f"sqlite:///{VAR_DIR / 'kehou.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or _SQLITE_URL,
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Connections persist here too (DB_CONN_MAX_AGE): closing the last connection of a WAL
    # database checkpoints it, about 20 ms per request in the enrollment rush
    # (docs/performance.md). Between requests Django is in autocommit: no snapshot is held.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "people.User"

# --- Cache ----------------------------------------------------------------------------------
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }

# --- Login, sessions, passwords --------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "people.auth.UsernameOrPhoneBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Thirty minutes idle ends a session (docs/security.md).
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-axes: five failures lock the username (real or unknown alike) for 30 minutes, and
# five failures from one client (IP + browser) lock that client, which stops password
# spraying. Not the IP alone: many families share one carrier NAT address at the gate.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = ["username", ["ip_address", "user_agent"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files ----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "lib.static_vendor.VendorFinder",  # plotly.min.js from the pip wheel (no CDN)
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Security --------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Logging: errors to stderr, never to a page ---------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# --- Kehou ------------------------------------------------------------------------------------
KEHOU_CJK_FONT = os.environ.get(
    "KEHOU_CJK_FONT", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
)
# Where guardian notices go besides the Kehou inbox (SMS / WeChat adapters in deployment).
KEHOU_NOTICE_SENDERS = ["notices.services.InboxSender"]
# Roster imports larger than this are refused with a message rather than read into memory.
KEHOU_IMPORT_MAX_ROWS = 20_000
