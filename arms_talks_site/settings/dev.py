"""Local development: DEBUG on unless the environment says otherwise."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
ANONYMOUS_PAGE_CACHE_SECONDS = 0  # see edits to templates and CSS at once
