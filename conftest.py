"""Shared fixtures: API clients (anonymous, superuser, per-permission), a back-office session
and a clean cache."""

import time
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from core.models import User
from core.roles import group_name


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
            user.groups.add(Group.objects.get(name=group_name(role)))
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


@pytest.fixture
def staff(admin_user) -> Client:
    """The back office (admin pages) as the superuser, on a session login."""
    client = Client()
    client.force_login(admin_user)
    return client


# The browser tests' screenshots (core/tests/test_browser_pages.py), kept by CI as artifacts.
SCREENSHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots"


def pytest_sessionstart(session):
    session.config._started_at = time.time()


def pytest_terminal_summary(terminalreporter, config):
    """Name the folder of this run's screenshots (xdist workers write them; this runs once)."""
    started = getattr(config, "_started_at", 0)
    shots = [p for p in SCREENSHOTS.rglob("*.png") if p.stat().st_mtime >= started]
    if shots:
        terminalreporter.write_line(f"Browser screenshots ({len(shots)} files): {SCREENSHOTS}")
