"""Throttle counters and idempotency records live in the shared cache (Redis via REDIS_URL),
so several server processes enforce one limit."""

import os
import socket

import pytest
import redis
from django.core.cache import caches

from core.tests.processes import run_python

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/15"


def redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


needs_redis = pytest.mark.skipif(not redis_up(), reason="no Redis on 127.0.0.1:6379")


def test_redis_url_selects_the_redis_cache():
    result = run_python(
        "manage.py",
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        env={**os.environ, "REDIS_URL": REDIS_URL},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].endswith("RedisCache")


@needs_redis
def test_throttle_counts_are_shared_through_redis(admin_client, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100/min", "user": "3/min", "auth": "100/min"},
    }
    raw = redis.Redis.from_url(REDIS_URL)
    raw.flushdb()
    try:
        for _ in range(2):
            assert admin_client.get("/api/v1/crm/accounts").status_code == 200
        # Another process would see the same counter: read it straight from Redis.
        keys = [key for key in raw.keys("*") if b"throttle_user_" in key]
        assert len(keys) == 1
        # A third request from "another process" (a fresh cache connection) still counts.
        caches["default"].close()
        assert admin_client.get("/api/v1/crm/accounts").status_code == 200
        assert admin_client.get("/api/v1/crm/accounts").status_code == 429
    finally:
        raw.flushdb()
