"""Settings shared by every environment. Everything that differs comes from the environment."""

import os
from datetime import timedelta

import dj_database_url
from csp.constants import NONE, SELF

from core.embedded_db import PROJECT_DIR, VAR_DIR, database_url

BASE_DIR = PROJECT_DIR


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")

INSTALLED_APPS = [
    "arms_talks_site",
    "search",
    "lessons",
    "documents",
    "core",
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "markdownx",
    "axes",
    "csp",
    "django_ratelimit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
]

MIDDLEWARE = [
    "core.proxy.TrustedProxyMiddleware",
    "core.logging.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # brotli or gzip for what the page cache did not already compress (core.compression)
    "core.compression.CompressionMiddleware",
    "core.bad_input.BadInputMiddleware",
    # The page cache stores these two headers with each page (core.page_cache.KEPT_HEADERS): a hit costs neither.
    "core.page_cache.AnonymousPageCacheMiddleware",
    "core.headers.SiteCSPMiddleware",
    "core.headers.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "arms_talks_site.urls"
WSGI_APPLICATION = "arms_talks_site.wsgi.application"

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

# A pool of connections per worker process (psycopg_pool, Django's "pool" option), shared by its threads: a
# request borrows one and gives it back at its end, instead of each thread keeping its own (granian may run
# many threads per worker). PostgreSQL allows 100 connections; `make run` (4 workers) holds at most 4 x 8 = 32,
# `make cluster` (2 servers x 2 workers) as many, leaving room for migrations, the shell and the tests.
# DB_POOL_MAX_SIZE=0 turns the pool off: then each thread keeps a connection for DB_CONN_MAX_AGE seconds.
DB_POOL_MAX_SIZE = int(os.environ.get("DB_POOL_MAX_SIZE", "8"))
DATABASES = {
    "default": dj_database_url.parse(
        database_url(), conn_max_age=0 if DB_POOL_MAX_SIZE else int(os.environ.get("DB_CONN_MAX_AGE", "60"))
    )
}
DATABASES["default"]["ENGINE"] = "django.db.backends.postgresql"
# An unreachable database fails a request (and /readyz) in 5 s instead of hanging a worker.
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
if DB_POOL_MAX_SIZE:
    DATABASES["default"]["OPTIONS"]["pool"] = {
        "min_size": min(2, DB_POOL_MAX_SIZE),
        "max_size": DB_POOL_MAX_SIZE,
        "timeout": 10,  # a request waits at most this long for a free connection, then fails (a 500), not hangs
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    # One machine, several gunicorn workers: a file cache under var/ is shared by all of them,
    # so a publish in one worker invalidates pages in every worker (a per-process cache would not).
    CACHES = {
        "default": {
            "BACKEND": "core.cache.FileCache",  # Django's, compressing at the fastest level
            "LOCATION": str(VAR_DIR / "cache"),
            # A bound on the disk it takes: past 5,000 entries a third is culled (Redis: set maxmemory).
            "OPTIONS": {"MAX_ENTRIES": 5000, "CULL_FREQUENCY": 3},
        }
    }
# Sessions in PostgreSQL, read through the cache: every app server sees them, and a cache flush signs no one out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
ANONYMOUS_PAGE_CACHE_SECONDS = int(os.environ.get("ANONYMOUS_PAGE_CACHE_SECONDS", "3600"))
# How long a CDN or proxy may keep a public page (`s-maxage`); browsers always check back (max-age=0 + ETag).
SHARED_CACHE_SECONDS = int(os.environ.get("SHARED_CACHE_SECONDS", "60"))

# A CDN or caching proxy in front (optional, off by default): publishing or unpublishing a page purges its URL
# through Wagtail's frontend cache (an HTTP PURGE to FRONTEND_CACHE_URL, e.g. Varnish or nginx's purge module);
# a view restriction purges the page and those below it (core.invalidation). Other pages that list the changed
# one stay in the CDN at most SHARED_CACHE_SECONDS.
if os.environ.get("FRONTEND_CACHE_URL"):
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": os.environ["FRONTEND_CACHE_URL"],
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
# The school's time zone: times on results pages and in their CSV (the database keeps UTC).
TIME_ZONE = os.environ.get("SCHOOL_TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

WAGTAIL_SITE_NAME = "Arms Talks"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# What site search offers, in the order of its type filters: each app's adapter, beside its models.
SEARCH_ADAPTERS = [
    "documents.search.DocumentSearch",
    "documents.search.AnnotationSearch",
    "documents.search.GlossarySearch",
    "documents.search.PersonSearch",
    "lessons.search.LessonModuleSearch",
    "lessons.search.LessonPlanSearch",
]
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]

MARKDOWNX_MARKDOWNIFY_FUNCTION = "core.markdown.render_markdown"

LOGIN_URL = "wagtailadmin_login"

# The public site runs no inline script or style (static/js/, static/css/ only). Wagtail's admin needs inline
# scripts and styles, so it is left out; it is for signed-in staff and keeps X-Frame-Options.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}

# Throttles (core/throttling.py), counted in the default cache.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # an account from one address: a school shares one
AXES_LOCKOUT_CALLABLE = "core.throttling.locked_out"
AXES_RESET_ON_SUCCESS = True
RATELIMIT_VIEW = "core.throttling.ratelimited"
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")  # the reverse proxy's addresses: X-Forwarded-For is read from them
THROTTLE_WRONG_CLASS_CODES = os.environ.get("THROTTLE_WRONG_CLASS_CODES", "30/m")
THROTTLE_QUIZ_SUBMISSIONS = os.environ.get("THROTTLE_QUIZ_SUBMISSIONS", "600/m")  # 60 pupils behind one address
THROTTLE_SEARCHES = os.environ.get("THROTTLE_SEARCHES", "60/m")
# django-ratelimit and axes warn that the file cache (no Redis) does not increment atomically, and the tests'
# local-memory cache is one process's: concurrent workers may lose a count now and then, which makes a limit a
# little looser, never stricter. With REDIS_URL the counts are exact and shared by every app server.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001", "axes.W001"]

# One line per record, with the request's id (core.logging); editorial events (publish, re-anchoring,
# orphaned notes: core.invalidation) at INFO, everything else from WARNING (LOG_LEVEL to change).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logging.RequestIdFilter"}},
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "line"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {"core.invalidation": {"level": "INFO"}},
}
