"""Request ids in logs: every log record says which request it belongs to.

`RequestIdMiddleware` takes the id from an `X-Request-ID` header when it is sane (a proxy's, so
one id follows a request through nginx and the app), makes one otherwise, returns it in the
response's `X-Request-ID`, and keeps it in a context variable that `RequestIdFilter` puts on
every record as `request_id` ("-" outside a request). The id is forgotten when the request is
finished, not when the middleware returns: Django logs 4xx and 5xx answers after every middleware.
"""

import logging
import re
import uuid
from contextvars import ContextVar

from django.core.signals import request_finished

HEADER = "X-Request-ID"
SANE = re.compile(r"[A-Za-z0-9._-]{8,64}")  # a uuid, a hex digest, nginx's $request_id; nothing to forge a log line
current_request_id: ContextVar[str] = ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = current_request_id.get()
        return True


def forget_request_id(**kwargs):
    current_request_id.set("-")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        request_finished.connect(forget_request_id, dispatch_uid="core-forget-request-id")

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        request.id = given if SANE.fullmatch(given) else uuid.uuid4().hex
        current_request_id.set(request.id)
        response = self.get_response(request)
        response[HEADER] = request.id
        return response
