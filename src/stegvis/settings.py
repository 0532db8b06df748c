"""One environment-driven settings module.

Every value comes from the environment; a secret may also come from ``NAME_FILE``. In
development (``STEGVIS_ENV=dev``, the default) missing secrets are generated once into
``./var/dev-secrets.json`` so that the demo runs with no configuration. In production
(``STEGVIS_ENV=production``) a missing secret stops start-up.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import dj_database_url
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from stegvis.eid import config as eid_config
from stegvis.ops.environment import ConfigurationError, Environment

BASE_DIR = Path(__file__).resolve().parent

# Every environment variable Stegvis reads, one per line. A STEGVIS_* variable that is set but
# not listed here stops the start (a misspelt setting must not be ignored silently); reading a
# name that is not listed is a programming error. To add a setting: add its name here and read
# it below with env(), env_bool(), env_int() or env_list() (see docs/operations.md).
ENVIRONMENT_VARIABLES = frozenset({
    "DATABASE_URL",
    "SECRET_KEY",
    "STEGVIS_ACCESSIBILITY_CONTACT",
    "STEGVIS_ALLOWED_HOSTS",
    "STEGVIS_BIND",
    "STEGVIS_BLIND_INDEX_KEY",
    "STEGVIS_CHROMIUM",  # tests: the chromium the browser tests drive
    "STEGVIS_CSRF_TRUSTED_ORIGINS",
    "STEGVIS_DEBUG",
    "STEGVIS_DEMO",
    "STEGVIS_ENV",
    "STEGVIS_FOLLOWUP_REMINDER_DAYS",
    "STEGVIS_GRACEFUL_TIMEOUT",
    "STEGVIS_IDENTITY_KEYS",
    "STEGVIS_KEEPALIVE",
    "STEGVIS_LOCKOUT_ADDRESS_FAILURES",
    "STEGVIS_LOCKOUT_FAILURES",
    "STEGVIS_LOG_FORMAT",
    "STEGVIS_LOG_LEVEL",
    "STEGVIS_MAX_REQUESTS",
    "STEGVIS_MFA_REQUIRED_ROLES",
    "STEGVIS_PUBLIC_URL",
    "STEGVIS_RETENTION_AUDIT_YEARS",
    "STEGVIS_RETENTION_PARTICIPATION_YEARS",
    "STEGVIS_SESSION_IDLE_SECONDS",
    "STEGVIS_SMS_BACKEND",
    "STEGVIS_SMS_FILE_DIR",
    "STEGVIS_SMTP_FROM",
    "STEGVIS_SMTP_HOST",
    "STEGVIS_SMTP_PASSWORD",
    "STEGVIS_SMTP_PORT",
    "STEGVIS_SMTP_SECURITY",
    "STEGVIS_SMTP_TIMEOUT",
    "STEGVIS_SMTP_USER",
    "STEGVIS_SSL_REDIRECT",
    "STEGVIS_SUPPRESSION_THRESHOLD",
    "STEGVIS_THREADS",
    "STEGVIS_TIMEOUT",
    "STEGVIS_TRUSTED_PROXY_COUNT",
    "STEGVIS_VAR_DIR",
    "STEGVIS_WORKERS",
    *eid_config.ENV_VARIABLES,  # e-legitimation: STEGVIS_OIDC_*, STEGVIS_SAML_*
})
_environment = Environment(os.environ, ENVIRONMENT_VARIABLES)
T = TypeVar("T")


def _strict(read: Callable[[], T]) -> T:
    try:
        return read()
    except ConfigurationError as exc:
        raise ImproperlyConfigured(str(exc)) from None


def env(name: str, default: str | None = None) -> str | None:
    """Read ``name`` from the environment, or the file named by ``name_FILE``."""
    return _strict(lambda: _environment.string(name, default))


def env_bool(name: str, default: bool) -> bool:
    """``1/0``, ``true/false``, ``yes/no``, ``on/off``; anything else stops the start."""
    return _strict(lambda: _environment.boolean(name, default))


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    return _strict(lambda: _environment.integer(name, default, minimum=minimum))


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated list."""
    return _strict(lambda: _environment.strings(name, default))


_strict(_environment.check_unknown)

VAR_DIR = Path(env("STEGVIS_VAR_DIR") or Path.cwd() / "var").resolve()

STEGVIS_ENV = _strict(
    lambda: _environment.choice("STEGVIS_ENV", "dev", ["dev", "test", "production"])
)
PRODUCTION = STEGVIS_ENV == "production"


def _dev_secrets() -> dict[str, str]:
    """Secrets for development and tests, generated once and kept under ./var/."""
    path = VAR_DIR / "dev-secrets.json"
    if path.exists():
        return json.loads(path.read_text())
    generated = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "STEGVIS_IDENTITY_KEYS": Fernet.generate_key().decode(),
        "STEGVIS_BLIND_INDEX_KEY": secrets.token_urlsafe(32),
    }
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(generated, indent=2))
    path.chmod(0o600)
    return generated


def secret(name: str) -> str:
    value = env(name)
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} (or {name}_FILE) must be set in production")
    return _dev_secrets()[name]


SECRET_KEY = secret("SECRET_KEY")
# Identity encryption keys: a comma-separated Fernet key ring, newest first (MultiFernet).
STEGVIS_IDENTITY_KEYS = [k.strip() for k in secret("STEGVIS_IDENTITY_KEYS").split(",") if k.strip()]
for _number, _key in enumerate(STEGVIS_IDENTITY_KEYS, start=1):
    try:
        Fernet(_key)
    except ValueError:
        raise ImproperlyConfigured(
            f"STEGVIS_IDENTITY_KEYS: key {_number} is not a Fernet key (32 url-safe base64 bytes)"
        ) from None
# Key of the HMAC-SHA256 blind index used to find a person by personnummer.
STEGVIS_BLIND_INDEX_KEY = secret("STEGVIS_BLIND_INDEX_KEY")

DEBUG = env_bool("STEGVIS_DEBUG", False)
ALLOWED_HOSTS = env_list("STEGVIS_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("STEGVIS_CSRF_TRUSTED_ORIGINS")
if PRODUCTION:
    # Debug pages show request data and local variables; the development host list would
    # make the site answer to no real name.
    if DEBUG:
        raise ImproperlyConfigured("STEGVIS_DEBUG must be off in production")
    if not env("STEGVIS_ALLOWED_HOSTS"):
        raise ImproperlyConfigured("STEGVIS_ALLOWED_HOSTS must be set in production")
    if not env("DATABASE_URL"):
        raise ImproperlyConfigured("DATABASE_URL (or DATABASE_URL_FILE) must be set in production")

# Marks a demo deployment in the UI and allows the demo command to create known sign-ins.
STEGVIS_DEMO = env_bool("STEGVIS_DEMO", not PRODUCTION)
# Cells with 1 <= n < threshold are suppressed in every aggregate shown outside own staff.
STEGVIS_SUPPRESSION_THRESHOLD = env_int("STEGVIS_SUPPRESSION_THRESHOLD", 5)
if STEGVIS_SUPPRESSION_THRESHOLD < 3:  # also a system check: stegvis.indicators.checks
    raise ImproperlyConfigured(
        "STEGVIS_SUPPRESSION_THRESHOLD måste vara minst 3 (är "
        f"{STEGVIS_SUPPRESSION_THRESHOLD}): en lägre gräns skyddar inte enskilda personer."
    )
# Where users report accessibility problems (tillgänglighetsredogörelse).
STEGVIS_ACCESSIBILITY_CONTACT = env(
    "STEGVIS_ACCESSIBILITY_CONTACT", "tillganglighet@stegvis.example"
)
# Follow-up by one-time link (stegvis.followup): where links point, e-mail over SMTP, reminders.
STEGVIS_PUBLIC_URL = (env("STEGVIS_PUBLIC_URL", "http://127.0.0.1:8000") or "").rstrip("/")
STEGVIS_FOLLOWUP_REMINDER_DAYS = int(env("STEGVIS_FOLLOWUP_REMINDER_DAYS", "7") or 7)
# SMS: dotted path of a sender class (none shipped but the file writer); empty turns SMS off.
STEGVIS_SMS_BACKEND = env("STEGVIS_SMS_BACKEND", "") or ""
STEGVIS_SMS_FILE_DIR = env("STEGVIS_SMS_FILE_DIR", str(VAR_DIR / "sms"))
EMAIL_HOST = env("STEGVIS_SMTP_HOST", "") or ""
EMAIL_PORT = int(env("STEGVIS_SMTP_PORT", "587") or 587)
EMAIL_HOST_USER = env("STEGVIS_SMTP_USER", "") or ""
EMAIL_HOST_PASSWORD = env("STEGVIS_SMTP_PASSWORD", "") or ""
_SMTP_SECURITY = env("STEGVIS_SMTP_SECURITY", "starttls") or "starttls"
if _SMTP_SECURITY not in {"starttls", "tls", "none"}:
    raise ImproperlyConfigured("STEGVIS_SMTP_SECURITY must be starttls, tls or none")
EMAIL_USE_TLS = _SMTP_SECURITY == "starttls"
EMAIL_USE_SSL = _SMTP_SECURITY == "tls"
EMAIL_TIMEOUT = int(env("STEGVIS_SMTP_TIMEOUT", "10") or 10)
DEFAULT_FROM_EMAIL = env("STEGVIS_SMTP_FROM", "Stegvis <noreply@stegvis.example>")
# Without an SMTP host nothing leaves the machine: in development mail is written to ./var/mail.
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST
    else "django.core.mail.backends.dummy.EmailBackend" if PRODUCTION
    else "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = str(VAR_DIR / "mail")

# Roles whose users must have two-factor authentication before they may do anything. These
# three are always required (stegvis.access.roles.TWO_FACTOR_ROLES); more may be added.
STEGVIS_MFA_REQUIRED_ROLES = [
    r.strip()
    for r in (
        env("STEGVIS_MFA_REQUIRED_ROLES",
            "systemadministrator,forbundsadministrator,deltagaransvarig") or ""
    ).split(",")
    if r.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "axes",
    "django_htmx",
    "csp",
    "stegvis.reference",
    "stegvis.codelists",
    "stegvis.associations",
    "stegvis.access",
    "stegvis.interventions",
    "stegvis.participants",
    "stegvis.followup",
    "stegvis.finance",
    "stegvis.indicators",
    "stegvis.audit",
    "stegvis.audit_review",
    "stegvis.web",
    "stegvis.demo",
    "stegvis.privacy",
    "stegvis.eid",
    "stegvis.ops",
    "stegvis.registry",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "stegvis.audit.middleware.RequestIdMiddleware",
    "stegvis.ops.middleware.RequestLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every view needs a signed-in user unless marked @login_not_required (see urls.py).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "stegvis.access.first_sign_in.RequirePasswordChangeMiddleware",
    "stegvis.access.middleware.RequireTwoFactorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "stegvis.urls"
WSGI_APPLICATION = "stegvis.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "stegvis.web.context_processors.stegvis",
            ],
        },
    },
]

# Every form renders its fields with FKUI markup (the one form layer, stegvis.web.forms).
FORM_RENDERER = "stegvis.web.forms.FormRenderer"

DATABASE_URL = env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'stegvis.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "rules.permissions.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: username sign-in, no self-service sign-up (accounts are created by admins).
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_ADAPTER = "stegvis.eid.adapters.AccountAdapter"  # extends stegvis.access.adapters
ACCOUNT_FORMS = {"login": "stegvis.access.forms.SignInForm"}
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_RATE_LIMITS = False  # lockout is django-axes' job; allauth's cache limits would double it
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Stegvis"
MFA_ADAPTER = "stegvis.access.adapters.MFAAdapter"

# Sign-in with e-legitimation (OIDC and SAML 2.0 IdPs from STEGVIS_OIDC_* / STEGVIS_SAML_*) and
# whether local passwords may be used at all; see stegvis.eid.config and docs/operations.md.
STEGVIS_LOCAL_PASSWORDS = env_bool("STEGVIS_LOCAL_PASSWORDS", True)
try:
    STEGVIS_EID = eid_config.from_env(env)
except eid_config.EidConfigError as e:
    raise ImproperlyConfigured(str(e)) from None
SOCIALACCOUNT_PROVIDERS = eid_config.socialaccount_providers(STEGVIS_EID)
SOCIALACCOUNT_ADAPTER = "stegvis.eid.adapters.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False

# django-axes: lock the account after repeated failures (any spelling of its user name counts),
# and a client address after many failures over any accounts (stegvis.access.lockout).
AXES_FAILURE_LIMIT = int(env("STEGVIS_LOCKOUT_FAILURES", "5") or 5)
STEGVIS_LOCKOUT_ADDRESS_FAILURES = int(env("STEGVIS_LOCKOUT_ADDRESS_FAILURES", "50") or 50)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_HANDLER = "stegvis.access.lockout.LockoutHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "access/locked_out.html"
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "stegvis.access.lockout.attempted_username"
AXES_CLIENT_IP_CALLABLE = "stegvis.access.lockout.client_address"
# Reverse proxies in front of Stegvis that append the client to X-Forwarded-For (0: none, the
# client address is REMOTE_ADDR). Never more than there are: the header is otherwise forgeable.
STEGVIS_TRUSTED_PROXY_COUNT = int(env("STEGVIS_TRUSTED_PROXY_COUNT", "0") or 0)
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "login", "password", "code"]
AXES_VERBOSE = False
# The per-account limit is axes' lockout parameter; the per-address limit is counted by the
# handler (staff of one organisation share an address, so that limit is higher), and a
# successful sign-in must not reset the address's count (see stegvis.access.lockout).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Sessions expire after inactivity; the page warns before it happens.
SESSION_COOKIE_AGE = env_int("STEGVIS_SESSION_IDLE_SECONDS", 1800, minimum=60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = env_bool("STEGVIS_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = 31536000 if PRODUCTION else 0
if PRODUCTION:
    # HSTS covers this host only: other services may share the parent domain (a kommun's or
    # region's), and preloading is the domain owner's decision. `check --deploy` is otherwise
    # clean.
    SILENCED_SYSTEM_CHECKS += ["security.W005", "security.W021"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
# A load balancer asks for the health checks over plain HTTP, straight from the server.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
# The sign-in buttons' POST is redirected to the e-legitimation IdPs (form-action covers it).
CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] += eid_config.form_action_origins(STEGVIS_EID)

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Production serves `stegvis collectstatic`'s output: content-hashed names (cached for a
# year by browsers and proxies) and pre-compressed copies. Development and tests serve the
# apps' own files as they are, so no collectstatic is needed there.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

# Logs go to standard error: one JSON object per line in production (STEGVIS_LOG_FORMAT=json),
# readable lines in development. Every line passes through personnummer redaction and carries
# the request id; stegvis.request writes one line per request (see docs/operations.md).
LOG_FORMAT = _strict(
    lambda: _environment.choice(
        "STEGVIS_LOG_FORMAT", "json" if PRODUCTION else "plain", ["json", "plain"]
    )
)
LOG_LEVEL = _strict(
    lambda: _environment.choice(
        "STEGVIS_LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
    )
)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "stegvis.ops.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "stegvis.ops.logs.JsonFormatter"},
        "plain": {
            "()": "stegvis.ops.logs.PlainFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's default handlers (unredacted, on "django" and "django.server") are dropped:
        # every line goes through the console handler above.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # stegvis.request logs every request; Django's own "Not Found: /path" lines for 4xx
        # would repeat it. 5xx are still logged by django.request, with the traceback.
        "django.request": {"level": "ERROR"},
        # The development server's request lines: errors only.
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # PDF rendering reports every layout step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Gallring (ADR 0007): identified participations are erased this many whole years after they
# ended, audit events this many years after they were recorded. The defaults are the decision
# documented in ADR 0007; a controller with another decision sets the variables.


def _retention_years(name: str, default: int, minimum: int) -> int:
    raw = env(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number of years, not {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}")
    return value


STEGVIS_RETENTION_PARTICIPATION_YEARS = _retention_years(
    "STEGVIS_RETENTION_PARTICIPATION_YEARS", 5, 2
)
# Audit events are kept at least five years (domain.md §6).
STEGVIS_RETENTION_AUDIT_YEARS = _retention_years("STEGVIS_RETENTION_AUDIT_YEARS", 7, 5)
if STEGVIS_RETENTION_AUDIT_YEARS < STEGVIS_RETENTION_PARTICIPATION_YEARS:
    raise ImproperlyConfigured(
        "STEGVIS_RETENTION_AUDIT_YEARS must not be shorter than "
        "STEGVIS_RETENTION_PARTICIPATION_YEARS (who read a person's data must stay known "
        "as long as the data is kept)"
    )

# `stegvis serve`: gunicorn with these settings (docs/operations.md, "The application server").
STEGVIS_SERVER = {
    "bind": env("STEGVIS_BIND", "127.0.0.1:8000"),
    "workers": env_int("STEGVIS_WORKERS", min(2 * (os.cpu_count() or 1) + 1, 8), minimum=1),
    "threads": env_int("STEGVIS_THREADS", 2, minimum=1),
    "timeout": env_int("STEGVIS_TIMEOUT", 60, minimum=1),
    "graceful_timeout": env_int("STEGVIS_GRACEFUL_TIMEOUT", 30, minimum=1),
    "keepalive": env_int("STEGVIS_KEEPALIVE", 5, minimum=0),
    "max_requests": env_int("STEGVIS_MAX_REQUESTS", 1000, minimum=0),
}
