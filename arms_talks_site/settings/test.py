"""Tests: fast hashing, the real PostgreSQL from DATABASE_URL or the embedded server."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ANONYMOUS_PAGE_CACHE_SECONDS = 0  # tests exercise the real render path; test_page_cache turns it on
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Many requests come from one test client: throttles are lifted, and the throttle tests set them back.
THROTTLE_WRONG_CLASS_CODES = THROTTLE_QUIZ_SUBMISSIONS = THROTTLE_SEARCHES = "100000/m"
AXES_FAILURE_LIMIT = 1000
