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
The key also holds the build's static-files fingerprint: a cached page names hashed files
(`site.3eb0….css`), so after a deploy with new ones (or during a rolling one, old and new servers
side by side on one Redis) each build reads and fills only its own pages.
"""

import gzip
import hashlib
import time
from functools import cache as once
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpResponse, HttpResponseNotModified
from wagtail.models import Page, PageViewRestriction

from core.compression import compressed_variants, entity_tag, etag_for, matches, preferred

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
# This process's copies of the pages it served lately, in front of the shared cache: a hit then reads the shared
# cache once (the content version), not three times (a file read and a zlib inflate each without Redis). Safe
# because every key holds the content version: a publish anywhere changes the keys, so no copy outlives it.
NEARBY = LocMemCache("page-cache-nearby", {"TIMEOUT": 300, "OPTIONS": {"MAX_ENTRIES": 300}})


def content_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, str(time.time_ns()), None)
        version = cache.get(VERSION_KEY)
    return version


@once
def build_fingerprint() -> str:
    """The static-files manifest's hash (empty without a manifest, as in tests): fixed for a process's life."""
    return getattr(staticfiles_storage, "manifest_hash", "") or ""


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


def keep_private(response):
    """What the page cache does not store is for this reader only: no shared cache (a CDN) may keep it."""
    if not response.has_header("Cache-Control"):
        response["Cache-Control"] = "private"
    elif "public" not in response["Cache-Control"] and "private" not in response["Cache-Control"]:
        response["Cache-Control"] = "private, " + response["Cache-Control"]
    return response


def nearby_or_shared(key: str):
    value = NEARBY.get(key)
    if value is None:
        value = cache.get(key)
        if value is not None:
            NEARBY.set(key, value)
    return value


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
            return keep_private(self.get_response(request))
        where = (content_version(), build_fingerprint(), request.scheme, request.get_host(), request.path)
        params_key = cache_key("params", *where)
        params = nearby_or_shared(params_key)
        if params is not None:
            hit = nearby_or_shared(self.page_key(where, request, params))
            if hit is not None:
                return self.cached_response(request, hit)
        response = self.get_response(request)
        if not storable(response):
            return keep_private(response)
        params = response.cache_query_params
        headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
        page = {"tag": entity_tag(response.content), "headers": headers, **compressed_variants(response.content)}
        cache.set_many({params_key: params, self.page_key(where, request, params): page}, seconds)
        response = self.cached_response(request, page)
        response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def page_key(where: tuple, request, params: tuple) -> str:
        """Only the parameters the page reads, in a fixed order, each value once: `?b=2&a=1&a=1&utm=x` is `?a=1&b=2`."""
        query = urlencode(sorted({(name, value) for name in params for value in request.GET.getlist(name)}))
        return cache_key("page", *where, query)

    @staticmethod
    def cached_response(request, page: dict) -> HttpResponse:
        """The stored page in the coding the browser asks for (or 304 if it has it), with its ETag."""
        coding = preferred(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        if matches(request.META.get("HTTP_IF_NONE_MATCH", ""), page["tag"]):
            response = HttpResponseNotModified()
        elif coding is None:  # a client that takes neither brotli nor gzip: rare, so not stored
            response = HttpResponse(gzip.decompress(page["gzip"]))
        else:
            response = HttpResponse(page[coding])
            response["Content-Encoding"] = coding
        for name, value in page["headers"].items():
            response[name] = value
        response["ETag"] = etag_for(page["tag"], coding)
        response["Vary"] = "Accept-Encoding"
        # Browsers check back (a 304 is cheap); a CDN may hold the page for a while (and is purged on publish).
        response["Cache-Control"] = f"public, max-age=0, s-maxage={settings.SHARED_CACHE_SECONDS}"
        response["X-Page-Cache"] = "hit"
        response.cache_for_anonymous = True  # shareable, as the answer it was made from
        return response
