"""Launchdeck settings: one module, two run modes.

With no environment the app runs embedded: SQLite, in-memory channel layer, local-memory
cache, Celery tasks executed in-process and mail printed to the console. Setting
DATABASE_URL and REDIS_URL switches to the production topology: PostgreSQL, Redis for the
cache, the channel layer and the Celery broker. LAUNCHDECK_ENV=production turns on the
hardening that a deployment needs (and that `manage.py check --deploy` verifies).
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_choice, env_int, env_list, env_rate, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("LAUNCHDECK_VAR_DIR", str(BASE_DIR / "var")))

ENVIRONMENT = env_choice("LAUNCHDECK_ENV", ("development", "production"), "development")
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("LAUNCHDECK_DEBUG", not PRODUCTION)

_DEV_SECRET = "django-insecure-launchdeck-development-only-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env_str("DJANGO_SECRET_KEY", None if PRODUCTION else _DEV_SECRET)
if SECRET_KEY is None:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when LAUNCHDECK_ENV=production.")
if PRODUCTION and (SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be a random string of at least 50 characters.")

ALLOWED_HOSTS = env_list(
    "LAUNCHDECK_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("LAUNCHDECK_ALLOWED_HOSTS must be set when LAUNCHDECK_ENV=production.")
CSRF_TRUSTED_ORIGINS = env_list("LAUNCHDECK_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework_simplejwt",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "axes",
    "channels",
    "django_celery_beat",
    "core",
    "accounts",
    "campaigns",
    "approvals",
    "generators",
    "content",
    "leads",
    "lifecycle",
]

MIDDLEWARE = [
    "core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.ApiProblemMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.CurrentWorkspaceMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = None

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
                "accounts.context_processors.workspace",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env_url("DATABASE_URL", ("postgres", "postgresql", "sqlite"))
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
    # PostgreSQL connections come from a pool (psycopg_pool), one per process: opening a
    # connection costs ~10 ms, more than most requests. Django's persistent connections are
    # not safe under ASGI, its pool is. 0 turns pooling off (a new connection per request).
    DB_POOL_MAX = env_int("LAUNCHDECK_DB_POOL_MAX", 10, minimum=0, maximum=200)
    if DB_POOL_MAX and DATABASES["default"]["ENGINE"].endswith("postgresql"):
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1, "max_size": DB_POOL_MAX, "timeout": 10,
        }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "launchdeck.sqlite3",
            # IMMEDIATE transactions and a busy timeout keep concurrent writers from failing
            # with "database is locked" when the web process and in-process tasks overlap.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                # WAL is set once on the file (core.apps, after migrate); it persists, so
                # connections don't pay for switching journal modes.
                "init_command": "PRAGMA synchronous=NORMAL;",
            },
            "TEST": {"NAME": VAR_DIR / "test.sqlite3"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Redis: cache, channel layer, Celery broker --------------------------------------
REDIS_URL = env_url("REDIS_URL", ("redis", "rediss", "unix"))

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("LAUNCHDECK_CACHE_PREFIX", "launchdeck"),
            "TIMEOUT": 300,
            "OPTIONS": {"pool_class": "core.cache.SharedConnectionPool"},
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [REDIS_URL],
                "prefix": env_str("LAUNCHDECK_CHANNELS_PREFIX", "launchdeck:ws"),
                "capacity": 1000,
                "expiry": 60,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# Without a broker the tasks run in the calling process, so the embedded mode needs no worker.
CELERY_TASK_ALWAYS_EAGER = REDIS_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = env_str("LAUNCHDECK_CELERY_QUEUE", "launchdeck")
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "purge-expired-idempotency-keys": {
        "task": "core.tasks.purge_idempotency_keys",
        "schedule": timedelta(hours=1),
    },
}

# --- Auth ------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Guessing protection: after AXES_FAILURE_LIMIT failures for one username from one address
# the pair is locked out for AXES_COOLOFF_TIME. Applies to the login page and the JWT endpoint.
AXES_FAILURE_LIMIT = env_int("LAUNCHDECK_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LAUNCHDECK_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout_response"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_SENSITIVE_PARAMETERS = ["password", "key", "token"]

# --- API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiKeyAuthentication",
        "accounts.authentication.WorkspaceJWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.permissions.IsWorkspaceMember"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.problems.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("LAUNCHDECK_THROTTLE_ANON", "60/min"),
        "user": env_rate("LAUNCHDECK_THROTTLE_USER", "1200/min"),
        "auth": env_rate("LAUNCHDECK_THROTTLE_AUTH", "20/min"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append("rest_framework.renderers.BrowsableAPIRenderer")

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env_int("LAUNCHDECK_JWT_ACCESS_MINUTES", 15, minimum=1)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=1),
    "SIGNING_KEY": SECRET_KEY,
    "AUTH_HEADER_TYPES": ("Bearer",),
    "UPDATE_LAST_LOGIN": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Launchdeck API",
    "DESCRIPTION": (
        "Campaigns, strategies, approvals, generators, leads, content and lifecycle. "
        "Authenticate with a workspace API key (`Authorization: Bearer <key>`) or a JWT from "
        "`POST /api/v1/auth/token/`. Errors are RFC 9457 problem details. Creating POSTs "
        "honour `Idempotency-Key`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "accounts.models.Role",
        "ApprovalScopeEnum": "approvals.models.Scope",
        "GenerationKindEnum": "generators.models.GenerationKind",
        "GenerationStatusEnum": "generators.models.GenerationStatus",
    },
    # Documents the shared problem+json error responses once for every operation.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.add_problem_responses",
    ],
}

# Request bodies larger than this answer 413 (problem+json on the API).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("LAUNCHDECK_MAX_BODY_BYTES", 2_621_440, minimum=1024)
IDEMPOTENCY_KEY_TTL = timedelta(hours=env_int("LAUNCHDECK_IDEMPOTENCY_TTL_HOURS", 24, minimum=24))

# --- Static, media, email ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    # Development serves from the finders; an empty root keeps WhiteNoise from warning.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

EMAIL_URL = env_url("EMAIL_URL", ("smtp", "smtps", "console", "file"))
if EMAIL_URL:
    from urllib.parse import unquote, urlparse

    _email = urlparse(EMAIL_URL)
    if _email.scheme in ("smtp", "smtps"):
        EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        EMAIL_HOST = _email.hostname or "localhost"
        EMAIL_PORT = _email.port or (465 if _email.scheme == "smtps" else 25)
        EMAIL_HOST_USER = unquote(_email.username or "")
        EMAIL_HOST_PASSWORD = unquote(_email.password or "")
        EMAIL_USE_SSL = _email.scheme == "smtps"
        EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
        EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
    elif _email.scheme == "file":
        EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
        EMAIL_FILE_PATH = _email.path or str(VAR_DIR / "mail")
    else:
        EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("LAUNCHDECK_FROM_EMAIL", "Launchdeck <no-reply@launchdeck.localhost>")

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Security ----------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("LAUNCHDECK_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("LAUNCHDECK_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    if env_bool("LAUNCHDECK_BEHIND_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^api/v1/health$"]

# --- Outbound fetches ------------------------------------------------------------------
LAUNCHDECK_FETCH_ALLOW_HOSTS = env_list("LAUNCHDECK_FETCH_ALLOW_HOSTS")

# --- Live enrichment providers (each one is used only when its key is set) ----------------
APOLLO_API_KEY = env_str("APOLLO_API_KEY", None)
APOLLO_BASE_URL = env_url("APOLLO_BASE_URL", ("https", "http")) or "https://api.apollo.io"
CLEARBIT_API_KEY = env_str("CLEARBIT_API_KEY", None)
CLEARBIT_BASE_URL = env_url("CLEARBIT_BASE_URL", ("https", "http")) or "https://company.clearbit.com"

# --- LLM writer (optional; the template writer needs none of this) ------------------------------
# Any OpenAI-compatible chat-completions endpoint, e.g. https://api.openai.com/v1.
LLM_BASE_URL = env_url("LLM_BASE_URL", ("https", "http"))
LLM_API_KEY = env_str("LLM_API_KEY", None)
LLM_MODEL = env_str("LLM_MODEL", "gpt-4o-mini")
LLM_TIMEOUT_SECONDS = env_int("LLM_TIMEOUT_SECONDS", 60, minimum=1, maximum=600)

# --- Generation ------------------------------------------------------------------------------
# How long a completed generation is reused for the same normalised input (`refresh` bypasses).
LAUNCHDECK_GENERATION_CACHE_SECONDS = env_int("LAUNCHDECK_GENERATION_CACHE_SECONDS", 24 * 3600, minimum=0)
# Without a broker, tasks enqueued from a page run in a background thread of the web process
# ("thread"), so the page answers at once and the websocket streams; "eager" runs them inside
# the request (tests). Only consulted when CELERY_TASK_ALWAYS_EAGER is on.
LAUNCHDECK_INPROCESS_TASKS = env_choice("LAUNCHDECK_INPROCESS_TASKS", ("thread", "eager"), "thread")

# --- Demo seed -----------------------------------------------------------------------------
LAUNCHDECK_DEMO_PASSWORD = env_str("LAUNCHDECK_DEMO_PASSWORD", None)

# --- Logging -----------------------------------------------------------------------------
LOG_LEVEL = env_choice("LAUNCHDECK_LOG_LEVEL", ("debug", "info", "warning", "error"), "info").upper()
LOG_FORMAT = env_choice("LAUNCHDECK_LOG_FORMAT", ("text", "json"), "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "core.logging.RequestIdFilter"},
        "redact": {"()": "core.logging.RedactSecretsFilter"},
    },
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
        "json": {
            "()": "core.logging.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "redact"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
        "daphne": {"level": "INFO"},
    },
}
