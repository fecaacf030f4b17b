"""Security and reliability promises of the kernel: request ids and the access log, hostile
input, token throttling, CORS and idempotent POSTs."""

import json
import logging
import threading

import pytest
from django.db import connection, connections

from accounts.models import Account
from conftest import client_for

pytestmark = pytest.mark.django_db

ACCOUNTS = "/api/v1/crm/accounts"


# --- request ids and the access log ------------------------------------------------------------


def test_every_response_carries_a_request_id(admin_client, api_client):
    for response in (
        admin_client.get(ACCOUNTS),
        api_client.get("/api/nowhere"),
        api_client.get(ACCOUNTS),
    ):
        assert len(response["X-Request-ID"]) >= 16


def test_a_sent_request_id_is_echoed_and_a_hostile_one_replaced(admin_client):
    assert admin_client.get(ACCOUNTS, HTTP_X_REQUEST_ID="abc-123")["X-Request-ID"] == "abc-123"
    assert admin_client.get(ACCOUNTS, HTTP_X_REQUEST_ID="a b\nc")["X-Request-ID"] != "a b\nc"


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []

    def emit(self, record):
        self.records.append(record)


def test_one_structured_access_line_per_request(admin_client):
    handler = _Collect()
    logger = logging.getLogger("crm.access")
    logger.addHandler(handler)
    try:
        admin_client.get(ACCOUNTS, HTTP_X_REQUEST_ID="req-1")
    finally:
        logger.removeHandler(handler)
    (record,) = handler.records
    assert (record.request_id, record.user, record.method, record.path, record.status) == (
        "req-1",
        "admin",
        "GET",
        ACCOUNTS,
        200,
    )
    assert record.duration_ms >= 0
    from core.logging import JsonFormatter

    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "req-1" and "time" in line and line["status"] == 200


# --- hostile input -----------------------------------------------------------------------------


def assert_400(response) -> None:
    assert response.status_code == 400, response.content
    assert response.json()["code"] == 400


def test_nul_bytes_in_a_body_answer_400_and_store_nothing(admin_client):
    assert_400(admin_client.post(ACCOUNTS, {"name": "a\x00b"}, format="json"))
    assert Account.all_objects.count() == 0


def test_nul_bytes_in_a_query_answer_400(admin_client):
    assert_400(admin_client.get(ACCOUNTS, {"name": "a\x00b"}))


def test_invalid_utf8_answers_400(admin_client):
    body = b'{"name": "\xff\xfe"}'
    assert_400(admin_client.post(ACCOUNTS, body, content_type="application/json"))


def test_deeply_nested_json_answers_400(admin_client):
    body = '{"name": ' + "[" * 100_000 + "]" * 100_000 + "}"
    assert_400(admin_client.post(ACCOUNTS, body, content_type="application/json"))


@pytest.mark.parametrize(
    "value",
    ["' OR 1=1 --", "'; DROP TABLE accounts_account; --", '" OR ""="', "%", "_", "\\"],
)
def test_sql_like_strings_in_filters_are_just_text(admin_client, value):
    Account.objects.create(account_no="ACC900", name="正常客户")
    for param in ("name", "accountNo", "industry", "region"):
        response = admin_client.get(ACCOUNTS, {param: value})
        assert response.status_code == 200
        assert response.json()["data"]["total"] == 0
    assert Account.objects.count() == 1


@pytest.mark.parametrize("amount", [10**30, -5, "1e400", "NaN", "Infinity"])
def test_absurd_amounts_answer_400(admin_client, amount):
    response = admin_client.post(ACCOUNTS, {"name": "x", "creditLimit": amount}, format="json")
    assert_400(response)
    assert "creditLimit" in response.json()["data"]


# --- throttling on the token endpoint ---------------------------------------------------------


def test_token_endpoint_has_a_stricter_rate(api_client, settings, make_user):
    make_user("alice")
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1000/min", "user": "1000/min", "auth": "3/min"},
    }
    body = {"username": "alice", "password": "wrong"}
    codes = [
        api_client.post("/api/v1/auth/token", body, format="json").status_code for _ in range(4)
    ]
    assert codes == [401, 401, 401, 429]
    assert api_client.get("/api/v1/auth/me").status_code == 401  # other endpoints unaffected


# --- CORS --------------------------------------------------------------------------------------


def test_cors_allows_the_configured_frontend_origin_only(api_client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://crm.example.com"]
    preflight = api_client.options(
        ACCOUNTS,
        HTTP_ORIGIN="https://crm.example.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization,content-type,idempotency-key",
    )
    assert preflight["Access-Control-Allow-Origin"] == "https://crm.example.com"
    assert "idempotency-key" in preflight["Access-Control-Allow-Headers"]
    other = api_client.get(ACCOUNTS, HTTP_ORIGIN="https://evil.example.net")
    assert "Access-Control-Allow-Origin" not in other


# --- idempotency -------------------------------------------------------------------------------


def test_a_retried_post_returns_the_first_answer_and_creates_once(admin_client):
    first = admin_client.post(ACCOUNTS, {"name": "幂等"}, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    again = admin_client.post(ACCOUNTS, {"name": "幂等"}, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Account.objects.count() == 1


def test_the_same_key_with_another_body_answers_422(admin_client):
    admin_client.post(ACCOUNTS, {"name": "a"}, format="json", HTTP_IDEMPOTENCY_KEY="k2")
    response = admin_client.post(ACCOUNTS, {"name": "b"}, format="json", HTTP_IDEMPOTENCY_KEY="k2")
    assert response.status_code == 422 and response.json()["code"] == 422
    assert Account.objects.count() == 1


def test_keys_are_per_user(admin_client, make_user):
    other = client_for(make_user("other", superuser=True))
    admin_client.post(ACCOUNTS, {"name": "a"}, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    other.post(ACCOUNTS, {"name": "a"}, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    assert Account.objects.count() == 2


def test_without_a_key_each_post_creates(admin_client):
    admin_client.post(ACCOUNTS, {"name": "a"}, format="json")
    admin_client.post(ACCOUNTS, {"name": "a"}, format="json")
    assert Account.objects.count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_concurrent_duplicate_answers_409(make_user, monkeypatch):
    user = make_user("admin", superuser=True)
    entered, release = threading.Event(), threading.Event()
    from accounts import services
    from accounts.views import AccountViewSet

    def slow_create(**kwargs):
        entered.set()
        release.wait(10)
        return services.account_create(**kwargs)

    monkeypatch.setattr(AccountViewSet, "create_service", staticmethod(slow_create))
    results = {}

    def post(name):
        try:
            response = client_for(user).post(
                ACCOUNTS, {"name": "并发"}, format="json", HTTP_IDEMPOTENCY_KEY="same"
            )
            results[name] = response.status_code
        finally:
            connections.close_all()

    first = threading.Thread(target=post, args=("first",))
    first.start()
    assert entered.wait(10)
    post("second")
    release.set()
    first.join()
    assert results == {"first": 200, "second": 409}
    assert Account.objects.count() == 1
