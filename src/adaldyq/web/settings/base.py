"""Settings of the adaldyq web application (one deployment = one data directory)."""

from __future__ import annotations

import os
from pathlib import Path

from adaldyq.web import env

WEB_DIR = Path(__file__).resolve().parents[1]
DATA_DIR = env.data_dir()

SECRET_KEY = env.secret_key(DATA_DIR)
#: Seconds between the rounds of the ledger's signer, a process of its own (`adaldyq ledger sign
#: --every`; 0: none runs). /verify says by when a fresh decision will be covered by a checkpoint.
LEDGER_SIGN_EVERY = float(os.environ.get("ADALDYQ_SIGN_EVERY", "60"))
# The dashboards show the figures of the newest checkpoint computed and compute a newer one in the
# background at most this often (seconds; 0: the newest signed checkpoint's, computed at once).
DASHBOARDS_REFRESH_SECONDS = float(os.environ.get("ADALDYQ_DASHBOARDS_REFRESH", "600"))
DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
ALLOWED_HOSTS = [
    h for h in os.environ.get("ADALDYQ_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "ninja",  # the API docs' Swagger UI from the package's static files, not from a CDN
    # Two-factor sign-in (ADR 0039): TOTP devices (an authenticator) and recovery codes (static tokens).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "adaldyq.web.accounts",
    "adaldyq.web.institutions",
    "adaldyq.web.records",
    "adaldyq.web.decisions",
    "adaldyq.web.visits",
    "adaldyq.web.transfers",
    "adaldyq.web.programme",
    "adaldyq.web.paper",
    "adaldyq.web.release",
    "adaldyq.web.work",
    "adaldyq.web.emonitoring",
    "adaldyq.web.lawadmin",
    "adaldyq.web.portal",
    "adaldyq.web.dashboards",
    "adaldyq.web.overrides",
    "adaldyq.web.idempotency",
    "adaldyq.web.audit",
    "adaldyq.web.throttle",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "adaldyq.web.security.NoStoreMiddleware",
    "adaldyq.web.security.RejectNulMiddleware",
    "adaldyq.web.security.CSPMiddleware",  # django-csp's, the policy built once (ADR 0050)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "adaldyq.web.errors.ErrorPageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "adaldyq.web.accounts.middleware.DeviceMiddleware",  # django-otp's OTPMiddleware, lighter
    "adaldyq.web.accounts.middleware.SecondFactorMiddleware",
    "adaldyq.web.accounts.middleware.SessionRefreshMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "adaldyq.web.urls"
CSRF_FAILURE_VIEW = "adaldyq.web.errors.csrf_failure"
WSGI_APPLICATION = "adaldyq.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # `person_name`, `cited` and the header's tags on every page without a {% load %}
            "builtins": [
                "adaldyq.web.accounts.templatetags.site_tags",
                # {% idempotency_field %} in every form that writes (ADR 0015), without a load tag
                "adaldyq.web.idempotency.templatetags.idempotency",
            ],
        },
    },
    {
        # The fragments a page repeats many times, compiled (ADR 0050): apps' jinja2/ folders.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "APP_DIRS": True,
        "OPTIONS": {"environment": "adaldyq.web.jinja.environment"},
    },
]

DATABASES = {"default": env.database_settings(env.database_url(DATA_DIR))}
# A server process keeps its connection between requests (ADR 0012): opening an SQLite connection for
# every request cost a few per cent of a worker's time. PostgreSQL's settings carry their own value.
DATABASES["default"].setdefault("CONN_MAX_AGE", 600)
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Django's ModelBackend and database sessions; each request's user and session row read with a
# prepared SQL text instead of an ORM query built every time (ADR 0012).
AUTHENTICATION_BACKENDS = ["adaldyq.web.accounts.backends.UserBackend"]
SESSION_ENGINE = "adaldyq.web.accounts.sessions"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (accounts.selectors.login_locked_until; P figures, ADR 0005): within the window,
# 5 failures of one (normalised) username from one address lock that pair, 20 of the username from any
# address lock the username, 50 from one address for any usernames lock the address.
LOGIN_FAILURE_LIMIT = 5
LOGIN_FAILURE_LIMIT_NAME = 20
LOGIN_FAILURE_LIMIT_ADDRESS = 50
LOGIN_LOCK_MINUTES = 15
# Rate limits of the public pages (throttle.limits; P figures, ADR 0028): within the window, 20 wrong
# tries from one address (any numbers) or 10 with one number (from any addresses) pause the pages that
# look something up by a number or code (/visit/, /visit/manage/, /transfer/, /transfer/status/,
# /verify/) for that address or number.
PUBLIC_TRIES_PER_ADDRESS = 20
PUBLIC_TRIES_PER_NUMBER = 10
PUBLIC_TRIES_MINUTES = 15
# Django's cache is the database's (one table, `throttle.CacheEntry`): every worker process of
# `adaldyq web serve` and every server of one database count the same tries.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "adaldyq_cache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}
# Behind a reverse proxy every request comes from the proxy's address: list the proxies' addresses here
# (comma-separated) and the client's address is read from X-Forwarded-For (accounts.views.client_ip).
TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("ADALDYQ_TRUSTED_PROXIES", "").split(",") if p.strip()
]

# Two-factor sign-in (ADR 0039). A code of the step before or after the server's is accepted (the
# device's tolerance, 1), each step at most once; the accepted window never follows a phone's drift
# (OTP_TOTP_SYNC off), and django-otp's own back-off is off: failed codes count toward the lock-out
# above, with the password's failures, which says how long to wait instead of refusing a right code
# in silence.
OTP_TOTP_SYNC = False
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
OTP_TOTP_ISSUER = "adaldyq"
#: Recovery codes made at enrolment, each good once.
TWO_FACTOR_RECOVERY_CODES = 10

SESSION_COOKIE_AGE = 30 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# The 30 minutes run from the last request: accounts.middleware.SessionRefreshMiddleware saves the
# session again once less than half of them remain, not on every request (ADR 0012).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Served over HTTPS (production, behind TLS; ADALDYQ_HTTPS=1): cookies only over HTTPS, HSTS for a year,
# plain HTTP redirected. Off by default so that `scripts/demo` works on http://127.0.0.1.
HTTPS = os.environ.get("ADALDYQ_HTTPS", "0") == "1"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and os.environ.get("ADALDYQ_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# The preload directive too (a year, subdomains): browsers may then refuse plain HTTP before the first
# visit, once the name is submitted to their list; ADALDYQ_HSTS_PRELOAD=0 leaves it out.
SECURE_HSTS_PRELOAD = HTTPS and os.environ.get("ADALDYQ_HSTS_PRELOAD", "1") == "1"
if HTTPS and TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Content Security Policy (django-csp): scripts, styles, images and fonts only from the site itself
# (everything is shipped in the package; no CDN); style attributes are allowed for the SVG charts and the
# PDF documents' layout, scripts never inline. The charts (Vega-Lite, ADR 0029) run without 'unsafe-eval':
# their expressions go through vega-interpreter.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LANGUAGE_CODE = "kk"
LANGUAGES = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]
LOCALE_PATHS = [WEB_DIR / "locale"]
FORMAT_MODULE_PATH = ["adaldyq.web.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Almaty"

STATIC_URL = "static/"
STATICFILES_DIRS = [WEB_DIR / "static"]
STATIC_ROOT = DATA_DIR / "staticfiles"
STATIC_ROOT.mkdir(
    exist_ok=True
)  # whitenoise warns about a missing root; the files come from the finders
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = (
    True  # serve from the package without collectstatic: the demo needs no build step
)

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Bounds on the dates people type (issue 16; docs/decisions/0005 amendment): days before and after
# today. The project's figures (P), not the law's: a sitting is recorded up to a month late or opened
# up to two weeks ahead; a closure starts at most a month back and ends within a year; one longer
# than ADALDYQ_CLOSURE_DAYS_FLAGGED days is flagged to oversight.
DATE_BOUNDS = {
    "sitting": (
        int(os.environ.get("ADALDYQ_SITTING_DAYS_BACK", "31")),
        int(os.environ.get("ADALDYQ_SITTING_DAYS_AHEAD", "14")),
    ),
    "closure": (
        int(os.environ.get("ADALDYQ_CLOSURE_DAYS_BACK", "31")),
        int(os.environ.get("ADALDYQ_CLOSURE_DAYS_AHEAD", "366")),
    ),
}
CLOSURE_DAYS_FLAGGED = int(os.environ.get("ADALDYQ_CLOSURE_DAYS_FLAGGED", "30"))

# Blocking at entry (issue 15, ADR 0033): the project's figures for late facts and withdrawals
# (`records.entry_rules.DEFAULTS`), changed with ADALDYQ_ENTRY_RULES="reason_days=30,head_days=90,...".
ADALDYQ_ENTRY_RULES = {
    key.strip(): int(value)
    for key, _, value in (
        item.partition("=") for item in os.environ.get("ADALDYQ_ENTRY_RULES", "").split(",")
    )
    if key.strip() and value.strip()
}

# API tokens (accounts.tokens, ADR 0041): requests per minute of one token; past it the API answers
# 429 with Retry-After until the minute ends.
API_TOKEN_REQUESTS_PER_MINUTE = int(os.environ.get("ADALDYQ_API_TOKEN_PER_MINUTE", "120"))
