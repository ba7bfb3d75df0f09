"""Headers every response carries that Django has no setting for, and the Content-Security-Policy."""

from csp.constants import HEADER
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.utils.functional import cached_property

# Powerful browser features the site never uses, switched off for it and for anything framed in it.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "interest-cohort",
    )
)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class SiteCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the site-wide policy built once instead of on every response.

    The policy comes from settings and no public view uses a nonce or a per-view override, so the header is the
    same string each time; a response that does use one (a nonce was asked for, `@csp_update`…) gets django-csp's
    own handling.
    """

    OVERRIDES = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")

    @cached_property
    def site_policy(self) -> str:
        return build_policy()

    def process_response(self, request, response):
        overridden = any(hasattr(response, name) for name in self.OVERRIDES)
        special = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None) or settings.DEBUG
        if overridden or special or getattr(request, "_csp_nonce", None) is not None:
            return super().process_response(request, response)
        excluded = request.path_info.startswith(tuple(settings.CONTENT_SECURITY_POLICY.get("EXCLUDE_URL_PREFIXES", ())))
        if not excluded and not getattr(response, "_csp_exempt", False):
            response.headers.setdefault(HEADER, self.site_policy)
        return response
