"""gunicorn's own refusals (a request it cannot parse, a worker it kills) are the envelope too,
even with no nginx in front (crm_project/gunicorn.conf.py replaces its HTML error writer)."""

import pytest

from core.tests.live import exchange, server_env, split_response
from deploy.processes import Gunicorn

pytestmark = pytest.mark.slow  # a gunicorn process


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    database = tmp_path_factory.mktemp("gunicorn") / "empty.sqlite3"
    with Gunicorn(server_env(f"sqlite:///{database}")) as server:
        yield server


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (b"GET /api/" + b"a" * 5000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 414),
        (b"GET /api/v1/crm/accounts HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Odd: a\x01b\r\n\r\n", 400),
        (b"GET /api/ HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X-A: b\r\n" * 101 + b"\r\n", 431),
    ],
    ids=["request-line", "header-value", "header-count"],
)
def test_gunicorn_answers_what_it_refuses_with_the_envelope(gunicorn, data, status):
    answered, headers, body = split_response(exchange(gunicorn.port, data)[0])
    assert answered == status
    assert headers["content-type"] == "application/json; charset=utf-8"
    assert body.startswith(b'{"code":%d,"message":' % status) and body.endswith(b',"data":null}')
