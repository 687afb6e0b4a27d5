"""Settings, read from the environment. Wiring only.

KEYPROJECTS_DATA_DIR   where the SQLite database, uploads and logs live (default ./var)
DATABASE_URL           postgres://user:pass@host:port/name switches to PostgreSQL; unset means SQLite in the data dir
KEYPROJECTS_TODAY      fixes the clock (YYYY-MM-DD) for the demo and tests; the UI shows that the clock is set
KEYPROJECTS_SECRET_KEY, KEYPROJECTS_DEBUG, KEYPROJECTS_ALLOWED_HOSTS
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("KEYPROJECTS_DATA_DIR", "var")).resolve()

DEBUG = os.environ.get("KEYPROJECTS_DEBUG", "0") == "1"
SECRET_KEY = os.environ.get("KEYPROJECTS_SECRET_KEY", "")
if not SECRET_KEY:
    # A per-installation key kept in the data directory, so that sessions survive restarts without configuration.
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        SECRET_KEY = key_file.read_text().strip()
    else:
        import secrets

        SECRET_KEY = secrets.token_urlsafe(50)
        try:
            DATA_DIR.mkdir(parents=True, exist_ok=True)
            key_file.write_text(SECRET_KEY)
            key_file.chmod(0o600)
        except OSError:
            pass
ALLOWED_HOSTS = os.environ.get("KEYPROJECTS_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "keyprojects.core",
    "keyprojects.accounts",
    "keyprojects.audit",
    "keyprojects.regions",
    "keyprojects.directory",
    "keyprojects.projects",
    "keyprojects.reports",
    "keyprojects.ratings",
    "keyprojects.notifications",
    "keyprojects.problems",
    "keyprojects.intake",
    "keyprojects.cadence",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "keyprojects.core.middleware.RequestIdMiddleware",
]

ROOT_URLCONF = "keyprojects.config.urls"
WSGI_APPLICATION = "keyprojects.config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "keyprojects.core.context_processors.platform",
            ],
            "builtins": ["keyprojects.core.templatetags.kp"],
        },
    }
]


def database_from_url(url: str) -> dict[str, object]:
    """postgres://user:pass@host:port/name → Django DATABASES entry (only PostgreSQL and SQLite are supported)."""
    parsed = urlparse(url)
    if parsed.scheme in ("postgres", "postgresql", "pgsql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")) or "keyprojects",
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
            "TEST": {"NAME": os.environ.get("KEYPROJECTS_TEST_DB_NAME") or None},
        }
    if parsed.scheme == "sqlite":
        # sqlite:///relative.db and sqlite:////absolute/path.db, as SQLAlchemy and dj-database-url write them
        name = unquote(parsed.path)[1:] if parsed.path.startswith("/") else unquote(parsed.path)
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": name or str(DATA_DIR / "keyprojects.sqlite3")}
    raise ValueError(f"DATABASE_URL: unsupported scheme {parsed.scheme!r} (use postgres:// or sqlite://)")


if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "keyprojects.sqlite3"),
            # WAL lets readers continue while an import writes; IMMEDIATE avoids "database is locked" on upgrade.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise also serves `collectstatic` output from here
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "media"
WHITENOISE_USE_FINDERS = True  # serve straight from the package in development and tests, no collectstatic needed
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads it to send X-CSRFToken
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
if os.environ.get("KEYPROJECTS_FAST_HASHER") == "1":
    # Tests only: creating hundreds of users with PBKDF2 would dominate the suite's run time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [{"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"}]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KEYPROJECTS_LOG_LEVEL", "WARNING")},
}

PAGE_SIZE = 50
