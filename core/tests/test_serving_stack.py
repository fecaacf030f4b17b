"""Production serving as ``make serve`` runs it (nginx in front of gunicorn, deploy/), probed
with raw sockets: every error the servers answer themselves is the envelope, and slow or lying
clients are cut off after a short timeout without holding the only gunicorn worker.

Needs Debian's nginx: skipped on a machine without it, but in CI (``CI`` set) it runs and fails
loudly, since .ci/run installs it.
"""

import json
import os
import shutil
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from core.tests.live import (
    ACCOUNTS,
    exchange,
    login,
    request,
    server_env,
    split_response,
)
from deploy.processes import serving_stack

IN_CI = bool(os.environ.get("CI"))
NGINX = Path(shutil.which("nginx") or "/usr/sbin/nginx")
if not IN_CI and not NGINX.exists():
    pytest.skip(f"{NGINX} is not installed (apt-get install nginx-light)", allow_module_level=True)

pytestmark = pytest.mark.slow  # nginx and gunicorn processes

CLIENT_TIMEOUT = 2  # nginx's header and body timeouts here (10 s in make serve)
HOST = b"Host: 127.0.0.1\r\n"


def test_nginx_is_installed():
    assert NGINX.exists(), f"{NGINX} is missing: .ci/run installs Debian's nginx-light"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """One gunicorn worker behind nginx. No request below needs a database table."""
    database = tmp_path_factory.mktemp("stack") / "empty.sqlite3"
    env = server_env(f"sqlite:///{database}")
    with serving_stack(env, client_timeout=CLIENT_TIMEOUT, workers="1") as (_app, proxy):
        yield proxy


def envelope_of(raw: bytes) -> tuple[int, dict]:
    status, headers, body = split_response(raw)
    assert headers["content-type"].startswith("application/json"), raw[:400]
    document = json.loads(body)
    assert set(document) == {"code", "message", "data"}, document
    return status, document


def assert_worker_free(proxy):
    """A normal request gets its answer (the application's 401) at once."""
    started = time.monotonic()
    status, _headers, body = request(proxy.port, "GET", ACCOUNTS, timeout=5)
    assert (status, body["code"]) == (401, 401)
    assert time.monotonic() - started < 1.5


def test_an_oversize_request_line_answers_the_414_envelope(stack):
    raw, _took = exchange(
        stack.port, b"GET /api/" + b"a" * 9000 + b" HTTP/1.1\r\n" + HOST + b"\r\n"
    )
    status, document = envelope_of(raw)
    assert (status, document["code"]) == (414, 414)


def test_huge_headers_answer_the_431_envelope(stack):
    headers = b"".join(b"X-Big-%d: %s\r\n" % (index, b"v" * 7000) for index in range(6))
    raw, _took = exchange(stack.port, b"GET /api/v1/crm/accounts HTTP/1.1\r\n" + HOST + headers)
    status, document = envelope_of(raw)
    assert (status, document["code"]) == (431, 431)


def test_one_huge_header_answers_the_431_envelope(stack):
    raw, _took = exchange(
        stack.port, b"GET / HTTP/1.1\r\n" + HOST + b"Cookie: " + b"c" * 9000 + b"\r\n\r\n"
    )
    assert envelope_of(raw)[0] == 431


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 tls hello\r\n\r\n", 400),
        (b"GET /api/v1\x01/crm HTTP/1.1\r\n" + HOST + b"\r\n", 400),
        (b"GET /api/v1/crm/accounts HTTP/1.1\r\n" + HOST + b"Broken header line\r\n\r\n", 400),
        (b"POST /api/v1/auth/token HTTP/1.1\r\n" + HOST + b"Content-Length: x\r\n\r\n", 400),
        (
            b"POST /api/v1/auth/token HTTP/1.1\r\n"
            + HOST
            + b"Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
            400,
        ),
        (b"POST /api/v1/auth/token HTTP/1.1\r\n" + HOST + b"Transfer-Encoding: gzip\r\n\r\n", 501),
        (b"GET /api/v1/crm/accounts HTTP/2.0\r\n" + HOST + b"\r\n", 505),
        (b"GET /_crm_error/400 HTTP/1.1\r\n" + HOST + b"Connection: close\r\n\r\n", 404),
    ],
    ids=[
        "binary",
        "control-char-in-uri",
        "header-without-colon",
        "bad-length",
        "bad-chunk",
        "unknown-coding",
        "http-2.0-line",
        "internal-page",
    ],
)
def test_a_malformed_request_answers_its_envelope(stack, data, status):
    answered, document = envelope_of(exchange(stack.port, data)[0])
    assert (answered, document["code"]) == (status, status)


def test_a_header_value_gunicorn_refuses_answers_the_envelope(stack):
    # nginx lets a control character through in a header value; gunicorn refuses it.
    raw, _took = exchange(
        stack.port,
        b"GET /api/v1/crm/accounts HTTP/1.1\r\n"
        + HOST
        + b"X-Odd: a\x01b\r\nConnection: close\r\n\r\n",
    )
    status, document = envelope_of(raw)
    assert (status, document["code"]) == (400, 400)


def test_an_unknown_method_answers_the_405_envelope(stack):
    raw, _took = exchange(
        stack.port, b"BREW /api/v1/crm/accounts HTTP/1.1\r\n" + HOST + b"Connection: close\r\n\r\n"
    )
    assert envelope_of(raw)[0] == 405


def test_an_oversize_json_body_is_refused_by_the_application(stack):
    body = b'{"username": "' + b"u" * (3 * 1024 * 1024) + b'"}'
    raw, _took = exchange(
        stack.port,
        b"POST /api/v1/auth/token HTTP/1.1\r\n"
        + HOST
        + b"Content-Type: application/json\r\nConnection: close\r\n"
        + b"Content-Length: %d\r\n\r\n" % len(body)
        + body,
    )
    status, document = envelope_of(raw)
    assert (status, document["code"]) == (413, 413)
    assert "x-frame-options" in split_response(raw)[1]  # Django's answer, not nginx's


def test_a_body_above_any_upload_is_refused_before_it_is_sent(stack):
    raw, _took = exchange(
        stack.port,
        b"POST /api/v1/files HTTP/1.1\r\n" + HOST + b"Content-Length: 500000000\r\n\r\n",
    )
    status, document = envelope_of(raw)
    assert (status, document["code"]) == (413, 413)


def _in_background(call) -> tuple[threading.Thread, dict]:
    outcome = {}
    thread = threading.Thread(target=lambda: outcome.update(result=call()))
    thread.start()
    return thread, outcome


def test_a_body_shorter_than_its_content_length_does_not_hold_the_worker(stack):
    lying = (
        b"POST /api/v1/auth/token HTTP/1.1\r\n"
        + HOST
        + b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
        + b'{"username": "a"'
    )
    thread, outcome = _in_background(lambda: exchange(stack.port, lying, timeout=20))
    time.sleep(0.5)
    assert_worker_free(stack)
    thread.join(30)
    raw, took = outcome["result"]
    assert took < CLIENT_TIMEOUT + 3  # dropped after the body timeout
    if raw:  # nginx may close without an answer; if it answers, it is the envelope
        assert envelope_of(raw)[0] == 408


def test_a_slowloris_client_is_cut_off_and_does_not_hold_the_worker(stack):
    headers = b"GET /api/v1/crm/accounts HTTP/1.1\r\n" + HOST + b"X-Slow: " + b"z" * 200
    thread, outcome = _in_background(
        lambda: exchange(stack.port, headers, pause_after=0.2, timeout=20)
    )
    time.sleep(0.5)
    assert_worker_free(stack)
    thread.join(30)
    raw, took = outcome["result"]
    assert took < CLIENT_TIMEOUT + 3  # the whole header must arrive within the timeout
    if raw:
        assert envelope_of(raw)[0] == 408


def test_a_request_past_the_worker_timeout_answers_the_504_envelope(sqlite_file):
    # gunicorn kills a worker silent for 8 s; nginx gives up 5 s earlier and answers itself.
    env = server_env(sqlite_file, GUNICORN_TIMEOUT="8")
    with serving_stack(env, client_timeout=CLIENT_TIMEOUT, workers="1") as (_app, proxy):
        token = login(proxy.port)
        holder = sqlite3.connect(sqlite_file.removeprefix("sqlite:///"), timeout=30)
        try:
            holder.execute("BEGIN IMMEDIATE")  # every write now waits for this transaction
            started = time.monotonic()
            status, _headers, body = request(
                proxy.port, "POST", ACCOUNTS, {"name": "等待"}, token=token, timeout=30
            )
            assert (status, body["code"]) == (504, 504)
            assert time.monotonic() - started < 8
        finally:
            holder.rollback()
            holder.close()
        # gunicorn replaces the killed worker; the retry then goes through.
        deadline = time.monotonic() + 30
        while True:
            status, _headers, body = request(
                proxy.port, "POST", ACCOUNTS, {"name": "等待"}, token=token, timeout=30
            )
            if status == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert status == 200, body
