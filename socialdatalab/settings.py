"""SocialDataLab settings: one module, configured by environment variables (django-environ).

`DJANGO_ENV=production` turns on the production posture (secrets required, HTTPS, secure
cookies). Everything else defaults to a zero-setup local run against the Meta sandbox.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from meta.conf import FACEBOOK_GRAPH, FACEBOOK_WWW, meta_url

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

IS_PRODUCTION = env("DJANGO_ENV", default="development") == "production"


def _required_in_production(name: str, development_default: str) -> str:
    """Production must name every secret; development runs against the sandbox's fixed ones."""
    return env(name) if IS_PRODUCTION else env(name, default=development_default)


DEBUG = env.bool("DEBUG", default=not IS_PRODUCTION)
if IS_PRODUCTION:
    SECRET_KEY = env("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
else:
    SECRET_KEY = env("SECRET_KEY", default="dev-only-key-never-used-in-production-7c1f0e5a")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.facebook",
    "accounts.providers.instagram_business",
    "rest_framework",
    "rest_framework_simplejwt",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_celery_results",
    "accounts",
    "collector",
    "webhooks",
    "storyvault",
    "discovery",
    "insights",
    "publishing",
    "releases",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "socialdatalab.middleware.ViewerTimezoneMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "socialdatalab.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "socialdatalab.urls"
WSGI_APPLICATION = "socialdatalab.wsgi.application"
SITE_ID = 1

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
                "socialdatalab.context_processors.background_work",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if IS_PRODUCTION else 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # make run's web, worker and beat share one SQLite file: wait for locks instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # The suite's SQLite pass runs real workers beside the test server: a file both can open,
    # where Django's default test database would be in memory and private to one process.
    _sqlite_file = Path(DATABASES["default"]["NAME"])
    DATABASES["default"]["TEST"] = {"NAME": str(_sqlite_file.with_name(f"test_{_sqlite_file.name}"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
# `make run` on a machine with no Redis: Celery's filesystem broker under var/ (REDIS_URL then
# names an in-memory stand-in that keeps the cache and locks; see scripts/run.py).
EMBEDDED_BROKER = env.bool("EMBEDDED_BROKER", default=False)
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if env.bool("TEST_FAST_PASSWORD_HASHER", default=False) and not IS_PRODUCTION:
    # The suite's processes (tests, workers, servers it starts): a real hash costs a third of a
    # second of CPU and the suite signs in thousands of times. Never in production.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "home"
LOGIN_REDIRECT_URL = "dashboard"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("pt-br", _("Brazilian Portuguese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date/time format per language on every page, the same as static/js/dates.js writes.
FORMAT_MODULE_PATH = ["socialdatalab.formats"]
TIME_ZONE = env("TIME_ZONE", default="America/Fortaleza")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# Story files kept per organisation unless an admin sets its own quota (storyvault.models.StorageQuota).
STORY_VAULT_QUOTA_MB = env.int("STORY_VAULT_QUOTA_MB", default=2048)
STORAGES = {
    "default": {"BACKEND": env("FILE_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage")},
    # Dataset releases: kept out of MEDIA_ROOT, which DEBUG serves to anyone; read through the releases views.
    "releases": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.path("RELEASES_ROOT", default=BASE_DIR / "var" / "releases")},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if IS_PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if IS_PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="SocialDataLab <no-reply@socialdatalab.dev>")

# --- Security -----------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=IS_PRODUCTION)
SESSION_COOKIE_SECURE = IS_PRODUCTION
CSRF_COOKIE_SECURE = IS_PRODUCTION
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if IS_PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = IS_PRODUCTION
SECURE_HSTS_PRELOAD = IS_PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Fernet keys for tokens at rest, newest first; MultiFernet decrypts with any of them.
TOKEN_ENCRYPTION_KEYS = (
    env.list("TOKEN_ENCRYPTION_KEYS")
    if IS_PRODUCTION
    else env.list("TOKEN_ENCRYPTION_KEYS", default=["m1uYyc2mZ2Q3fGd8lX3bJ0o3u0Xw3O3C8Q5n9mHc3rE="])
)

# --- App Review (insights/data_handling.py answers Meta's questions from these) ------------
# Who hosts the servers, as the data-handling answers name it ("" reads as self-hosted).
HOSTING_PROVIDER = env("HOSTING_PROVIDER", default="")
# The login the reviewer uses; its password goes in the submission notes, never on a page.
REVIEW_TEST_ACCOUNT = env("REVIEW_TEST_ACCOUNT", default="")

# --- Meta ---------------------------------------------------------------------------------
# An empty META_SANDBOX_URL means Meta's real hosts; otherwise every host is mirrored under it.
META_SANDBOX_URL = env("META_SANDBOX_URL", default="" if IS_PRODUCTION else "http://127.0.0.1:8001")
META_GRAPH_VERSION = env("META_GRAPH_VERSION", default="v25.0")
META_APP_ID = _required_in_production("META_APP_ID", "100000000000001")
META_APP_SECRET = _required_in_production("META_APP_SECRET", "sandbox-meta-app-secret")
INSTAGRAM_APP_ID = _required_in_production("INSTAGRAM_APP_ID", "200000000000002")
INSTAGRAM_APP_SECRET = _required_in_production("INSTAGRAM_APP_SECRET", "sandbox-instagram-app-secret")
META_WEBHOOK_VERIFY_TOKEN = _required_in_production("META_WEBHOOK_VERIFY_TOKEN", "sandbox-verify-token")
META_HTTP_TIMEOUT = env.float("META_HTTP_TIMEOUT", default=20.0)
META_HTTP_RETRIES = env.int("META_HTTP_RETRIES", default=3)
META_HOURLY_CALL_BUDGET = env.int("META_HOURLY_CALL_BUDGET", default=200)
# The budget's window and the pause when Meta rate-limits without a regain time (seconds).
META_BUDGET_WINDOW_SECONDS = env.float("META_BUDGET_WINDOW_SECONDS", default=3600.0)
META_RATE_LIMIT_PAUSE_SECONDS = env.float("META_RATE_LIMIT_PAUSE_SECONDS", default=600.0)
META_FACEBOOK_SCOPES = env.list(
    "META_FACEBOOK_SCOPES",
    default=[
        "pages_show_list",
        "pages_read_engagement",
        "read_insights",  # Page and Page-post insights (collector.pages)
        "pages_manage_metadata",
        "pages_manage_posts",
        "instagram_basic",
        "instagram_manage_insights",
        "instagram_manage_comments",
        "instagram_content_publish",
        "instagram_manage_messages",
    ],
)
META_INSTAGRAM_SCOPES = env.list(
    "META_INSTAGRAM_SCOPES",
    default=[
        "instagram_business_basic",
        "instagram_business_manage_insights",
        "instagram_business_manage_comments",
        # No instagram_business_content_publish: stories reach Instagram only through the linked Page
        # (Facebook Login), so no screen would use it (insights/review.py DROPPED says so on /review/).
        "instagram_business_manage_messages",
    ],
)

# --- allauth ------------------------------------------------------------------------------
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_EMAIL_REQUIRED = False
SOCIALACCOUNT_QUERY_EMAIL = False
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False  # tokens live only in the encrypted vault (accounts.Credential)
SOCIALACCOUNT_ADAPTER = "accounts.adapter.SocialAccountAdapter"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"  # no open username/password sign-up (see docs)
SOCIALACCOUNT_PROVIDERS = {
    "facebook": {
        "METHOD": "oauth2",
        "VERSION": META_GRAPH_VERSION,
        "SCOPE": META_FACEBOOK_SCOPES,
        "FIELDS": ["id", "name"],
        "APP": {"client_id": META_APP_ID, "secret": META_APP_SECRET},
        "AUTHORIZE_URL": meta_url(META_SANDBOX_URL, FACEBOOK_WWW, f"/{META_GRAPH_VERSION}/dialog/oauth"),
        "GRAPH_API_URL": meta_url(META_SANDBOX_URL, FACEBOOK_GRAPH, f"/{META_GRAPH_VERSION}"),
    },
    "instagram_business": {
        "SCOPE": META_INSTAGRAM_SCOPES,
        "APP": {"client_id": INSTAGRAM_APP_ID, "secret": INSTAGRAM_APP_SECRET},
    },
}

# --- Celery -------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The queues by job, in one place: the routes below and the workers' `-Q` (tests/conftest.py) read them.
CELERY_QUEUE_BY_APP = {"webhooks": "webhooks", "collector": "collect", "storyvault": "collect", "publishing": "publish"}
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_WORKER_QUEUES = tuple(dict.fromkeys((*CELERY_QUEUE_BY_APP.values(), CELERY_TASK_DEFAULT_QUEUE)))
CELERY_TASK_ROUTES = {f"{app}.tasks.*": {"queue": queue} for app, queue in CELERY_QUEUE_BY_APP.items()}
CELERY_TASK_ROUTES["collector.coding.*"] = {"queue": "collect"}  # coding stored comments
CELERY_TASK_ROUTES["discovery.tasks.*"] = {"queue": "collect"}  # Business Discovery and tags: collection work
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_IMPORTS = ("collector.stale_work", "collector.coding")  # beat's re-queue of stale work; coding comments
# A collection run whose heartbeat (every 15 s) is this old lost its worker: queued again.
COLLECTOR_STALE_RUN_SECONDS = env.int("COLLECTOR_STALE_RUN_SECONDS", default=60)
# A release build silent this long lost its worker; beat queues it again (releases.tasks).
RELEASE_STALE_SECONDS = env.int("RELEASE_STALE_SECONDS", default=120)
# Rows a build reads and writes at a time (and counts as progress): memory against round trips.
RELEASE_CHUNK_ROWS = env.int("RELEASE_CHUNK_ROWS", default=5000)
CELERY_TIMEZONE = "UTC"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
if EMBEDDED_BROKER:
    _broker_dir = BASE_DIR / "var" / "broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "data_folder_processed": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
    }

# --- REST API -----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    # Deny by default: a new API view needs a token unless it says AllowAny (token endpoints, schema, docs).
    "DEFAULT_AUTHENTICATION_CLASSES": ["publishing.authentication.ClientJWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
}
# Password guessing on /admin/login/ and /api/token/: the policy is in accounts/throttling.py.
LOGIN_THROTTLE_WINDOW = env.int("LOGIN_THROTTLE_WINDOW", default=15 * 60)  # seconds
LOGIN_THROTTLE_IP_FAILURES = env.int("LOGIN_THROTTLE_IP_FAILURES", default=20)
LOGIN_THROTTLE_PAIR_FAILURES = env.int("LOGIN_THROTTLE_PAIR_FAILURES", default=5)
LOGIN_THROTTLE_ACCOUNT_FAILURES = env.int("LOGIN_THROTTLE_ACCOUNT_FAILURES", default=10)
LOGIN_THROTTLE_LIMITED_PAIR_FAILURES = env.int("LOGIN_THROTTLE_LIMITED_PAIR_FAILURES", default=2)
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=30)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=7)),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SocialDataLab Story API",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs are public on purpose: the Story API's clients read them before they have a token.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    # Separate request/response components, so clients and schemathesis see what is writable.
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"StoryStatusEnum": "publishing.models.StoryStatus"},
}

# --- Logging: access tokens are redacted from every log line -----------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "meta.redact.RedactTokensFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_tokens"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"urllib3": {"level": "WARNING"}},
}
