"""Every throttled answer says how much of the rate is left (IETF RateLimit header fields), a 429
keeps Retry-After, browsers may read them (CORS), and the count costs one Redis round trip
whatever the rate (issue 20, item 14; issue 22, item 1)."""

import pytest
import redis.connection

from core.tests.redis_server import redis_server  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

ACCOUNTS = "/api/v1/crm/accounts"
HEADERS = ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")


@pytest.fixture
def rates(settings):
    def set_rates(**rates):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {
                **{"anon": "50/min", "user": "40/min", "auth": "30/min"},
                **rates,
            },
        }

    set_rates()
    return set_rates


def limits(response) -> tuple[int, int, int]:
    return tuple(int(response[name]) for name in HEADERS)


def _token(api_client, make_user):
    make_user("alice")
    body = {"username": "alice", "password": "pw-Secret-123"}
    return api_client.post("/api/v1/auth/token", body, format="json")


ENDPOINTS = {
    # name: (request, expected limit)
    "crm list (user rate)": (lambda c, **kw: c.get(ACCOUNTS, **kw), 40),
    "auth/me (user rate)": (lambda c, **kw: c.get("/api/v1/auth/me", **kw), 40),
    "analytics (user rate)": (lambda c, **kw: c.get("/api/v1/crm/analytics/overview", **kw), 40),
    "token (auth rate)": (
        lambda c, **kw: c.post(
            "/api/v1/auth/token", {"username": "x", "password": "y"}, format="json", **kw
        ),
        30,
    ),
    "token refresh (auth rate)": (
        lambda c, **kw: c.post("/api/v1/auth/token/refresh", {"refresh": "x"}, format="json", **kw),
        30,
    ),
    "schema (anonymous rate)": (lambda c, **kw: c.get("/api/v1/schema", **kw), 50),
}


@pytest.mark.parametrize("name", ENDPOINTS)
def test_every_throttled_endpoint_answers_the_ratelimit_headers(name, rates, admin_client):
    send, limit = ENDPOINTS[name]
    first, second = send(admin_client), send(admin_client)
    assert limits(first)[:2] == (limit, limit - 1)
    assert limits(second)[:2] == (limit, limit - 2)
    assert 1 <= limits(second)[2] <= 60  # seconds until the window resets


def test_a_429_keeps_retry_after_and_shows_nothing_left(rates, admin_client):
    rates(user="2/min")
    assert [admin_client.get(ACCOUNTS).status_code for _ in range(2)] == [200, 200]
    refused = admin_client.get(ACCOUNTS)
    assert refused.status_code == 429 and refused.json()["code"] == 429
    limit, remaining, reset = limits(refused)
    assert (limit, remaining) == (2, 0)
    assert int(refused["Retry-After"]) == reset
    assert 1 <= reset <= 60


def test_the_tighter_limit_is_shown_when_several_apply(rates, api_client, make_user):
    rates(auth="3/min")
    response = _token(api_client, make_user)
    assert limits(response)[:2] == (3, 2)


def test_browsers_may_read_the_ratelimit_headers(rates, admin_client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://crm.example.com"]
    response = admin_client.get(ACCOUNTS, HTTP_ORIGIN="https://crm.example.com")
    exposed = response["Access-Control-Expose-Headers"].lower().replace(" ", "").split(",")
    assert {name.lower() for name in HEADERS} | {"retry-after"} <= set(exposed)


@pytest.mark.slow
def test_the_throttle_costs_one_redis_round_trip_whatever_the_history(
    rates,
    admin_client,
    redis_server,  # noqa: F811 (fixture)
    monkeypatch,
    settings,
):
    rates(user="100000/min")
    settings.AUTH_USER_CACHE_SECONDS = 0  # only the throttle talks to Redis on this request
    round_trips = []
    send = redis.connection.AbstractConnection.send_packed_command

    def counted(connection, command, *args, **kwargs):
        round_trips.append(command)
        return send(connection, command, *args, **kwargs)

    monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command", counted)
    raw = redis_server.client()

    def one_request() -> tuple[int, int]:
        round_trips.clear()
        assert admin_client.get(ACCOUNTS).status_code == 200
        sent = len(round_trips)
        (key,) = [k for k in raw.keys("*") if b"throttle_user_" in k]
        return sent, raw.strlen(key)

    one_request()  # opens the connection (a handshake once per connection, not per request)
    early = one_request()
    for _ in range(60):
        later = one_request()
    assert early[0] == later[0] == 1
    assert later[1] <= 8  # a counter, not a history that grows with every request
