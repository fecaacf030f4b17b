"""Every answer is the {code, message, data} envelope with the status of CONTRACT.md §1."""

import logging

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

ACCOUNTS = "/api/v1/crm/accounts"


def assert_envelope(response, status: int, code: int):
    body = response.json()
    assert response.status_code == status, body
    assert set(body) == {"code", "message", "data"}
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    return body


def test_success_is_wrapped_with_message_success(admin_client):
    body = assert_envelope(admin_client.get(ACCOUNTS), 200, 200)
    assert body["message"] == "success"
    assert set(body["data"]) == {"list", "total", "page", "pageSize"}


def test_unknown_route_answers_404_envelope(admin_client):
    assert_envelope(admin_client.get("/api/v1/crm/no-such-thing"), 404, 404)
    assert_envelope(admin_client.post("/api/v1/nothing/here/", {}, format="json"), 404, 404)


def test_unknown_route_is_an_envelope_even_with_debug_on(admin_client, settings):
    settings.DEBUG = True
    assert_envelope(admin_client.get("/api/v1/crm/no-such-thing/"), 404, 404)


def test_wrong_method_answers_405_envelope(admin_client):
    assert_envelope(admin_client.patch(ACCOUNTS, {}, format="json"), 405, 405)
    assert_envelope(admin_client.delete(ACCOUNTS), 405, 405)


def test_unsupported_media_type_answers_415_envelope(admin_client):
    response = admin_client.post(ACCOUNTS, "name=x", content_type="text/plain")
    assert_envelope(response, 415, 415)


def test_unparseable_json_answers_400_envelope(admin_client):
    response = admin_client.post(ACCOUNTS, '{"name": ', content_type="application/json")
    assert_envelope(response, 400, 400)


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_body_over_the_limit_answers_413_envelope(admin_client):
    response = admin_client.post(ACCOUNTS, {"name": "x" * 5000}, format="json")
    assert_envelope(response, 413, 413)
    assert admin_client.get(ACCOUNTS).json()["data"]["total"] == 0


def test_throttled_requests_answer_429_with_retry_after(admin_client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/min", "user": "2/min"},
    }
    for _ in range(2):
        assert admin_client.get(ACCOUNTS).status_code == 200
    response = admin_client.get(ACCOUNTS)
    assert_envelope(response, 429, 429)
    assert int(response["Retry-After"]) > 0


def test_unexpected_error_answers_500_without_traceback_and_is_logged(
    admin_client, monkeypatch, caplog
):
    def explode(view):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr("accounts.views.AccountViewSet.get_queryset", explode)
    with caplog.at_level(logging.ERROR, logger="crm.errors"):
        response = admin_client.get(ACCOUNTS)
    body = assert_envelope(response, 500, 500)
    assert "secret internal detail" not in response.content.decode()
    assert "Traceback" not in response.content.decode()
    assert body["data"] is None
    assert any("secret internal detail" in (r.exc_text or "") for r in caplog.records)


def test_paths_answer_with_and_without_trailing_slash_without_redirect(admin_client):
    for path in (ACCOUNTS, f"{ACCOUNTS}/"):
        assert admin_client.get(path).status_code == 200
        created = admin_client.post(path, {"name": "上海贸易"}, format="json")
        assert created.status_code == 200
        account_id = created.json()["data"]["id"]
        assert admin_client.get(f"{ACCOUNTS}/{account_id}").status_code == 200
        assert admin_client.get(f"{ACCOUNTS}/{account_id}/").status_code == 200
    assert admin_client.get(ACCOUNTS).json()["data"]["total"] == 2


def test_chinese_text_round_trips_as_utf8(admin_client):
    name = "北京科技有限公司（总部）𠀀"
    account_id = admin_client.post(ACCOUNTS, {"name": name}, format="json").json()["data"]["id"]
    response = admin_client.get(f"{ACCOUNTS}/{account_id}")
    assert response["Content-Type"].startswith("application/json")
    assert name.encode() in response.content
    assert response.json()["data"]["name"] == name


def test_validation_errors_are_camel_case_and_one_line_summary(admin_client):
    response = admin_client.post(ACCOUNTS, {"name": "x", "creditLimit": -1}, format="json")
    body = assert_envelope(response, 400, 400)
    assert list(body["data"]) == ["creditLimit"]
    assert body["message"].startswith("creditLimit")
    assert "\n" not in body["message"]


def test_messages_are_chinese_by_default_and_english_on_request(admin_client):
    missing = f"{ACCOUNTS}/00000000-0000-0000-0000-000000000000"
    assert admin_client.get(missing).json()["message"] == "客户不存在"
    english = admin_client.get(missing, HTTP_ACCEPT_LANGUAGE="en").json()["message"]
    assert english == "Account does not exist."
