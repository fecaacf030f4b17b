"""Settings for the CRM back end.

Every value that differs between machines is read from the environment here and nowhere else.
The defaults make a fresh checkout run locally (DEBUG on, SQLite file); production sets
``DJANGO_DEBUG=0`` and must then supply a real ``DJANGO_SECRET_KEY`` and ``DJANGO_ALLOWED_HOSTS``.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

_INSECURE_KEY = "django-insecure-local-development-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", _INSECURE_KEY if DEBUG else "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")

if not DEBUG:
    # A production server must never start with the development key or an open host list.
    if not SECRET_KEY or SECRET_KEY == _INSECURE_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set to a real key (50+ characters).")
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must list the served host names.")

INSTALLED_APPS = [
    # The back office's theme (docs/DECISIONS.md, "Back office"): before the admin, whose
    # templates it overrides; the site itself is crm_project.backoffice.CrmAdminSite.
    "unfold.apps.BasicAppConfig",
    "unfold.contrib.simple_history",
    "crm_project.apps.CrmAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Trigram index expressions (gin_trgm_ops) for icontains on PostgreSQL; inert on SQLite.
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "simple_history",
    "core",
    "accounts",
    "contacts",
    "activities",
    "cases",
    "sales",
    "campaigns",
    "analytics",
    "demo",
]

MIDDLEWARE = [
    "core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files (admin, API docs, dashboard) straight from the app server, compressed and
    # with far-future cache headers for the hashed names; no separate file server needed.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "core.middleware.RejectHostileInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.ApiTimezoneMiddleware",
    "core.idempotency.IdempotencyMiddleware",
    # Lets the audit trail record who made each change (admin session or API token user).
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "crm_project.urls"
WSGI_APPLICATION = "crm_project.wsgi.application"

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
            ],
        },
    },
]

# DATABASE_URL takes sqlite:///path and postgres://user@host:port/db alike; unset is a local file.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool(
    "DJANGO_PG_JIT", False
):
    # PostgreSQL's JIT compiles any statement it estimates as costly, which adds 50-100 ms to
    # the analytics aggregates and list counts it is meant to speed up; off unless asked for.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
_PG_CLIENT_CHECK_MS = int(os.environ.get("DJANGO_PG_CLIENT_CHECK_MS", "2000"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and _PG_CLIENT_CHECK_MS:
    # A worker killed mid-request leaves its session waiting on a lock until the statement
    # ends; checking the client every few seconds ends that session, and with it the
    # transaction and its locks (the idempotency key's too: core/idempotency.py).
    # 0 sends nothing (behind PgBouncer: set it on the server, docs/SCALING.md).
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = (
        f"{_options.get('options', '')} -c client_connection_check_interval={_PG_CLIENT_CHECK_MS}"
    ).strip()
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has one writer at a time; concurrent writes must queue, never fail:
    # - IMMEDIATE takes the write lock when a transaction begins, so waiting happens there,
    #   under the busy timeout (a DEFERRED transaction that reads first and then writes fails
    #   at once with "database is locked" when another writer got in between);
    # - the busy timeout ("timeout", seconds) is how long a writer waits for the lock;
    # - WAL lets readers go on while one request writes, and NORMAL sync is safe with WAL.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=int(os.environ.get("DJANGO_SQLITE_BUSY_TIMEOUT", "20")),
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
# Django's ModelBackend, reading a user's permissions in one query (core/auth_backends.py).
AUTHENTICATION_BACKENDS = ["core.auth_backends.SingleQueryModelBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Human-readable messages are Simplified Chinese unless the client asks for English.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
# Our own catalog (makemessages), then the Chinese for the third-party strings the back office
# shows (admin theme, audit trail, token blacklist), which makemessages cannot see.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "thirdparty"]
# Numeric dates and comma-grouped amounts for zh-hans (crm_project/formats/zh_Hans).
FORMAT_MODULE_PATH = ["crm_project.formats"]
USE_I18N = True
USE_TZ = True
# Stored times are UTC (USE_TZ). The API always speaks UTC (core.middleware); the admin shows
# local time for the staff, so TIME_ZONE is theirs.
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Asia/Shanghai")

# The back office (crm_project/backoffice.py): its name, and where "查看站点" leads (the staff's
# frontend; unset hides the link, since this server has no public site of its own).
BACKOFFICE_TITLE = os.environ.get("BACKOFFICE_TITLE") or "客户关系管理"
BACKOFFICE_SITE_URL = os.environ.get("BACKOFFICE_SITE_URL") or None
# The admin's login page is the only session login: without ?next= it leads to the admin.
LOGIN_REDIRECT_URL = "admin:index"
UNFOLD = {
    "SITE_TITLE": "crm_project.backoffice.backoffice_title",
    "SITE_HEADER": "crm_project.backoffice.backoffice_title",
    "SITE_URL": "crm_project.backoffice.frontend_url",
    "SITE_SYMBOL": "hub",
    "SHOW_VIEW_ON_SITE": False,
    "SITE_FAVICONS": [
        {"rel": "icon", "type": "image/svg+xml", "href": "crm_project.backoffice.favicon"}
    ],
    "STYLES": ["crm_project.backoffice.stylesheet"],
    "SIDEBAR": {"navigation": "crm_project.backoffice.sidebar_navigation"},
    "COLORS": {
        "primary": {
            "50": "oklch(97% .014 254.604)",
            "100": "oklch(93.2% .032 255.585)",
            "200": "oklch(88.2% .059 254.128)",
            "300": "oklch(80.9% .105 251.813)",
            "400": "oklch(70.7% .165 254.624)",
            "500": "oklch(62.3% .214 259.815)",
            "600": "oklch(54.6% .245 262.881)",
            "700": "oklch(48.8% .243 264.376)",
            "800": "oklch(42.4% .199 265.638)",
            "900": "oklch(37.9% .146 265.522)",
            "950": "oklch(28.2% .091 267.935)",
        },
    },
}

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production serves ``collectstatic`` output with hashed, compressed names (``make serve``
    # runs it); development serves the apps' files as they are.
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Development (and the tests) serve the apps' static files straight from their folders, looked
# up per request: no collectstatic needed, so no "No directory at STATIC_ROOT" warning. With
# DEBUG off WhiteNoise serves the collectstatic output only, and still warns at start when it
# is missing (a deployment that forgot collectstatic).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))

# Plain JSON request bodies are capped; file uploads have their own limit (FILE_UPLOAD_MAX_SIZE).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DJANGO_MAX_BODY_BYTES", str(2 * 1024 * 1024)))
APPEND_SLASH = False

# The separate frontend's origins (comma-separated), e.g. https://crm.example.com
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS", "http://localhost:5173" if DEBUG else "")
CORS_EXPOSE_HEADERS = [
    "X-Request-ID",
    "Retry-After",
    "Content-Disposition",
    # Rate limits on every throttled answer (core.api.throttling), readable by the frontend.
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
]
CORS_ALLOW_HEADERS = (
    "accept",
    "accept-language",
    "authorization",
    "content-type",
    "idempotency-key",
    "x-request-id",
)

# Redis calls give up quickly: the API fails open without the cache (core.cache), and must
# not hang on a Redis that accepts connections but does not answer.
_REDIS_TIMEOUT = float(os.environ.get("REDIS_TIMEOUT_SECONDS", "0.5"))
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "OPTIONS": {"socket_connect_timeout": _REDIS_TIMEOUT, "socket_timeout": _REDIS_TIMEOUT},
        }
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# After a failed cache call a process leaves the cache alone this long before trying again,
# and logs that the cache is down at most once per CACHE_WARNING_SECONDS.
CACHE_RETRY_SECONDS = float(os.environ.get("CACHE_RETRY_SECONDS", "5"))
CACHE_WARNING_SECONDS = float(os.environ.get("CACHE_WARNING_SECONDS", "60"))
# The user behind a bearer token is cached this long (core.tokens); every change to the user
# drops it at once. Only with a shared cache: a per-process one could not be told of changes
# made by another process.
AUTH_USER_CACHE_SECONDS = int(
    os.environ.get("AUTH_USER_CACHE_SECONDS", "60" if os.environ.get("REDIS_URL") else "0")
)

# Analytics figures are cached in the shared cache for this long (and dropped at once when the
# records they count change through the services). On by default only with a shared cache:
# a per-process local-memory cache would give each worker its own, differently stale answer.
ANALYTICS_CACHE_SECONDS = int(
    os.environ.get("ANALYTICS_CACHE_SECONDS", "60" if os.environ.get("REDIS_URL") else "0")
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["core.api.authentication.JWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "core.api.permissions.ModelPermissions",
    ],
    "DEFAULT_RENDERER_CLASSES": ["core.api.renderers.EnvelopeRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.JSONParser",
        "djangorestframework_camel_case.parser.CamelCaseMultiPartParser",
        "djangorestframework_camel_case.parser.CamelCaseFormParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["core.api.filters.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.EnvelopePagination",
    "DEFAULT_THROTTLE_CLASSES": [
        "core.api.throttling.AnonThrottle",
        "core.api.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("THROTTLE_ANON_RATE", "60/min"),
        "user": os.environ.get("THROTTLE_USER_RATE", "1200/min"),
        # Token endpoints and the admin login, per client address: against password guessing.
        "auth": os.environ.get("THROTTLE_AUTH_RATE", "10/min"),
    },
    "EXCEPTION_HANDLER": "core.api.exception_handler.envelope_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.EnvelopeAutoSchema",
    "DATETIME_FORMAT": "%Y-%m-%dT%H:%M:%SZ",
    "DATE_FORMAT": "%Y-%m-%d",
    "COERCE_DECIMAL_TO_STRING": False,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

# Client addresses (throttling, login lockout) come from X-Forwarded-For only when the request
# arrives from one of these proxies (addresses or CIDR networks, comma-separated): the
# right-most address the proxies did not add is the client. Empty: REMOTE_ADDR.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
# Wrong passwords per username (core.login_throttle, docs/SECURITY.md): from one address, and
# from all addresses except those the user has logged in from within LOGIN_KNOWN_ADDRESS_DAYS.
LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_FAILURES_PER_ADDRESS", "5"))
LOGIN_FAILURES_PER_USERNAME = int(os.environ.get("LOGIN_FAILURES_PER_USERNAME", "20"))
LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("LOGIN_FAILURE_WINDOW_SECONDS", "900"))
LOGIN_KNOWN_ADDRESS_DAYS = int(os.environ.get("LOGIN_KNOWN_ADDRESS_DAYS", "30"))

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=int(os.environ.get("JWT_ACCESS_MINUTES", "30"))),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=int(os.environ.get("JWT_REFRESH_DAYS", "7"))),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "AUTH_HEADER_TYPES": ("Bearer",),
    # Tokens carry the user's token version (core.tokens): revoked by password change or
    # deactivation.
    "AUTH_TOKEN_CLASSES": ("core.tokens.AccessToken",),
    "SIGNING_KEY": SECRET_KEY,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "CRM API",
    "DESCRIPTION": (
        "客户关系管理（CRM）模块 API. Every response is the envelope "
        "`{code, message, data}`; field names are camelCase."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "drf_spectacular.contrib.djangorestframework_camel_case.camelize_serializer_fields",
        "core.api.schema.envelope_postprocessing_hook",
    ],
    # Several resources share field names (type, status, priority); name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "AccountStatusEnum": "accounts.models.AccountStatus",
        "AccountTypeEnum": "accounts.models.AccountType",
        "ActivityTypeEnum": "activities.models.ActivityType",
        "ActivityStatusEnum": "activities.models.ActivityStatus",
        "ActivityPriorityEnum": "activities.models.ActivityPriority",
        "CampaignTypeEnum": "campaigns.models.CampaignType",
        "CampaignStatusEnum": "campaigns.models.CampaignStatus",
        "CaseTypeEnum": "cases.models.CaseType",
        "CasePriorityEnum": "cases.models.CasePriority",
        "CaseStatusEnum": "cases.models.CaseStatus",
        "LeadStatusEnum": "sales.models.LeadStatus",
        "LeadSourceEnum": "sales.models.LeadSource",
        "OpportunityStageEnum": "sales.models.OpportunityStage",
    },
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "json": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # One structured line per request (core.middleware.RequestIdMiddleware).
        "crm.access": {
            "handlers": ["json"],
            "level": os.environ.get("ACCESS_LOG_LEVEL", "INFO"),
            "propagate": False,
        },
        # Our handler logs server faults itself; Django's request logger would log them twice.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Attachments (POST /api/v1/files): larger uploads answer 413.
FILE_UPLOAD_MAX_SIZE = int(os.environ.get("FILE_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
