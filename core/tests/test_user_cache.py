"""The user behind a bearer token is cached briefly, so a request does not read the user table,
and is dropped the moment the user changes or logs out (issue 22, item 1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from core import tokens
from core.cache import shared
from core.models import User

pytestmark = pytest.mark.django_db

ME = "/api/v1/auth/me"


@pytest.fixture
def caching(settings):
    settings.AUTH_USER_CACHE_SECONDS = 60


@pytest.fixture
def alice(make_user):
    return make_user("alice")


@pytest.fixture
def session(alice):
    body = {"username": "alice", "password": "pw-Secret-123"}
    data = APIClient().post("/api/v1/auth/token", body, format="json").json()["data"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {data['access']}")
    return client, data["refresh"]


def reads_the_user_table(client) -> bool:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(ME).status_code == 200
    return any('FROM "core_user"' in query["sql"] for query in queries.captured_queries)


def test_a_cached_user_costs_no_query(caching, session):
    client, _refresh = session
    assert reads_the_user_table(client)  # the first request fills the cache
    assert not reads_the_user_table(client)
    assert not reads_the_user_table(client)


def test_without_a_shared_cache_every_request_reads_the_user(settings, session):
    settings.AUTH_USER_CACHE_SECONDS = 0
    client, _refresh = session
    assert reads_the_user_table(client)
    assert reads_the_user_table(client)


def test_a_change_to_the_user_is_seen_by_the_next_request(caching, session, alice):
    client, _refresh = session
    client.get(ME)
    alice.display_name = "爱丽丝"
    alice.save()
    assert client.get(ME).json()["data"]["displayName"] == "爱丽丝"


def test_logging_out_drops_the_cached_user(caching, session):
    client, refresh = session
    reads_the_user_table(client)
    logout = APIClient().post("/api/v1/auth/logout", {"refresh": refresh}, format="json")
    assert logout.status_code == 200
    assert reads_the_user_table(client)


def test_a_row_read_before_a_change_is_not_cached_after_it(caching, alice):
    """A request that read the user just before a password change commits must not put the
    old row (and its old token version) back into the cache."""
    stale = User.objects.get(pk=alice.pk)
    alice.set_password("a-New-pw-456")
    alice.save()  # the change: the cached row is replaced by a tombstone
    key = tokens._user_key(alice.pk)
    old_row = tuple(getattr(stale, name) for name in tokens._cached_fields())
    assert not shared.add(key, old_row, 60)  # what the slow reader would now try
    assert tokens.cached_user(alice.pk).token_version == alice.token_version == 1


def test_the_cached_row_holds_no_password_hash(caching, session, alice):
    client, _refresh = session
    client.get(ME)
    cached = shared.get(tokens._user_key(alice.pk))
    assert isinstance(cached, tuple)
    assert alice.password not in cached
    user = tokens.cached_user(alice.pk)
    assert user.username == "alice" and "password" in user.get_deferred_fields()
