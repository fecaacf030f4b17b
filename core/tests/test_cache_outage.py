"""Redis down does not take the API down: throttling, the login lockout, the token-user cache and
analytics caching fail open, the outage is logged once and readable by a health check, and
everything is back in Redis once it returns. A real redis-server of the test's own is stopped,
paused and started again between requests."""

import logging
import os
import signal
import time

import pytest

from core.cache import cache_health
from core.tests.redis_server import redis_server  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

CRM = "/api/v1/crm"
PASSWORD = "pw-Secret-123"


@pytest.fixture
def api(redis_server, settings, make_user, api_client):  # noqa: F811 (fixture)
    settings.ANALYTICS_CACHE_SECONDS = 60
    settings.AUTH_USER_CACHE_SECONDS = 60
    settings.CACHE_RETRY_SECONDS = 0.2
    settings.CACHE_WARNING_SECONDS = 3600  # one warning for the whole outage
    make_user("boss", superuser=True)
    login = api_client.post(
        "/api/v1/auth/token", {"username": "boss", "password": PASSWORD}, format="json"
    )
    assert login.status_code == 200
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {login.json()['data']['access']}")
    account = api_client.post(f"{CRM}/accounts", {"name": "缓存故障客户"}, format="json")
    assert account.status_code == 200
    state = {"refresh": login.json()["data"]["refresh"], "account": account.json()["data"]["id"]}

    def login_again(client):
        body = {"username": "boss", "password": PASSWORD}
        return client.post("/api/v1/auth/token", body, format="json")

    def refresh(client):
        response = client.post(
            "/api/v1/auth/token/refresh", {"refresh": state["refresh"]}, format="json"
        )
        if response.status_code == 200:
            state["refresh"] = response.json()["data"]["refresh"]
        return response

    calls = {
        "account list": lambda c: c.get(f"{CRM}/accounts"),
        "account detail": lambda c: c.get(f"{CRM}/accounts/{state['account']}"),
        "account create": lambda c: c.post(f"{CRM}/accounts", {"name": "新客户"}, format="json"),
        "analytics overview": lambda c: c.get(f"{CRM}/analytics/overview"),
        "analytics trends": lambda c: c.get(f"{CRM}/analytics/trends", {"metric": "customers"}),
        "me": lambda c: c.get("/api/v1/auth/me"),
        "login": login_again,
        "refresh": refresh,
    }
    assert_all_succeeded(run(api_client, calls))  # with Redis up
    return api_client, calls


def run(client, calls, *, rounds: int = 1, events=None) -> dict[str, tuple[int, object]]:
    """Every call ``rounds`` times; ``events[n]()`` runs just before the n-th request."""
    answers = {}
    for position, name in enumerate(list(calls) * rounds):
        if events and position in events:
            events[position]()
        response = calls[name](client)
        answers[f"{position}:{name}"] = (response.status_code, response.json()["code"])
    return answers


def assert_all_succeeded(answers):
    failed = {name: answer for name, answer in answers.items() if answer != (200, 200)}
    assert not failed, failed


def test_every_request_succeeds_while_redis_stops_and_comes_back(
    api,
    redis_server,  # noqa: F811 (fixture)
    caplog,
):
    client, calls = api
    assert cache_health(probe=True)["ok"]

    with caplog.at_level(logging.WARNING, logger="crm.cache"):
        # Stopped in the middle of a round of requests, then rounds with Redis gone.
        stop = {len(calls) // 2: redis_server.stop}
        assert_all_succeeded(run(client, calls, rounds=3, events=stop))

        health = cache_health()
        assert health["ok"] is False
        assert health["degradedSince"] and health["lastError"]
        assert cache_health(probe=True)["ok"] is False
        outages = [r for r in caplog.records if "Shared cache unavailable" in r.getMessage()]
        assert len(outages) == 1  # logged once, not once per request

        redis_server.start()  # the same port, empty
        time.sleep(0.3)  # past CACHE_RETRY_SECONDS: the next call tries Redis again
        assert_all_succeeded(run(client, calls))

    assert cache_health()["ok"] is True
    assert any("available again" in r.getMessage() for r in caplog.records)
    # Throttling and caching are back in Redis.
    keys = {key.decode() for key in redis_server.client().keys("*")}
    assert any("throttle_user_" in key for key in keys), keys
    assert any("analytics:" in key for key in keys), keys
    assert any("auth_user:" in key for key in keys), keys


def test_a_hung_redis_costs_one_timeout_per_retry_interval_not_one_per_request(
    api,
    redis_server,  # noqa: F811 (fixture)
    settings,
):
    client, calls = api
    settings.CACHE_RETRY_SECONDS = 3600  # the whole test is one retry interval
    os.kill(redis_server.process.pid, signal.SIGSTOP)  # accepts connections, never answers
    try:
        answers = run(client, calls, rounds=3)
        health = cache_health()
    finally:
        os.kill(redis_server.process.pid, signal.SIGCONT)
    assert_all_succeeded(answers)
    # 24 requests, each with several cache calls: only the first waited for Redis to time out.
    assert health["ok"] is False
    assert health["failures"] == 1
    assert "Timeout" in health["lastError"]
