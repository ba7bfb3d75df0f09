"""Health checks for load balancers: /healthz is the bare floor, /readyz says whether this server can serve."""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse

logger = logging.getLogger(__name__)


def healthz(request):
    """For load balancers, and the bench's measure of Django's own floor: no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        logger.exception("readyz: the database does not answer")
        return False


def cache_ok() -> bool:
    try:
        cache.set("readyz", "ok", 10)
        return cache.get("readyz") == "ok"
    except Exception:
        logger.exception("readyz: the cache does not answer")
        return False


def readyz(request):
    """200 "ok" when the database and the cache answer; 503 naming what failed (the connect timeout is 5 s)."""
    failed = [name for name, ok in (("database", database_ok()), ("cache", cache_ok())) if not ok]
    if failed:
        return HttpResponse(f"not ready: {', '.join(failed)} failed", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
