"""``make run`` serves from a SQLite file; concurrent writes there must queue, never fail
(WAL, a busy timeout and IMMEDIATE transactions: crm_project/settings.py)."""

import threading

import pytest

from core.tests.live import (
    ACCOUNTS,
    DevServer,
    keyed_create,
    login,
    request,
    server_env,
)

pytestmark = pytest.mark.slow  # a live server in a subprocess

CLIENTS = 20


def _together(count, call) -> list:
    """Run ``call(index)`` on ``count`` threads released at the same moment."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(index):
        barrier.wait(30)
        try:
            results[index] = call(index)
        except Exception as exc:  # reported by the assertion below
            results[index] = exc

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


@pytest.fixture
def dev_server(sqlite_file):
    with DevServer(server_env(sqlite_file)) as server:
        yield server


def test_twenty_concurrent_creates_on_a_sqlite_file_all_succeed(dev_server):
    token = login(dev_server.port)
    results = _together(
        CLIENTS,
        lambda index: request(
            dev_server.port, "POST", ACCOUNTS, {"name": f"并发客户{index}"}, token=token
        ),
    )
    statuses = [result[0] if isinstance(result, tuple) else result for result in results]
    assert statuses == [200] * CLIENTS, [r[2] if isinstance(r, tuple) else r for r in results]
    numbers = {result[2]["data"]["accountNo"] for result in results}
    assert len(numbers) == CLIENTS
    _status, _headers, listed = request(
        dev_server.port, "GET", f"{ACCOUNTS}?pageSize=100", token=token
    )
    assert listed["data"]["total"] == CLIENTS


def test_concurrent_duplicates_on_sqlite_wait_for_the_first_and_replay_it(dev_server):
    token = login(dev_server.port)
    results = _together(
        5,
        lambda _index: keyed_create(dev_server.port, token, "同一个键", "same-key"),
    )
    assert [result[0] for result in results] == [200] * 5, results
    assert (
        sorted(result[1].get("Idempotent-Replayed", "") for result in results)
        == [""] + ["true"] * 4
    )
    assert len({result[2]["data"]["id"] for result in results}) == 1
    _status, _headers, listed = request(dev_server.port, "GET", ACCOUNTS, token=token)
    assert listed["data"]["total"] == 1
