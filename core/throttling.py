"""Throttles, counted per address in the configured cache (Redis when REDIS_URL is set).

Sign-in: django-axes locks an account out for one address after AXES_FAILURE_LIMIT failures (the username and
the address together, because a whole school shares one address). Elsewhere django-ratelimit: wrong class
codes, quiz submissions and searches, each at a rate from settings so tests can lift them. Every refusal is
the same friendly 429 page with a Retry-After header.
"""

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import get_usage

WRONG_CODES = "wrong-class-codes"  # one count for /join/ and the quiz form's class code


def too_many_requests(request, retry_after: int = 60, message: str = ""):
    response = render(
        request,
        "429.html",
        {"message": message, "minutes": max(1, round(retry_after / 60))},
        status=429,
    )
    response["Retry-After"] = str(int(retry_after))
    return response


def ratelimited(request, exception):
    """RATELIMIT_VIEW: what a view throttled by @ratelimit answers (rates are per minute)."""
    return too_many_requests(request, 60)


def locked_out(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the sign-in page's answer to an account locked for this address."""
    seconds = settings.AXES_COOLOFF_TIME.total_seconds()
    message = (
        "Too many wrong passwords for this account from your network. "
        f"Wait {round(seconds / 60)} minutes and try again, or ask an administrator to reset your password."
    )
    return too_many_requests(request, seconds, message)


def setting_rate(name: str):
    """A rate read from settings at each request (django-ratelimit calls it with the group and request)."""
    return lambda group, request: getattr(settings, name)


def class_code_usage(request, increment: bool):
    return get_usage(
        request, group=WRONG_CODES, key="ip", rate=settings.THROTTLE_WRONG_CLASS_CODES, increment=increment
    )


def class_code_refusal(request, wrong: bool = False):
    """A 429 once an address has typed more wrong class codes than the rate allows, else None.

    Call it before looking a code up (a right code must not get through past the limit either, or the
    guessing goes on) and again with wrong=True after a wrong one, which counts it.
    """
    usage = class_code_usage(request, increment=wrong)
    if usage is None or not usage["should_limit"]:
        return None
    message = "Too many class codes that do not exist were tried from your network. Check the code with your teacher."
    return too_many_requests(request, max(1, usage["time_left"]), message)
