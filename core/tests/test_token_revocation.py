"""Changing a password, deactivating or deleting a user ends every session of that user: refresh
and access tokens minted before answer 401 at once (issue 20, item 3)."""

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from rest_framework.test import APIClient

from core.models import User

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token"
REFRESH = "/api/v1/auth/token/refresh"
ME = "/api/v1/auth/me"
PASSWORD = "pw-Secret-123"


class QuickPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """A preferred hasher other than the one the password was stored with: logging in
    upgrades the stored hash."""

    iterations = 1000


@pytest.fixture(params=[0, 60], ids=["user-uncached", "user-cached"])
def user_cache(request, settings):
    """Every promise holds with the token-user cache off (default without Redis) and on."""
    settings.AUTH_USER_CACHE_SECONDS = request.param


def login(username="alice", password=PASSWORD) -> dict:
    response = APIClient().post(TOKEN, {"username": username, "password": password}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()["data"]


def me(access):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client.get(ME)


def refresh(token):
    return APIClient().post(REFRESH, {"refresh": token}, format="json")


def assert_401(response):
    assert response.status_code == 401, response.json()
    body = response.json()
    assert body["code"] == 401 and body["data"] is None


@pytest.fixture
def alice(make_user):
    return make_user("alice")


@pytest.fixture
def session(alice, user_cache):
    tokens = login()
    assert me(tokens["access"]).status_code == 200  # and, with the cache on, the user is cached
    return tokens


def test_a_password_change_revokes_refresh_and_access_tokens(alice, session):
    alice.set_password("a-New-pw-456")
    alice.save()
    assert_401(refresh(session["refresh"]))
    assert_401(me(session["access"]))
    fresh = login(password="a-New-pw-456")
    assert me(fresh["access"]).status_code == 200
    assert refresh(fresh["refresh"]).status_code == 200


def test_a_password_changed_in_the_admin_revokes_the_tokens(alice, session, admin_user):
    admin = APIClient()
    admin.force_login(admin_user)
    response = admin.post(
        f"/admin/core/user/{alice.pk}/password/",
        {"password1": "a-New-pw-456", "password2": "a-New-pw-456", "usable_password": "true"},
    )
    assert response.status_code == 302  # saved, back to the user
    assert_401(refresh(session["refresh"]))
    assert_401(me(session["access"]))


def test_disabling_password_login_revokes_the_tokens(alice, session):
    alice.set_unusable_password()
    alice.save()
    assert_401(refresh(session["refresh"]))
    assert_401(me(session["access"]))


def test_deactivation_revokes_the_tokens_for_good(alice, session):
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert_401(refresh(session["refresh"]))
    assert_401(me(session["access"]))
    alice.is_active = True
    alice.save()
    # Reactivated: the old tokens stay dead, a new login works.
    assert_401(refresh(session["refresh"]))
    assert_401(me(session["access"]))
    assert me(login()["access"]).status_code == 200


def test_a_deactivation_in_the_admin_revokes_the_tokens(alice, session, admin_user):
    admin = APIClient()
    admin.force_login(admin_user)
    response = admin.post(
        f"/admin/core/user/{alice.pk}/change/",
        {
            "username": "alice",
            "is_active": "",
            "date_joined_0": "2024-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    alice.refresh_from_db()
    assert alice.is_active is False
    assert_401(refresh(session["refresh"]))
    alice.is_active = True
    alice.save()
    assert_401(refresh(session["refresh"]))  # ended, not suspended
    assert_401(me(session["access"]))


def test_a_deleted_users_tokens_answer_401_not_500(alice, session):
    User.objects.filter(pk=alice.pk).delete()
    assert_401(refresh(session["refresh"]))
    assert_401(me(session["access"]))


def test_other_saves_and_hash_upgrades_keep_the_session(alice, session, settings):
    alice.display_name = "爱丽丝"
    alice.save()
    settings.PASSWORD_HASHERS = [
        "core.tests.test_token_revocation.QuickPBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    login()  # checks the MD5 hash and stores it again with the preferred hasher
    alice.refresh_from_db()
    assert alice.password.startswith("pbkdf2_sha256$1000$")
    assert me(session["access"]).json()["data"]["displayName"] == "爱丽丝"
    assert refresh(session["refresh"]).status_code == 200


def test_other_users_keep_their_sessions(alice, session, make_user):
    make_user("bob")
    bobs = login("bob")
    alice.set_password("a-New-pw-456")
    alice.save()
    assert me(bobs["access"]).status_code == 200
    assert refresh(bobs["refresh"]).status_code == 200
