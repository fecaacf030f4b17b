"""Shared fixtures: API clients (anonymous, superuser, per-permission) and a clean cache."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from core.models import User


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()  # throttle counters must not leak from one test into the next
    yield
    cache.clear()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


def client_for(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    return client


@pytest.fixture
def make_user(db):
    def make(
        username: str = "alice",
        *,
        perms: tuple[str, ...] = (),
        superuser: bool = False,
        role: str | None = None,
    ):
        """A user with exactly ``perms``, and in the group ``role`` (core/roles.py) if given."""
        user = User.objects.create_user(
            username=username, password="pw-Secret-123", is_superuser=superuser, is_staff=superuser
        )
        if role is not None:
            user.groups.add(Group.objects.get(name=role))
        for perm in perms:
            app_label, codename = perm.split(".")
            user.user_permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        return User.objects.get(pk=user.pk)  # fresh: no cached permissions

    return make


@pytest.fixture
def admin_user(make_user) -> User:
    return make_user("admin", superuser=True)


@pytest.fixture
def admin_client(admin_user) -> APIClient:
    return client_for(admin_user)


@pytest.fixture
def user_client(make_user):
    """A client for a fresh non-superuser holding exactly the given permissions."""

    def make(*perms: str, username: str = "bob") -> APIClient:
        return client_for(make_user(username, perms=perms))

    return make


@pytest.fixture
def as_user():
    """``as_user(user)`` -> an API client authenticated as that user."""
    return client_for
