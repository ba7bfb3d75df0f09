"""Requests carrying a NUL byte or a broken Unicode character get a plain 400, before any view sees them.

No honest browser sends either, but scripts do: PostgreSQL refuses NUL in text (a 500 in whichever view
stored or searched it), and a lone surrogate cannot be encoded back to UTF-8. Checking the raw query string,
path and form body once here saves every view and form from guarding each parameter.
"""

from urllib.parse import unquote_to_bytes

from django.http import HttpResponseBadRequest

MESSAGE = (
    "Bad request: the address or the form contains a character that cannot be used (a NUL byte or a broken "
    "Unicode character). Check what was typed or pasted, and try again."
)
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def is_bad(raw: bytes) -> bool:
    """A NUL, or UTF-8 that encodes a surrogate (U+D800–DFFF), once percent-escapes are undone."""
    data = unquote_to_bytes(raw.replace(b"+", b" ")) if b"%" in raw or b"+" in raw else raw
    if b"\x00" in data:
        return True
    if b"\xed" not in data:  # every encoded surrogate starts with 0xED: the common case stops here
        return False
    try:
        text = data.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return False  # other broken bytes: Django decodes them to U+FFFD, which is harmless
    return any("\ud800" <= char <= "\udfff" for char in text)


class BadInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.bad_request(request):
            return HttpResponseBadRequest(MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    def bad_request(self, request) -> bool:
        # WSGI and ASGI hand Django the raw bytes as latin-1 text: encoding back gives them unchanged.
        query = request.META.get("QUERY_STRING", "")
        if query and is_bad(query.encode("latin-1", "replace")):
            return True
        if "\x00" in request.path_info or any("\ud800" <= char <= "\udfff" for char in request.path_info):
            return True
        if request.method != "POST" or not request.content_type.startswith(FORM_TYPES):
            return False
        if request.content_type.startswith("multipart/"):
            # Uploads are parsed by Django (field values decoded with replacement); only NUL survives that.
            return any("\x00" in value for values in request.POST.lists() for value in values[1])
        return is_bad(request.body)
