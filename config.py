"""Configuration from environment variables, with safe defaults for development.

Every setting can be overridden by an environment variable of the same name. Production
(``TILASILTA_ENV=production``) refuses to start with the development secret key.
"""

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("TILASILTA_INSTANCE", BASE_DIR / "instance"))

#: The key used when none is given; only ever acceptable in development and tests.
DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105


def _bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name, default):
    return int(os.environ.get(name, default))


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'tilasilta.sqlite'}")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SERVER_NAME = os.environ.get("SERVER_NAME")
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "http")
    #: The domain part of calendar UIDs and the like; stable forever once set.
    SITE_DOMAIN = os.environ.get("SITE_DOMAIN", "tilasilta.localhost")

    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(INSTANCE_DIR / "uploads"))
    MAX_CONTENT_LENGTH = _int("MAX_CONTENT_LENGTH", 12 * 1024 * 1024)
    MAX_PHOTO_BYTES = _int("MAX_PHOTO_BYTES", 8 * 1024 * 1024)
    MAX_PHOTO_PIXELS = _int("MAX_PHOTO_PIXELS", 40_000_000)
    MAX_DOCUMENT_BYTES = _int("MAX_DOCUMENT_BYTES", 10 * 1024 * 1024)

    BABEL_DEFAULT_LOCALE = "fi"
    BABEL_DEFAULT_TIMEZONE = "Europe/Helsinki"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "leasing" / "translations")
    LANGUAGES = ("fi", "sv", "en")
    #: The language of messages outside a request (CLI commands, jobs).
    CLI_LANGUAGE = os.environ.get("TILASILTA_CLI_LANGUAGE", "fi")

    SESSION_COOKIE_NAME = "session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = timedelta(hours=_int("SESSION_HOURS", 12))
    #: Server-side sessions expire after this much idle time even if the cookie lives on.
    SESSION_IDLE_TIMEOUT = timedelta(hours=_int("SESSION_IDLE_HOURS", 8))
    REMEMBER_COOKIE_DURATION = timedelta(days=0)
    WTF_CSRF_TIME_LIMIT = 8 * 3600

    PASSWORD_RESET_MAX_AGE = timedelta(minutes=_int("PASSWORD_RESET_MINUTES", 60))
    INVITATION_MAX_AGE = timedelta(days=_int("INVITATION_DAYS", 14))

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    RATELIMIT_HEADERS_ENABLED = True
    #: Failed log-ins allowed per client address and per account.
    LOGIN_LIMIT_PER_ADDRESS = os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "20 per 15 minutes")
    LOGIN_LIMIT_PER_ACCOUNT = os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per 15 minutes")
    #: Calendar feeds: clients poll hourly; these bound a misbehaving one (429 beyond).
    CALENDAR_FEED_LIMIT_PER_ADDRESS = os.environ.get("CALENDAR_FEED_LIMIT_PER_ADDRESS", "600 per hour")
    CALENDAR_FEED_LIMIT_PER_TOKEN = os.environ.get("CALENDAR_FEED_LIMIT_PER_TOKEN", "60 per hour")
    #: JSON API requests per token (or per address without one).
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "600 per minute")
    API_RATE_LIMIT_PER_ADDRESS = os.environ.get("API_RATE_LIMIT_PER_ADDRESS", "1200 per minute")
    #: How many reverse proxies sit in front of the app (for the client address); 0 = none.
    PROXY_COUNT = _int("PROXY_COUNT", 0)

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Tilasilta <noreply@tilasilta.localhost>")
    #: Where e-mail goes when no MAIL_SERVER is set: "log" prints it (development).
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp" if os.environ.get("MAIL_SERVER") else "log")

    ACCESSIBILITY_FEEDBACK_EMAIL = os.environ.get("ACCESSIBILITY_FEEDBACK_EMAIL", "saavutettavuus@tilasilta.localhost")
    PAGE_SIZE = 20
    #: The facilities centre's bank account printed on leases (a valid placeholder in development).
    CITY_IBAN = os.environ.get("CITY_IBAN", "FI49 5000 9420 0287 30")
    STRICT_TEMPLATES = True


class DevelopmentConfig(Config):
    """Local development: debug tools, log-only mail."""

    ENV_NAME = "development"


class TestingConfig(Config):
    """The test suite."""

    ENV_NAME = "testing"
    TESTING = True
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = True
    SERVER_NAME = None
    MAIL_BACKEND = "smtp"
    #: Service and CLI tests read in English, like the code; language tests choose their own.
    CLI_LANGUAGE = "en"
    RATELIMIT_STORAGE_URI = "memory://"
    #: Cheap hashing keeps the suite fast; production uses argon2-cffi's defaults.
    PASSWORD_HASH_TIME_COST = 1
    PASSWORD_HASH_MEMORY_COST = 8192
    PASSWORD_HASH_PARALLELISM = 1


class ProductionConfig(Config):
    """Production: secure cookies, real secrets required."""

    ENV_NAME = "production"
    SESSION_COOKIE_NAME = "__Host-session"
    SESSION_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    STRICT_TEMPLATES = False


CONFIGS = {"development": DevelopmentConfig, "testing": TestingConfig, "production": ProductionConfig}


def load(name=None):
    """The configuration class for ``name`` (default: ``TILASILTA_ENV`` or development)."""
    return CONFIGS[name or os.environ.get("TILASILTA_ENV", "development")]
