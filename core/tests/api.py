"""What the API tests of every resource share: an answer's data, the ids of a list page, and
the promise that a list costs the same queries whatever its number of rows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import make_account
from activities.tests.factories import make_activity
from campaigns.tests.factories import make_campaign
from cases.tests.factories import make_case
from contacts.tests.factories import make_contact
from sales.tests.factories import make_lead, make_opportunity

CRM = "/api/v1/crm"
EVERY_METHOD = ("get", "put", "patch", "delete")

# resource: (make one record, its not-found code, the methods of /<resource>/{id})
RESOURCES = {
    "accounts": (make_account, 4001, EVERY_METHOD),
    "contacts": (make_contact, 4002, EVERY_METHOD),
    "activities": (make_activity, 4003, EVERY_METHOD),
    "cases": (make_case, 4004, ("get", "put", "patch")),  # cases are closed, not deleted
    "leads": (make_lead, 4005, EVERY_METHOD),
    "opportunities": (make_opportunity, 4006, EVERY_METHOD),
    "campaigns": (make_campaign, 404, EVERY_METHOD),  # the seed has no campaign code
}


def data_of(response, status: int = 200):
    """The ``data`` of an answer that has ``status`` (else the test fails, showing the body)."""
    assert response.status_code == status, response.json()
    return response.json()["data"]


def refused(response, code: int = 400) -> dict:
    """The field errors (``data``) of an answer refusing a request with HTTP 400 and the body
    ``code`` (400, or a domain code such as 4001)."""
    assert (response.status_code, response.json()["code"]) == (400, code), response.json()
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
