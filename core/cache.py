"""The shared cache, failing open: when Redis is unreachable the API still answers.

Throttle counters, the login lockout, the authenticated-user cache and analytics figures all
live in the default cache (Redis in production). None of them is worth an outage: if a cache
call fails, ``shared`` answers as if the cache were empty (no throttle count, a cache miss, a
write that did not happen), logs a warning at most once per ``CACHE_WARNING_SECONDS``, and
remembers the degraded state for a health check (``cache_health()``). After a failure the
cache is left alone for ``CACHE_RETRY_SECONDS`` (requests do not each wait for a dead server),
then tried again; the first call that succeeds ends the degraded state.

The state is per process: each server process learns of the outage from its own calls.
"""

import logging
import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.signals import setting_changed
from redis.exceptions import RedisError

logger = logging.getLogger("crm.cache")

T = TypeVar("T")
# What an unreachable, restarting or overloaded Redis raises through Django's cache backend.
CACHE_ERRORS = (RedisError, OSError)


class _Health:
    """This process's view of the shared cache."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.degraded_since: float | None = None
        self.last_error = ""
        self.failures = 0
        self.retry_at = 0.0
        self.warned_at: float | None = None

    def failed(self, error: Exception) -> None:
        now = time.time()
        with self.lock:
            first = self.degraded_since is None
            if first:
                self.degraded_since = now
            self.failures += 1
            self.last_error = f"{type(error).__name__}: {error}"
            self.retry_at = time.monotonic() + settings.CACHE_RETRY_SECONDS
            interval = settings.CACHE_WARNING_SECONDS
            warn = self.warned_at is None or now - self.warned_at >= interval
            if warn:
                self.warned_at = now
        if warn:
            logger.warning(
                "Shared cache unavailable since %s (%s failed calls; last: %s); serving "
                "without throttling and caching",
                _iso(self.degraded_since),
                self.failures,
                self.last_error,
            )

    def succeeded(self) -> None:
        if self.degraded_since is None:  # the common case: no lock, no work
            return
        with self.lock:
            since, self.degraded_since = self.degraded_since, None
            self.failures, self.warned_at, self.retry_at = 0, None, 0.0
        if since is not None:
            logger.warning("Shared cache available again (unavailable since %s)", _iso(since))

    def resting(self) -> bool:
        """True while a recent failure says not to try yet."""
        return self.degraded_since is not None and time.monotonic() < self.retry_at


_health = _Health()


def _iso(timestamp: float | None) -> str | None:
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def guarded(call: Callable[[], T], default: T) -> T:
    """``call()``, or ``default`` when the cache fails (or failed a moment ago)."""
    if _health.resting():
        return default
    try:
        result = call()
    except CACHE_ERRORS as error:
        _health.failed(error)
        return default
    _health.succeeded()
    return result


def cache_health(*, probe: bool = False) -> dict[str, Any]:
    """The shared cache as this process last found it; ``probe`` asks the cache first.

    ``{"ok", "backend", "degradedSince", "failures", "lastError"}``: for a readiness check,
    which should report the cache degraded but keep the server in service (the API works
    without it).
    """
    if probe:
        _health.retry_at = 0.0  # a probe always asks, even while resting
        guarded(lambda: caches["default"].get("health:probe"), None)
    return {
        "ok": _health.degraded_since is None,
        "backend": type(caches["default"]).__name__,
        "degradedSince": _iso(_health.degraded_since),
        "failures": _health.failures,
        "lastError": _health.last_error or None,
    }


class FailOpenCache:
    """The calls the project makes on the default cache, each failing open."""

    @property
    def backend(self):
        return caches["default"]  # looked up per call: tests swap CACHES

    def get(self, key: str, default: Any = None) -> Any:
        return guarded(lambda: self.backend.get(key, default), default)

    def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        keys = list(keys)
        return guarded(lambda: self.backend.get_many(keys), {})

    def set(self, key: str, value: Any, timeout: float | None) -> None:
        guarded(lambda: self.backend.set(key, value, timeout), None)

    def add(self, key: str, value: Any, timeout: float | None) -> bool:
        """False when the key exists or the cache is unavailable."""
        return guarded(lambda: self.backend.add(key, value, timeout), False)

    def delete(self, key: str) -> None:
        guarded(lambda: self.backend.delete(key), None)

    def incr(self, key: str, delta: int = 1) -> int | None:
        """Raises ValueError for a missing key, as Django's cache does; None when unavailable."""
        return guarded(lambda: self.backend.incr(key, delta), None)

    def count_hits(self, keys: list[str], seconds: int) -> list[int] | None:
        """Add one to each fixed-window counter in ``keys`` (created to expire after
        ``seconds``) and return their new values, in one round trip; None when unavailable."""
        return guarded(lambda: _count_hits(self.backend, keys, seconds), None)


def _count_hits(backend, keys: list[str], seconds: int) -> list[int]:
    if isinstance(backend, RedisCache):
        # Django's cache API has no pipeline; its Redis backend hands out the redis-py client.
        names = [backend.make_and_validate_key(key) for key in keys]
        pipeline = backend._cache.get_client(names[0], write=True).pipeline(transaction=False)
        for name in names:
            pipeline.incr(name)
            pipeline.expire(name, seconds)
        return pipeline.execute()[::2]
    counts = []
    for key in keys:  # a per-process cache: its own lock makes add + incr safe enough
        backend.add(key, 0, seconds)
        try:
            counts.append(backend.incr(key))
        except ValueError:  # expired between the two calls: this is the window's first hit
            backend.set(key, 1, seconds)
            counts.append(1)
    return counts


shared = FailOpenCache()


def _reset_on_cache_change(setting, **kwargs) -> None:
    if setting == "CACHES":
        _health.reset()


setting_changed.connect(_reset_on_cache_change, dispatch_uid="core-cache-health-reset")
