"""Awas settings, read from the environment.

With nothing set, Awas runs on SQLite with its files under ./var/. See README.md for the variables.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ya"}


DATA_DIR = Path(os.environ.get("AWAS_DATA_DIR", Path.cwd() / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = _env_bool("AWAS_DEBUG", False)


def _secret_key() -> str:
    """The key from AWAS_SECRET_KEY, else one generated once and kept in the data folder."""
    if key := os.environ.get("AWAS_SECRET_KEY"):
        return key
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        from django.utils.crypto import get_random_string

        key_file.write_text(get_random_string(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [h for h in os.environ.get("AWAS_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("AWAS_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "awas.core",
    "awas.regions",
    "awas.cases",
    "awas.supervision",
    "awas.asn",
    "awas.outreach",
    "awas.ikp",
    "awas.cyber",
    "awas.ops",
    "awas.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "awas.core.middleware.IndonesianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "awas.core.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "awas.core.middleware.RequestContextMiddleware",
    "awas.core.access.AccessMiddleware",
    # Axes last: it answers locked-out logins itself.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "awas.urls"
WSGI_APPLICATION = "awas.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "awas.core.context_processors.navigation",
            ],
        },
    }
]

DATABASE_URL = os.environ.get("AWAS_DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "awas.sqlite3"),
            "OPTIONS": {
                # WAL lets readers work while one writer commits; IMMEDIATE avoids lock upgrades
                # failing under concurrent writes; a generous timeout rides out bursts.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the scope region with the user (awas/core/backends.py). Sessions
    # made under the plain ModelBackend before it end once: their officers sign in again.
    "awas.core.backends.OfficerBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"
OTP_TOTP_ISSUER = "Awas"
# The admin never shows an authenticator's secret key or its QR code: an administrator could
# otherwise copy another user's second factor without a trace.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# django-axes: lock an account from the address that kept failing. Not the address alone: a whole
# office or kecamatan often shares one NAT address, and one mistyped password would shut every
# supervisor out. Not the account alone: anyone who knows an officer's user name could keep them
# out from anywhere, e.g. on the day a decision falls due. Guessing from many addresses still meets
# the second factor, which every role that sees case or personal data has.
AXES_FAILURE_LIMIT = int(os.environ.get("AWAS_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AWAS_LOGIN_COOLOFF_HOURS", "0.25"))  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The proxy's hop, as elsewhere, and an IPv6 client by its /64 (a phone may take any address in it).
AXES_CLIENT_IP_CALLABLE = "awas.core.services.limits.axes_client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_VERBOSE = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 10
SESSION_COOKIE_SECURE = _env_bool("AWAS_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_FAILURE_VIEW = "awas.core.errors.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("AWAS_TIME_ZONE", "Asia/Jakarta")
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise reads it at start, even when it serves from the finders
# `awas serve` collects the static files into STATIC_ROOT first (names carrying a content hash, a
# gzip copy beside each) and sets this: whitenoise then sends them compressed and cached for good
# (a new version has a new name), so a phone on a weak connection fetches the reporting page's
# script once. Without it (tests, runserver) they come from the apps' folders, uncompressed, with
# a short cache.
STATIC_COLLECTED = _env_bool("AWAS_STATIC_COLLECTED", False)
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "media"},
    },
    # Evidence is content-addressed; swap this backend for an S3-compatible one at scale.
    "evidence": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "evidence", "file_permissions_mode": 0o440},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_COLLECTED
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        ),
    },
}
WHITENOISE_USE_FINDERS = not STATIC_COLLECTED
WHITENOISE_AUTOREFRESH = DEBUG

# The address the public reaches the reporting pages at (printed on receipts), when it is not the
# address staff use, e.g. "https://lapor.bawaslu-malang.example". Empty: the request's own.
AWAS_PUBLIC_URL = os.environ.get("AWAS_PUBLIC_URL", "")
# Behind a reverse proxy every request comes from the proxy's address; the client's is the hop the
# proxy appended to X-Forwarded-For. Off unless a proxy is really in front (the header is forgeable).
AWAS_TRUST_PROXY = _env_bool("AWAS_TRUST_PROXY", False)
AWAS_EVIDENCE_MAX_BYTES = int(os.environ.get("AWAS_EVIDENCE_MAX_MB", "25")) * 1024 * 1024
# The office's letterhead: the address line under its name, the town on the date line, and the
# name of the Ketua who signs. Empty: each kind of letter falls back as its module says.
AWAS_OFFICE_ADDRESS = os.environ.get("AWAS_OFFICE_ADDRESS", "")
AWAS_OFFICE_CITY = os.environ.get("AWAS_OFFICE_CITY", "")
AWAS_OFFICE_HEAD_NAME = os.environ.get("AWAS_OFFICE_HEAD_NAME", "")
# Where the public reaches the office (the receipt and the tracking page: a pelapor asked to
# complete a laporan comes to the office); empty: not shown.
AWAS_OFFICE_PHONE = os.environ.get("AWAS_OFFICE_PHONE", "")
# The elections the office is handling, whose law a laporan or informasi awal filed on the public
# pages falls under: "pilkada" (UU 10/2016, calendar days), "pemilu" (UU 7/2017, hari kerja), or
# both ("pemilu,pilkada") while their stages overlap (2024, 2029): then the pelapor says on the
# public form which one the report is about, and the staff forms (desk laporan, temuan, Form A,
# cyber escalation) start from no election, so the officer must choose: a preselected one would be
# kept by an oversight, and the wrong clock (calendar days or hari kerja) misses the law's limits.
# One election: staff forms start from it and choose per case; "Perbaiki data" corrects one filed
# under the other law. A cadre's field form asks, as the public's do.
AWAS_ELECTION_TYPE = ",".join(
    dict.fromkeys(part.strip() for part in os.environ.get("AWAS_ELECTION_TYPE", "pilkada").lower().split(","))
)
if not AWAS_ELECTION_TYPE or any(
    part not in ("pilkada", "pemilu")  # core.models.ElectionType's values
    for part in AWAS_ELECTION_TYPE.split(",")
):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "AWAS_ELECTION_TYPE must be 'pilkada', 'pemilu' or both ('pemilu,pilkada'), "
        f"not {os.environ.get('AWAS_ELECTION_TYPE')!r}"
    )
# Cyber feeds are fetched from public addresses only, unless the office allows its own network.
AWAS_FEEDS_ALLOW_PRIVATE = _env_bool("AWAS_FEEDS_ALLOW_PRIVATE", False)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = os.environ.get("AWAS_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("AWAS_FROM_EMAIL", "awas@localhost")
# Seconds: a mail server that does not answer must not hold a filing or a step for ever (the
# message stays queued for 'awas mail send'; the tracking page still tells the pelapor).
EMAIL_TIMEOUT = int(os.environ.get("AWAS_EMAIL_TIMEOUT", "10"))
# The office's mail server, for the SMTP backend.
EMAIL_HOST = os.environ.get("AWAS_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("AWAS_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("AWAS_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("AWAS_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("AWAS_EMAIL_TLS", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("AWAS_LOG_LEVEL", "WARNING")},
}
