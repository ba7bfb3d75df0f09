"""The reader's address behind a reverse proxy, for the throttles (which count per address) and the logs.

granian, like gunicorn's sync workers, hands Django the proxy's address. When the request comes from one of
TRUSTED_PROXIES, the address the proxy appended to X-Forwarded-For (the last one) is the reader's; anything
before it was sent by the client and is not trusted.
"""

from django.conf import settings


class TrustedProxyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded and request.META.get("REMOTE_ADDR") in settings.TRUSTED_PROXIES:
            request.META["REMOTE_ADDR"] = forwarded.split(",")[-1].strip()
        return self.get_response(request)
