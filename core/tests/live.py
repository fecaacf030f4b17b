"""Helpers for the tests that run the real server processes (deploy.processes): their
environment, a migrated SQLite file, HTTP and raw-socket clients, and PostgreSQL lock probes."""

import http.client
import json
import os
import socket
import sys
import time

import pytest
from django.db import connection

from deploy.processes import Service

ADMIN_PASSWORD = "Live-Admin-Pw-1"
SECRET_KEY = "live-server-tests-only-0123456789-abcdefghijklmnopqrstuvwxyz"
ACCOUNTS = "/api/v1/crm/accounts"


def server_env(database_url: str, **extra) -> dict:
    """A production-like server (DEBUG off) on the given database, no shared cache unless
    ``REDIS_URL`` is passed."""
    return {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        "REDIS_URL": "",
        "ACCESS_LOG_LEVEL": "WARNING",
        "GUNICORN_WORKERS": "1",
        **extra,
    }


def postgres_test_database_url() -> str:
    """The PostgreSQL test database this xdist worker uses (a transactional test commits, so a
    server process sees what the test writes)."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks and advisory locks need PostgreSQL"
)


class DevServer(Service):
    """``manage.py runserver`` as ``make run`` serves (threaded, one process)."""

    name = "runserver"

    def __init__(self, env: dict):
        super().__init__()
        self.env = env

    def command(self):
        return [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{self.port}"]

    def environment(self):
        return {**os.environ, **self.env}


def request(port, method, path, body=None, *, token=None, headers=None, timeout=30):
    """One HTTP request; returns (status, headers, parsed JSON body)."""
    sent = {"Content-Type": "application/json", **(headers or {})}
    if token:
        sent["Authorization"] = f"Bearer {token}"
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        payload = None if body is None else json.dumps(body).encode()
        client.request(method, path, body=payload, headers=sent)
        response = client.getresponse()
        raw = response.read()
        return response.status, dict(response.getheaders()), json.loads(raw) if raw else None
    finally:
        client.close()


def keyed_create(port, token, name, key):
    """``POST /accounts`` with an ``Idempotency-Key``."""
    return request(
        port, "POST", ACCOUNTS, {"name": name}, token=token, headers={"Idempotency-Key": key}
    )


def login(port, username="admin", password=ADMIN_PASSWORD) -> str:
    status, _headers, body = request(
        port, "POST", "/api/v1/auth/token", {"username": username, "password": password}
    )
    assert status == 200, body
    return body["data"]["access"]


def exchange(port, data: bytes, *, timeout=10.0, pause_after=None) -> tuple[bytes, float]:
    """Send raw bytes and read until the server closes (or ``timeout``); returns what came back
    and how long the server took to close. ``pause_after`` sends the data one byte at a time
    with that pause in between, as a slowloris client does (stopping when the server closes)."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        try:
            if pause_after is None:
                sock.sendall(data)
            else:
                for index in range(len(data)):
                    sock.sendall(data[index : index + 1])
                    time.sleep(pause_after)
        except OSError:
            pass  # the server closed on us mid-send: read what it said
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except (TimeoutError, ConnectionResetError):
            pass
    return received, time.monotonic() - started


def split_response(raw: bytes) -> tuple[int, dict, bytes]:
    head, _sep, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _colon, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


def backends_waiting_on_locks(database_url: str) -> int:
    """How many sessions of the server's database wait on a lock right now."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as probe:
        return probe.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        ).fetchone()[0]


def wait_for(predicate, timeout: float, message: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(interval)
