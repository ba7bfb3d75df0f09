"""Whole-page cache for anonymous readers, shared by every worker through the configured cache.

A cached page is served before sessions, CSRF or Wagtail's routing run: no query at all.
Views opt in with `cache_for_anonymous`, pages with `CachedForAnonymousMixin`; pages with forms
never do (their CSRF cookie also keeps them out). Only public, cacheable answers are stored:
never one marked `private` or `no-store`, never a page under a view restriction.

The key is the scheme, the host, the path and only the query parameters the page reads (each
view declares them); any other parameter (`?utm_source=…`, `?x=<random>`) reads the canonical
entry and cannot fill the cache. Since the middleware runs before routing, it learns which
parameters a path reads from the first answer it stores for that path.

Any publish, unpublish, move or delete of a page, any change to view restrictions, the glossary,
people or annotations bumps one version number (`core.invalidation`) and so empties the whole
cache at once: simple, and right for a site whose content changes a few times a day.
"""

import hashlib
import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from wagtail.models import Page, PageViewRestriction

VERSION_KEY = "page-cache:version"
KEPT_HEADERS = (
    "Content-Type",
    "X-Frame-Options",
    "Content-Language",
    "Access-Control-Allow-Origin",
    "Referrer-Policy",
    "X-Content-Type-Options",
    "Cross-Origin-Opener-Policy",
    "Content-Security-Policy",
    "Permissions-Policy",
)
NEVER_STORED = {"private", "no-store", "no-cache"}


def content_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, str(time.time_ns()), None)
        version = cache.get(VERSION_KEY)
    return version


def bump_content_version() -> None:
    """Something readers see has changed: every cached page is stale."""
    cache.set(VERSION_KEY, str(time.time_ns()), None)


def mark_cacheable(response, query_params=()):
    """Anonymous readers may share this response; it depends on these query parameters only."""
    response.cache_for_anonymous = True
    response.cache_query_params = tuple(query_params)
    return response


def cache_for_anonymous(view=None, *, query_params=()):
    """`@cache_for_anonymous`, or `@cache_for_anonymous(query_params=("q",))` for a view that reads `?q=`."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            return mark_cacheable(view(request, *args, **kwargs), query_params)

        return wrapper

    return decorate(view) if view is not None else decorate


class CachedForAnonymousMixin:
    """For Wagtail pages: published, public pages are cached for anonymous readers; previews never are.

    `cache_query_params` names the query parameters the page reads. A response that has not decided
    for itself is cached with them; a route that reads other parameters marks itself
    (`cache_for_anonymous`), and one that must never be stored sends `no-store`.
    """

    cache_query_params: tuple[str, ...] = ()

    def is_under_view_restriction(self) -> bool:
        """A restriction on this page or any page above it (one query). Wagtail also sends `no-store` then,
        which the middleware honours: this keeps such a page out of the cache even if a header is lost."""
        return PageViewRestriction.objects.filter(page__in=Page.objects.ancestor_of(self, inclusive=True)).exists()

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if getattr(request, "is_preview", False) or self.is_under_view_restriction():
            response.cache_for_anonymous = False
        elif not hasattr(response, "cache_for_anonymous"):
            mark_cacheable(response, self.cache_query_params)
        return response


def forbids_storing(response) -> bool:
    directives = {part.split("=")[0].strip().lower() for part in response.get("Cache-Control", "").split(",")}
    return bool(directives & NEVER_STORED)


def storable(response) -> bool:
    return (
        getattr(response, "cache_for_anonymous", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not forbids_storing(response)
    )


def cache_key(*parts: str) -> str:
    return "page-cache:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


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
        where = (content_version(), request.scheme, request.get_host(), request.path)
        params_key = cache_key("params", *where)
        params = cache.get(params_key)
        if params is not None:
            hit = cache.get(self.page_key(where, request, params))
            if hit is not None:
                return self.cached_response(*hit)
        response = self.get_response(request)
        if storable(response):
            params = response.cache_query_params
            headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
            cache.set_many(
                {params_key: params, self.page_key(where, request, params): (response.content, headers)}, seconds
            )
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def page_key(where: tuple, request, params: tuple) -> str:
        """Only the parameters the page reads, in a fixed order, each value once: `?b=2&a=1&a=1&utm=x` is `?a=1&b=2`."""
        query = urlencode(sorted({(name, value) for name in params for value in request.GET.getlist(name)}))
        return cache_key("page", *where, query)

    @staticmethod
    def cached_response(content: bytes, headers: dict) -> HttpResponse:
        response = HttpResponse(content)
        for name, value in headers.items():
            response[name] = value
        response["X-Page-Cache"] = "hit"
        return response
