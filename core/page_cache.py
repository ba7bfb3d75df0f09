"""Whole-page cache for anonymous readers, shared by every worker through the configured cache.

A cached page is served before sessions, CSRF or Wagtail's routing run: no query at all.
Views opt in with `cache_for_anonymous`; pages with forms never do (their CSRF cookie also
keeps them out). Any publish, unpublish, move or delete of a page, and any change to the
glossary, people or annotations, bumps one version number and so empties the whole cache
at once: simple, and right for a site whose content changes a few times a day.
"""

import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

VERSION_KEY = "page-cache:version"
KEPT_HEADERS = (
    "Content-Type",
    "X-Frame-Options",
    "Content-Language",
    "Access-Control-Allow-Origin",
    "Referrer-Policy",
    "X-Content-Type-Options",
    "Cross-Origin-Opener-Policy",
)


def content_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, str(time.time_ns()), None)
        version = cache.get(VERSION_KEY)
    return version


def bump_content_version(*args, **kwargs) -> None:
    """Signal receiver: something readers see has changed."""
    cache.set(VERSION_KEY, str(time.time_ns()), None)


def mark_cacheable(response):
    response.cache_for_anonymous = True
    return response


def cache_for_anonymous(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return mark_cacheable(view(request, *args, **kwargs))

    return wrapper


class CachedForAnonymousMixin:
    """For Wagtail pages: published pages are cached for anonymous readers; previews never are."""

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if not getattr(request, "is_preview", False):
            mark_cacheable(response)
        return response


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = getattr(settings, "ANONYMOUS_PAGE_CACHE_SECONDS", 0)
        if (
            not seconds
            or request.method not in ("GET", "HEAD")
            or settings.SESSION_COOKIE_NAME in request.COOKIES  # signed-in editors see live pages
            or request.path in ("/healthz", "/readyz")  # they must answer even when the cache is down
        ):
            return self.get_response(request)
        key = f"page-cache:{content_version()}:{request.get_host()}:{request.get_full_path()}"
        hit = cache.get(key)
        if hit is not None:
            content, headers = hit
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if (
            getattr(response, "cache_for_anonymous", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        ):
            headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
            cache.set(key, (response.content, headers), seconds)
            response["X-Page-Cache"] = "miss"
        return response
