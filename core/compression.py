"""Compressed answers: brotli or gzip, as the browser's Accept-Encoding asks.

The page cache stores each public page already compressed both ways (`compressed_variants`) and serves the
one asked for; `CompressionMiddleware` compresses everything else on the way out.

BREACH: an answer that carries a secret (a CSRF token) and reflects what the request sent can leak the secret
through its compressed size. Such answers (Django sends them with its CSRF cookie) are compressed with gzip only,
with Django's "Heal the BREACH" random padding (`compress_string(max_random_bytes=…)`), never with brotli.
"""

import gzip
import hashlib

import brotli
from django.conf import settings
from django.utils.cache import patch_vary_headers
from django.utils.regex_helper import _lazy_re_compile
from django.utils.text import compress_string

MIN_SIZE = 200  # smaller answers gain nothing
COMPRESSIBLE = ("text/", "application/json", "application/ld+json", "application/javascript", "image/svg+xml")
CODING = _lazy_re_compile(r"^\s*([A-Za-z*-]+)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*$")
STORED_BROTLI_QUALITY = 9  # once per page and publish: small matters more than fast
LIVE_BROTLI_QUALITY = 4  # on every signed-in request: fast matters more
BREACH_PADDING = 100


def accepted(accept_encoding: str) -> set[str]:
    """The content codings the browser takes (q > 0), lower-case: {"br", "gzip"}."""
    codings = set()
    for part in accept_encoding.split(","):
        match = CODING.match(part)
        if match and float(match.group(2) or 1) > 0:
            codings.add(match.group(1).lower())
    return codings


def preferred(accept_encoding: str, offered=("br", "gzip")) -> str | None:
    """Brotli when the browser takes it (smaller), else gzip, else none."""
    codings = accepted(accept_encoding)
    return next((coding for coding in offered if coding in codings or "*" in codings), None)


def compressible(response) -> bool:
    return (
        not response.streaming
        and not response.has_header("Content-Encoding")
        and len(response.content) >= MIN_SIZE
        and response.get("Content-Type", "").startswith(COMPRESSIBLE)
    )


def compressed_variants(content: bytes) -> dict[str, bytes]:
    """What the page cache stores: the page compressed with brotli and with gzip (the identity is gunzipped
    on the rare request that asks for neither)."""
    return {
        "br": brotli.compress(content, quality=STORED_BROTLI_QUALITY),
        "gzip": gzip.compress(content, compresslevel=9, mtime=0),
    }


def entity_tag(content: bytes) -> str:
    return hashlib.blake2b(content, digest_size=12).hexdigest()


def etag_for(tag: str, coding: str | None) -> str:
    """A strong ETag per representation: each coding of a page is a different one (RFC 9110 8.8.3)."""
    return f'"{tag}-{coding}"' if coding else f'"{tag}"'


def matches(if_none_match: str, tag: str) -> bool:
    """If-None-Match uses the weak comparison: any coding of the same page matches."""
    return any(
        candidate.strip().removeprefix("W/").strip('"').split("-")[0] == tag or candidate.strip() == "*"
        for candidate in if_none_match.split(",")
    )


class CompressionMiddleware:
    """Compress what the page cache did not already: brotli or gzip, gzip with padding for answers with a secret."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not compressible(response):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        # Django sends the CSRF cookie (again) whenever the page used the token (`get_token`)
        with_secret = settings.CSRF_COOKIE_NAME in response.cookies
        coding = preferred(request.META.get("HTTP_ACCEPT_ENCODING", ""), ("gzip",) if with_secret else ("br", "gzip"))
        if coding == "br":
            content = brotli.compress(response.content, quality=LIVE_BROTLI_QUALITY)
        elif coding == "gzip":
            content = compress_string(response.content, max_random_bytes=BREACH_PADDING if with_secret else 0)
        else:
            return response
        if len(content) >= len(response.content):
            return response
        response.content = content
        response["Content-Length"] = str(len(content))
        response["Content-Encoding"] = coding
        if response.has_header("ETag"):  # another representation: its tag must differ (RFC 9110 8.8.3)
            response["ETag"] = response["ETag"].removesuffix('"') + f'-{coding}"'
        return response
