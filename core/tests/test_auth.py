"""CONTRACT.md §3: tokens, refresh, logout (revocation), me, 401 and 403."""

from datetime import timedelta

import pytest
from rest_framework_simplejwt.tokens import AccessToken

from core.tests.api import CRM, RESOURCES

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token"
ACCOUNTS = "/api/v1/crm/accounts"


@pytest.fixture
def alice(make_user):
    return make_user("alice", perms=("accounts.view_account",))


def login(api_client, username="alice", password="pw-Secret-123"):
    return api_client.post(TOKEN, {"username": username, "password": password}, format="json")


def test_token_returns_access_and_refresh(api_client, alice):
    response = login(api_client)
    assert response.status_code == 200
    assert set(response.json()["data"]) >= {"access", "refresh"}


def test_wrong_credentials_answer_401(api_client, alice):
    body = login(api_client, password="wrong").json()
    assert body["code"] == 401 and body["data"] is None


def test_access_token_opens_the_api(api_client, alice):
    access = login(api_client).json()["data"]["access"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    assert api_client.get(ACCOUNTS).status_code == 200


def test_refresh_gives_a_new_working_access_token(api_client, alice):
    refresh = login(api_client).json()["data"]["refresh"]
    response = api_client.post(f"{TOKEN}/refresh", {"refresh": refresh}, format="json")
    assert response.status_code == 200
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['data']['access']}")
    assert api_client.get(ACCOUNTS).status_code == 200


def test_logout_revokes_the_refresh_token(api_client, alice):
    refresh = login(api_client).json()["data"]["refresh"]
    assert (
        api_client.post("/api/v1/auth/logout", {"refresh": refresh}, format="json").status_code
        == 200
    )
    response = api_client.post(f"{TOKEN}/refresh", {"refresh": refresh}, format="json")
    assert response.status_code == 401
    assert response.json()["code"] == 401


def test_logout_with_a_bad_token_answers_401(api_client):
    response = api_client.post("/api/v1/auth/logout", {"refresh": "garbage"}, format="json")
    assert response.status_code == 401 and response.json()["code"] == 401


def test_me_describes_the_current_user(api_client, alice):
    alice.display_name = "爱丽丝"
    alice.save()
    access = login(api_client).json()["data"]["access"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    data = api_client.get("/api/v1/auth/me").json()["data"]
    assert data["username"] == "alice"
    assert data["displayName"] == "爱丽丝"
    assert data["permissions"] == ["accounts.view_account"]
    assert data["groups"] == []


@pytest.mark.parametrize(
    "header",
    [None, "Bearer not-a-token", "Token abc", "Bearer "],
    ids=["missing", "garbage", "wrong-scheme", "empty"],
)
def test_crm_endpoints_need_a_valid_token(api_client, header):
    if header:
        api_client.credentials(HTTP_AUTHORIZATION=header)
    response = api_client.get(ACCOUNTS)
    assert response.status_code == 401
    assert response.json()["code"] == 401


@pytest.mark.parametrize("resource", RESOURCES)
def test_every_endpoint_of_every_resource_needs_a_token(api_client, resource):
    make, _not_found, methods = RESOURCES[resource]
    records = f"{CRM}/{resource}"
    record = f"{records}/{make().pk}"
    for method, url in [("get", records), ("post", records), *((m, record) for m in methods)]:
        response = getattr(api_client, method)(url)
        assert (response.status_code, response.json()["code"]) == (401, 401), (method, url)


def test_expired_access_token_answers_401(api_client, alice):
    token = AccessToken.for_user(alice)
    token.set_exp(lifetime=-timedelta(seconds=1))
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api_client.get(ACCOUNTS).json()["code"] == 401


def test_me_needs_a_token(api_client):
    assert api_client.get("/api/v1/auth/me").status_code == 401
