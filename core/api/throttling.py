"""Rate limits: fixed-window counters in the shared cache, one round trip per request.

Each scope allows ``N`` requests per window (``"60/min"``: 60 per calendar minute) per client:
the user for token-bearing requests, else the client address. A counter is one Redis key per
client and window, incremented and given its expiry in one pipelined round trip, whatever the
rate (DRF's own throttles read and rewrite a pickled list of every request's timestamp). A
fixed window lets a client spend up to twice the rate across a window boundary; that is the
price of one counter.

Rates are read at request time, so settings can change them. Every throttled response carries
``RateLimit-Limit``, ``RateLimit-Remaining`` and ``RateLimit-Reset`` (IETF RateLimit header
fields draft; the most restrictive applicable limit); a refusal is DRF's 429 with
``Retry-After``. When the cache is unreachable, requests are let through (core.cache).

The client address is ``REMOTE_ADDR``, unless that is one of ``TRUSTED_PROXIES``: then it is
the right-most address of ``X-Forwarded-For`` that is not a trusted proxy, the hop the proxies
saw connecting. A client can prepend whatever it likes to that header; only what our own
proxies appended counts.
"""

import ipaddress
import math
import time
from functools import lru_cache

from django.conf import settings
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from core.cache import shared

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies)


def _address(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def client_address(request) -> str:
    """The address of the client, trusting ``X-Forwarded-For`` only from ``TRUSTED_PROXIES``."""
    meta = request.META
    remote = meta.get("REMOTE_ADDR") or ""
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    nearest = _address(remote)
    if nearest is None or not any(nearest in network for network in networks):
        return remote
    for hop in reversed(meta.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(hop)
        if address is None:
            break  # garbage our proxy passed on: the last trusted hop is all we know
        nearest = address
        if not any(address in network for network in networks):
            break
    return str(nearest)


def parse_rate(rate: str) -> tuple[int, int]:
    """``"10/min"`` -> ``(10, 60)``."""
    number, period = rate.split("/")
    return int(number), PERIODS[period.strip()[0]]


class Window:
    """One client's count in the current fixed window of a rate."""

    def __init__(self, limit: int, seconds: int, count: int, now: float) -> None:
        self.limit, self.count = limit, count
        self.reset = max(1, math.ceil((now // seconds + 1) * seconds - now))

    @property
    def allowed(self) -> bool:
        return self.count <= self.limit

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.count)


def window_key(scope: str, ident: str, seconds: int, now: float) -> str:
    return f"throttle_{scope}_{ident}:{int(now // seconds)}"


def count_request(scope: str, ident: str, rate: str) -> Window | None:
    """Count one request of ``ident`` against ``rate``; None when the cache is unavailable."""
    limit, seconds = parse_rate(rate)
    now = time.time()
    counts = shared.count_hits([window_key(scope, ident, seconds, now)], seconds)
    if counts is None:
        return None
    return Window(limit, seconds, counts[0], now)


def rate_for(scope: str) -> str | None:
    return api_settings.DEFAULT_THROTTLE_RATES.get(scope)


def publish_headers(view, window: Window) -> None:
    """Put the RateLimit fields on the view's response (DRF copies ``view.headers`` onto every
    response, errors included); with several limits, the one with the least left wins."""
    shown = getattr(view, "_rate_limit_window", None)
    if shown is not None and shown.remaining <= window.remaining:
        return
    view._rate_limit_window = window
    view.headers["RateLimit-Limit"] = str(window.limit)
    view.headers["RateLimit-Remaining"] = str(window.remaining)
    view.headers["RateLimit-Reset"] = str(window.reset)


class RateThrottle(BaseThrottle):
    scope: str = ""

    def get_scope(self, view) -> str:
        return self.scope

    def get_ident(self, request, view) -> str | None:
        """Whom to count, or None not to count this request."""
        raise NotImplementedError

    def allow_request(self, request, view) -> bool:
        scope = self.get_scope(view)
        rate = rate_for(scope) if scope else None
        ident = self.get_ident(request, view) if rate else None
        if ident is None:
            return True
        window = count_request(scope, ident, rate)
        if window is None:
            return True  # the cache is down: serve rather than refuse (core.cache)
        self.window = window
        publish_headers(view, window)
        return window.allowed

    def wait(self) -> int:
        return self.window.reset


class AnonThrottle(RateThrottle):
    """Requests without a token, per client address."""

    scope = "anon"

    def get_ident(self, request, view):
        return None if request.user.is_authenticated else client_address(request)


class UserThrottle(RateThrottle):
    """Requests with a token, per user."""

    scope = "user"

    def get_ident(self, request, view):
        return str(request.user.pk) if request.user.is_authenticated else None


class ScopedThrottle(RateThrottle):
    """The view's own ``throttle_scope``: per user with a token, else per client address."""

    def get_scope(self, view) -> str:
        return getattr(view, "throttle_scope", "")

    def get_ident(self, request, view):
        if request.user.is_authenticated:
            return str(request.user.pk)
        return client_address(request)
