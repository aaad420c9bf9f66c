"""Settings of the Focus portal, read from the environment.

Every variable is documented in `.env.example`. With no environment at all the portal runs
in development mode on a SQLite file next to `manage.py`. With `DEBUG` off it refuses to
start without a real `SECRET_KEY` and an explicit `ALLOWED_HOSTS`.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
NODE_MODULES = BASE_DIR / "node_modules"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    try:
        return int(value) if value else default
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is off. "
        'Generate one with: python -c "import secrets; print(secrets.token_urlsafe(64))"'
    )
SECRET_KEY = SECRET_KEY or "django-insecure-development-only-never-use-this-key-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the portal's host names when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Version of the privacy notice candidates are given when they consent (recorded with it).
PRIVACY_NOTICE_VERSION = os.environ.get("PRIVACY_NOTICE_VERSION", "2026-01")
# Who the privacy notice and the rights page name (accounts.privacy): the controller (name and
# address) with its e-mail, and the data protection officer candidates write to.
# An empty variable means its default.
PRIVACY_CONTROLLER = (
    os.environ.get("PRIVACY_CONTROLLER") or "Confindustria Bergamo, via Camozzi 70, 24121 Bergamo"
)
PRIVACY_CONTROLLER_EMAIL = (
    os.environ.get("PRIVACY_CONTROLLER_EMAIL") or "privacy@confindustriabergamo.it"
)
PRIVACY_DPO_NAME = os.environ.get("PRIVACY_DPO_NAME") or _("DPO of Confindustria Bergamo")
PRIVACY_DPO_EMAIL = os.environ.get("PRIVACY_DPO_EMAIL") or "dpo@confindustriabergamo.it"
# The programme office, as every page's footer and the accessibility statement name it: whom
# users and candidates write to or call (accounts.accessibility). An empty variable means its
# default; the phone is shown only when it is set.
PROGRAMME_OFFICE = os.environ.get("PROGRAMME_OFFICE") or _(
    "#Focus programme office, Confindustria Bergamo"
)
PROGRAMME_OFFICE_ADDRESS = (
    os.environ.get("PROGRAMME_OFFICE_ADDRESS") or "via Camozzi 70, 24121 Bergamo"
)
PROGRAMME_OFFICE_EMAIL = os.environ.get("PROGRAMME_OFFICE_EMAIL") or "focus@confindustriabergamo.it"
PROGRAMME_OFFICE_PHONE = os.environ.get("PROGRAMME_OFFICE_PHONE", "")
# Months a candidate's personal data are kept after their part in the programme ends.
RETENTION_MONTHS = env_int("RETENTION_MONTHS", 24)
if RETENTION_MONTHS < 1:
    raise ImproperlyConfigured("RETENTION_MONTHS must be at least 1.")
# Access that ends by itself: company HR no longer read a candidate's released contacts
# HR_CONTACTS_DAYS after the outcome of the interview (hired or not) was recorded; a recruiter
# no longer reaches a candidate RECRUITER_ACCESS_DAYS after their last interview with them.
HR_CONTACTS_DAYS = env_int("HR_CONTACTS_DAYS", 90)
RECRUITER_ACCESS_DAYS = env_int("RECRUITER_ACCESS_DAYS", 180)
if HR_CONTACTS_DAYS < 1 or RECRUITER_ACCESS_DAYS < 1:
    raise ImproperlyConfigured("HR_CONTACTS_DAYS and RECRUITER_ACCESS_DAYS must be at least 1.")
# The audit trail (audit app) keeps its events AUDIT_RETENTION_MONTHS; `manage.py audit_purge`
# deletes older ones. Never less than six months: the database refuses to delete younger ones.
AUDIT_RETENTION_MONTHS = env_int("AUDIT_RETENTION_MONTHS", 24)
if AUDIT_RETENTION_MONTHS < 6:
    raise ImproperlyConfigured("AUDIT_RETENTION_MONTHS must be at least 6.")
# The portal's address, for the links in e-mails written away from a request (background
# work): by default the first of ALLOWED_HOSTS over HTTPS, the development server with DEBUG.
PORTAL_URL = os.environ.get(
    "PORTAL_URL",
    "http://localhost:8000" if DEBUG else f"https://{ALLOWED_HOSTS[0]}",
).rstrip("/")

# Provinces whose comuni the portal offers in pick lists (workplaces, residences).
PORTAL_PROVINCES = env_list("PORTAL_PROVINCES", "BG")
# Largest Excel workbook, in bytes, that staff may upload for an import (5 MB).
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 5 * 1024 * 1024)
# A workbook of more rows than this is imported by the task worker, its page following its
# progress (the imports app); a smaller one within the request.
IMPORT_BACKGROUND_ROWS = env_int("IMPORT_BACKGROUND_ROWS", 500)
# Largest document (CV, certificate, residence permit...) that may be uploaded for a candidate
# (10 MB), and where the documents are kept: a folder of their own, beside the database, that
# no web server serves and no URL of the portal names (documents.storage). Back it up with the
# database.
DOCUMENT_MAX_BYTES = env_int("DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT") or BASE_DIR / "private_media")
# Hours a programme workbook written for the download page is kept there (in
# PRIVATE_MEDIA_ROOT/exports) for the person who asked; the daily reminders' run deletes it after.
EXPORT_FILE_HOURS = env_int("EXPORT_FILE_HOURS", 24)
# How many times an hour one user may import candidates, and submit the intake form (whose
# duplicate check answers whether a person is known): accounts.ratelimit.
RATE_LIMITS = {
    "candidate_import": env_int("IMPORTS_PER_HOUR", 20),
    "intake_check": env_int("INTAKE_CHECKS_PER_HOUR", 60),
}

# Uploads. A request body larger than the largest file the portal takes (a workbook or a
# document) and the form around it (UPLOAD_MAX_BYTES) is answered 413 before anything reads it
# (catalog.uploads): Django's DATA_UPLOAD_MAX_MEMORY_SIZE leaves files out. A file the portal
# accepts stays in memory, never in a temporary file: it may hold candidates' personal data.
# IMPORT_MAX_CELL_CHARS bounds the text of a workbook's cells in all, which openpyxl keeps in
# memory while it reads (20 million characters).
UPLOAD_MAX_BYTES = max(IMPORT_MAX_BYTES, DOCUMENT_MAX_BYTES) + 64 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES
FILE_UPLOAD_HANDLERS = [
    "catalog.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
IMPORT_MAX_CELL_CHARS = env_int("IMPORT_MAX_CELL_CHARS", 20_000_000)

INSTALLED_APPS = [
    # Django's admin on the portal's own site: only the administrator role enters it.
    "focus.apps.FocusAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # The portal's apps, in dependency order: each may import only those above it.
    "accounts",
    "audit",
    "catalog",
    "companies",
    "candidates",
    "notifications",
    "imports",
    "interviews",
    "matching",
    "appointments",
    "training",
    "documents",
    "reports",
    "search",
    "demo",
]

MIDDLEWARE = [
    # First: a body past UPLOAD_MAX_BYTES is refused before anything reads it.
    "catalog.uploads.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The second factor: who passed it (django-otp), and nothing else before they have.
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    # Who is acting, for the audit trail's events.
    "audit.context.AuditContextMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "accounts.middleware.SessionExpiryMiddleware",
    # Pages and downloads are never cached (static files are answered before, by WhiteNoise).
    "accounts.middleware.NoStoreMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "focus.urls"
WSGI_APPLICATION = "focus.wsgi.application"

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
                "django.template.context_processors.i18n",
                "accounts.context_processors.navigation",
                "accounts.context_processors.session",
                "notifications.context_processors.unread",
            ],
            "libraries": {"filter_fields": "focus.filter_fields"},
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One writer at a time without "database is locked" surprises under runserver's threads.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (the ranking's, `include=`) are PostgreSQL's; SQLite, the zero-set-up
# default, builds the same indexes without the included columns, which is what it warns of.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Accounts and passwords
AUTH_USER_MODEL = "accounts.User"
# django-axes comes first: it refuses a locked-out username and address before any password
# is checked, on the portal's login form and on the admin's alike.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UserWithOrganisationBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "reports:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
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
# Reset and invitation links: valid PASSWORD_LINK_HOURS (at most a day), and at most
# PASSWORD_LINKS_PER_ADDRESS an hour for one address, PASSWORD_LINKS_PER_NETWORK from one
# client address (a charity centre's office shares one).
PASSWORD_LINK_HOURS = env_int("PASSWORD_LINK_HOURS", 24)
if not 1 <= PASSWORD_LINK_HOURS <= 24:
    raise ImproperlyConfigured("PASSWORD_LINK_HOURS must be between 1 and 24.")
PASSWORD_RESET_TIMEOUT = 60 * 60 * PASSWORD_LINK_HOURS
PASSWORD_LINKS_PER_ADDRESS = env_int("PASSWORD_LINKS_PER_ADDRESS", 3)
PASSWORD_LINKS_PER_NETWORK = env_int("PASSWORD_LINKS_PER_NETWORK", 20)

# Sessions end after SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after the
# login, whichever comes first (accounts.middleware.SessionExpiryMiddleware); pages with a
# form warn before the idle timeout and keep a draft of what was typed.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12)
if SESSION_IDLE_MINUTES < 1 or SESSION_MAX_HOURS < 1:
    raise ImproperlyConfigured("SESSION_IDLE_MINUTES and SESSION_MAX_HOURS must be at least 1.")
SESSION_COOKIE_AGE = 60 * 60 * SESSION_MAX_HOURS
SESSION_COOKIE_HTTPONLY = True

# Failed logins (django-axes): AXES_FAILURE_LIMIT wrong passwords for one username from one
# client address lock that pair for AXES_COOLOFF_MINUTES. The pair, not the address alone, so
# that the people behind one office's address are not all locked out by one of them. Locks are
# logged, listed for the administrator (Utenti > Accessi bloccati), who can lift them.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "accounts.network.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = True
# The failures and locks are kept in the database, which every instance of the portal reads.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
if not 1 <= AXES_FAILURE_LIMIT <= 10:
    raise ImproperlyConfigured("AXES_FAILURE_LIMIT must be between 1 and 10.")

# Second factor (django-otp): after the password, the roles in MFA_REQUIRED_ROLES (comma-
# separated; empty for none) must give a code from an authenticator app, or a backup code, on
# the portal and on the admin site alike (accounts.middleware.SecondFactorMiddleware). The
# other roles may set it up on their account page, and are then asked for it too.
MFA_ROLES = {"admin", "staff", "recruiter", "caseworker", "company_hr"}
MFA_REQUIRED_ROLES = env_list("MFA_REQUIRED_ROLES", "admin,staff,recruiter")
if not set(MFA_REQUIRED_ROLES) <= MFA_ROLES:
    raise ImproperlyConfigured(
        f"MFA_REQUIRED_ROLES may list only {', '.join(sorted(MFA_ROLES))}, "
        f"not {', '.join(sorted(set(MFA_REQUIRED_ROLES) - MFA_ROLES))}."
    )
# The name authenticator apps show beside the code.
OTP_TOTP_ISSUER = "Focus"
# The admin site never shows the secrets of the devices (keys, QR codes, backup codes).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Language and time: Italian first, English on request.
LANGUAGE_CODE = "it"
LANGUAGES = [("it", _("Italian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True
# Dates as Italian writes them (the day without a leading zero): focus/formats/it.
FORMAT_MODULE_PATH = ["focus.formats"]

# Static files: our own under static/, front-end packages from node_modules (npm ci).
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/tom-select", NODE_MODULES / "tom-select" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
]
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

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: printed on the console in development, SMTP otherwise.
# Background work (an analysis of every open need, later e-mails and large exports) is queued
# in the database and run by `manage.py db_worker`, which `make run` and `make dev` start.
# TASKS_BACKEND=rq queues it in Redis instead (REDIS_URL), run by RQ's workers: README,
# "More than one machine"; it needs requirements/production-rq.txt.
TASK_BACKENDS = {"database": "django_tasks_db.DatabaseBackend", "rq": "django_tasks_rq.RQBackend"}
TASKS_BACKEND = os.environ.get("TASKS_BACKEND") or "database"
TASKS_BACKEND = TASK_BACKENDS.get(TASKS_BACKEND, TASKS_BACKEND)
TASKS = {"default": {"BACKEND": TASKS_BACKEND, "QUEUES": ["default"]}}
REDIS_URL = os.environ.get("REDIS_URL", "")
if TASKS_BACKEND.startswith("django_tasks_rq."):
    if not REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=rq needs REDIS_URL (redis://host:6379/0).")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 60 * 60}}

# One cache and one session store for every instance of the portal, however many machines
# serve it: never a cache in each process's memory. Redis when CACHE_URL (or REDIS_URL) names
# one; the database otherwise, with no set-up (its table is created by `migrate`). Sessions
# are kept in the database: any instance reads the login another one made.
CACHE_URL = os.environ.get("CACHE_URL") or REDIS_URL
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "focus_cache"}
    )
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Portale Focus <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. Development stays on plain HTTP; production is HTTPS only, except the local
# demo (`make run`), which runs production settings over plain HTTP on loopback only.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
LOCAL_HTTP = env_bool("LOCAL_HTTP", False)
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "[::1]"}
if LOCAL_HTTP and not set(ALLOWED_HOSTS) <= LOOPBACK_HOSTS:
    raise ImproperlyConfigured(
        "LOCAL_HTTP serves the portal over plain HTTP: ALLOWED_HOSTS may then list only "
        "localhost, 127.0.0.1 and [::1]."
    )
if not DEBUG and not LOCAL_HTTP:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # A year, the portal's subdomains too, and consent to the browsers' preload list (which
    # takes effect only once the registrable domain is submitted there).
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
if env_bool("BEHIND_HTTPS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies in front of the portal append the client's address to X-Forwarded-For
# (accounts.network.client_ip): one behind the documented proxy, none when served directly.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", int(env_bool("BEHIND_HTTPS_PROXY", False)))

# Content-Security-Policy (django-csp): scripts, styles, fonts and requests from the portal's
# own origin only, no inline script, style or event handler, no plugin, no <base>, and no
# other site may frame a page. data: images are for Bootstrap's stylesheet, which draws the
# form controls (select arrows, check marks, the menu button) as data: SVG. The Django admin
# needs nothing more. CSP_REPORT_ONLY=1 only reports what the policy would refuse (in the
# browser's console), to try a change of the pages without breaking them.
csp_policy = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
if env_bool("CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = csp_policy
else:
    CONTENT_SECURITY_POLICY = csp_policy

# The language cookie (the switcher's choice) goes over HTTPS only whenever the session
# cookie does (the condition of SESSION_COOKIE_SECURE above), and no script reads it.
LANGUAGE_COOKIE_SECURE = not DEBUG and not LOCAL_HTTP
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

# Logs go to the console as plain lines. Nothing logs request bodies: candidates' data
# never reaches a log file.
# No address reaches a log with its query string (focus.logs): searches carry names. The
# development server's request lines go through the same filter, with Django's own format.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"without_query_string": {"()": "focus.logs.WithoutQueryString"}},
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"},
        "server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["without_query_string"],
        },
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "server",
            "filters": ["without_query_string"],
        },
    },
    "loggers": {
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
