"""Idempotency keys under faults, against real processes: a Redis restart, a server worker
killed with SIGKILL in the middle of a request, and a duplicate sent while the first runs.

The slow request is made slow the way production ones are: the test holds the row lock of the
account number sequence, so ``POST /accounts`` waits inside its transaction, key lock taken.
"""

import os
import signal
import threading
from contextlib import contextmanager

import psycopg
import pytest

from accounts.models import Account
from core.tests.live import (
    ACCOUNTS,
    backends_waiting_on_locks,
    keyed_create,
    login,
    needs_postgresql,
    postgres_test_database_url,
    server_env,
    wait_for,
)
from deploy.processes import Gunicorn, RedisServer

pytestmark = pytest.mark.slow  # Redis, gunicorn

PASSWORD = "pw-Secret-123"  # conftest.make_user's


@pytest.fixture
def redis_server():
    with RedisServer() as server:
        yield server


@pytest.mark.django_db
def test_a_replay_after_redis_restarts_creates_no_second_record(
    admin_client, settings, redis_server
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_server.url,
        }
    }
    first = admin_client.post(ACCOUNTS, {"name": "重放"}, format="json", HTTP_IDEMPOTENCY_KEY="r1")
    assert first.status_code == 200
    redis_server.stop()
    redis_server.start()  # back, and empty: no persistence
    again = admin_client.post(ACCOUNTS, {"name": "重放"}, format="json", HTTP_IDEMPOTENCY_KEY="r1")
    assert again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Account.objects.count() == 1


@contextmanager
def numbering_locked(database_url: str):
    """Hold the row lock of the ACC sequence: account creates wait until the block ends."""
    with psycopg.connect(database_url) as holder:
        holder.execute(
            "INSERT INTO core_sequence (name, value) VALUES ('ACC', 0) ON CONFLICT DO NOTHING"
        )
        holder.commit()
        holder.execute("SELECT value FROM core_sequence WHERE name = 'ACC' FOR UPDATE")
        yield
        holder.rollback()


@pytest.fixture
def server(admin_user, redis_server):
    """gunicorn on the test database with a shared Redis cache, as in production."""
    env = server_env(postgres_test_database_url(), REDIS_URL=redis_server.url, GUNICORN_WORKERS="2")
    with Gunicorn(env) as gunicorn:
        gunicorn.wait_for_workers(2)
        yield gunicorn


def _post_in_background(port, token, key) -> tuple[threading.Thread, dict]:
    outcome = {}

    def post():
        try:
            outcome["response"] = keyed_create(port, token, "慢请求", key)
        except OSError as exc:  # the worker died under it
            outcome["error"] = exc

    thread = threading.Thread(target=post)
    thread.start()
    return thread, outcome


def _kill_request_mid_flight(server, url) -> str:
    """Start a keyed create, wait until it waits on the lock, SIGKILL the workers; the token."""
    token = login(server.port, "admin", PASSWORD)
    with numbering_locked(url):
        thread, outcome = _post_in_background(server.port, token, "killed")
        wait_for(lambda: backends_waiting_on_locks(url) == 1, 20, "the create never waited")
        for pid in server.wait_for_workers(2):
            os.kill(pid, signal.SIGKILL)
        thread.join(30)
        assert "error" in outcome, outcome  # no answer ever came
        # The dead worker's session notices its client is gone and ends (its locks with it).
        wait_for(lambda: backends_waiting_on_locks(url) == 0, 15, "the dead request still waits")
    server.wait_for_workers(2)  # the master replaced them
    return token


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_request_killed_mid_flight_leaves_its_key_retryable(server):
    url = postgres_test_database_url()
    token = _kill_request_mid_flight(server, url)
    status, headers, body = keyed_create(server.port, token, "慢请求", "killed")
    assert status == 200, body
    assert "Idempotent-Replayed" not in headers  # the first one never committed
    assert list(Account.objects.values_list("name", flat=True)) == ["慢请求"]


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_killed_request_gives_up_its_database_locks_within_seconds(server):
    # Asserted inside: with the lock still held by the test, the dead request's session is gone
    # within 15 s (client_connection_check_interval), so its key lock is too.
    _kill_request_mid_flight(server, postgres_test_database_url())
    assert Account.objects.count() == 0


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_concurrent_duplicate_answers_409_while_the_first_runs(server):
    url = postgres_test_database_url()
    token = login(server.port, "admin", PASSWORD)
    with numbering_locked(url):
        thread, outcome = _post_in_background(server.port, token, "twice")
        wait_for(lambda: backends_waiting_on_locks(url) == 1, 20, "the create never waited")
        status, answered, body = keyed_create(server.port, token, "慢请求", "twice")
        assert (status, body["code"], answered["Retry-After"]) == (409, 409, "1")
    thread.join(30)
    first_status, _first_headers, first_body = outcome["response"]
    assert first_status == 200
    status, answered, body = keyed_create(server.port, token, "慢请求", "twice")
    assert (status, answered["Idempotent-Replayed"], body) == (200, "true", first_body)
    assert Account.objects.count() == 1
