"""What authentication and throttling cost per request, in process (issue 22, item 1).

Run against PostgreSQL and Redis, e.g.::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/crm BENCH_REDIS_URL=redis://127.0.0.1:6379/11 \\
        .venv/bin/python -m bench.auth_path

It migrates nothing: the database must be migrated. It creates one user (``bench-auth``) and
writes only keys under its own prefix in the given Redis database, deleting them at the end.
Prints the median microseconds of each step over ``BENCH_AUTH_SAMPLES`` (2000) calls:

- throttle: DRF's ``UserRateThrottle`` (what the project used: a pickled list of timestamps,
  GET + SET) with 0, 1,200 and 12,000 requests in its history, against the fixed-window counter
  (one pipelined INCR + EXPIRE) of ``core.api.throttling``;
- authentication: simplejwt's ``JWTAuthentication`` (one user query) against the project's
  (``core.api.authentication``), with the token user cache off and on.
"""

import os
import statistics
import time

SAMPLES = int(os.environ.get("BENCH_AUTH_SAMPLES", "2000"))
PREFIX = "bench-auth"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm_project.settings")
    os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
    import django

    django.setup()
    from django.conf import settings

    settings.CACHES["default"]["KEY_PREFIX"] = PREFIX


def _medians_us(calls: dict, samples: int = SAMPLES, rounds: int = 10) -> dict[str, float]:
    """Median microseconds per call of each of ``calls``, run in interleaved rounds so that a
    change in the machine's load during the run affects them alike."""
    timings: dict[str, list[float]] = {name: [] for name in calls}
    for before, call in calls.values():  # warm connections and caches
        before()
        for _ in range(20):
            call()
    for _ in range(rounds):
        for name, (before, call) in calls.items():
            before()
            for _ in range(max(1, samples // rounds)):
                started = time.perf_counter()
                call()
                timings[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) * 1e6 for name, values in timings.items()}


def _nothing() -> None:
    return None


def _request(user, token=None):
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    request = Request(APIRequestFactory().get("/api/v1/crm/accounts", **headers))
    if user is not None:
        request.user = user
    return request


class _View:
    throttle_scope = "user"

    def __init__(self) -> None:
        self.headers = {}


def throttle_figures(user) -> dict[str, float]:
    from django.core.cache import cache
    from rest_framework.throttling import UserRateThrottle

    from core.api.throttling import UserThrottle

    request = _request(user)
    calls = {}
    for history in (0, 1200, 12000):
        drf = UserRateThrottle()
        drf.rate = "1000000/min"
        drf.num_requests, drf.duration = drf.parse_rate(drf.rate)
        key = drf.get_cache_key(request, None)

        def seed(history=history, key=key):
            now = time.time()
            cache.set(key, [now - i * 0.001 for i in range(history)], 60)

        def check(drf=drf, history=history):
            drf.allow_request(request, None)
            if history:  # keep the history at its size: drop the entry this call added
                drf.history.pop(0)

        calls[f"DRF UserRateThrottle, history {history:>6,}"] = (seed, check)
    ours = UserThrottle()
    calls["fixed-window counter (any rate)"] = (
        _nothing,
        lambda: ours.allow_request(request, _View()),
    )
    return _medians_us(calls)


def authentication_figures(user) -> dict[str, float]:
    from django.conf import settings
    from rest_framework_simplejwt.authentication import JWTAuthentication as Simple

    from core.api.authentication import JWTAuthentication as Ours
    from core.tokens import AccessToken

    token = str(AccessToken.for_user(user))
    simple, ours = Simple(), Ours()

    def cache_seconds(seconds):
        return lambda: setattr(settings, "AUTH_USER_CACHE_SECONDS", seconds)

    return _medians_us(
        {
            "simplejwt JWTAuthentication (user query)": (
                _nothing,
                lambda: simple.authenticate(_request(None, token)),
            ),
            "project JWTAuthentication, user cache off": (
                cache_seconds(0),
                lambda: ours.authenticate(_request(None, token)),
            ),
            "project JWTAuthentication, user cache on": (
                cache_seconds(60),
                lambda: ours.authenticate(_request(None, token)),
            ),
            "(building the request, in each figure above)": (
                _nothing,
                lambda: _request(None, token),
            ),
        }
    )


def main() -> None:
    _setup()
    import redis
    from django.conf import settings
    from django.db import connection

    from core.models import User

    user, _created = User.objects.get_or_create(username="bench-auth")
    try:
        rows = {**throttle_figures(user), **authentication_figures(user)}
    finally:
        raw = redis.Redis.from_url(os.environ["REDIS_URL"])
        for key in raw.scan_iter(f"{PREFIX}:*"):
            raw.delete(key)
    print(
        f"{connection.vendor}, {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}, "
        f"median of {SAMPLES} calls, load {os.getloadavg()[0]:.2f}"
    )
    for name, microseconds in rows.items():
        print(f"{name:<50} {microseconds:8.0f} µs")


if __name__ == "__main__":
    main()
