"""Assertions shared by the sales and campaigns tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def assert_list_queries_constant(client, url: str, add_row, *, many: int = 5) -> int:
    """GET ``url`` with one row and with ``many`` rows: the number of queries must not change.

    Returns that number, so a test can also pin it.
    """
    add_row()
    with CaptureQueriesContext(connection) as one_row:
        response = client.get(url)
    assert response.status_code == 200, response.json()
    assert response.json()["data"]["total"] == 1
    for _ in range(many - 1):
        add_row()
    with CaptureQueriesContext(connection) as many_rows:
        response = client.get(url)
    assert response.status_code == 200, response.json()
    assert response.json()["data"]["total"] == many
    assert len(response.json()["data"]["list"]) == many
    assert len(one_row) == len(many_rows), [q["sql"] for q in many_rows.captured_queries]
    return len(many_rows)
