"""What the API tests of every resource share: an answer's data, the ids of a list page, and
the promise that a list costs the same queries whatever its number of rows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def data_of(response, status: int = 200):
    """The ``data`` of an answer that has ``status`` (else the test fails, showing the body)."""
    assert response.status_code == status, response.json()
    return response.json()["data"]


def row_ids(response) -> list[str]:
    """The ids of a successful list answer's rows, in order."""
    return [row["id"] for row in data_of(response)["list"]]


def assert_list_queries_constant(client, url: str, add_row, *, many: int = 5) -> int:
    """GET ``url`` with one row and with ``many`` rows: the number of queries must not change.

    ``add_row()`` adds one row (rows stamped or joined to different records show a per-row
    query). Returns the number of queries, so a test can also bound it.
    """
    add_row()
    with CaptureQueriesContext(connection) as one_row:
        assert data_of(client.get(url))["total"] == 1
    for _ in range(many - 1):
        add_row()
    with CaptureQueriesContext(connection) as many_rows:
        page = data_of(client.get(url))
    assert page["total"] == many
    assert len(page["list"]) == many
    assert len(one_row) == len(many_rows), [q["sql"] for q in many_rows.captured_queries]
    return len(many_rows)
