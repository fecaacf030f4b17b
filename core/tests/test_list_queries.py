"""Every list answers in a fixed number of SQL statements (at most 4), whatever the page size.

Measured for a sales rep (model permissions, own records only: the costliest caller, whose
permissions are read too) and for a superuser, with one row and with a full page of rows whose
stamps name several users, so a per-row query would show as a difference.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.services import account_change_status, account_update, credit_assessment_create
from accounts.tests.factories import make_account
from activities.tests.factories import make_activity
from campaigns.tests.factories import make_campaign
from cases.tests.factories import make_case
from conftest import client_for
from contacts.tests.factories import make_contact
from sales.tests.factories import make_lead, make_opportunity

pytestmark = pytest.mark.django_db

CRM = "/api/v1/crm"
MAX_QUERIES = 4
MANY = 12

VIEW = [
    "accounts.view_account",
    "contacts.view_contact",
    "activities.view_activity",
    "cases.view_case",
    "sales.view_lead",
    "sales.view_opportunity",
    "campaigns.view_campaign",
    "accounts.view_creditassessment",
]


def _history(by, ctx):
    ctx["version"] = ctx.get("version", 0) + 1
    account_update(account=ctx["account"], data={"remarks": f"v{ctx['version']}"}, by=by)


def _status_change(by, ctx):
    ctx["active"] = not ctx.get("active", True)
    status = "active" if ctx["active"] else "inactive"
    account_change_status(account=ctx["account"], status=status, by=by)


# Each list's URL and how to add one row to it (``ctx["account"]``: the record rows go under).
LISTS = {
    "accounts": ("/accounts", lambda by, ctx: make_account(by=by)),
    "contacts": ("/contacts", lambda by, ctx: make_contact(account=ctx["account"], by=by)),
    "activities": ("/activities", lambda by, ctx: make_activity(account=ctx["account"], by=by)),
    "cases": ("/cases", lambda by, ctx: make_case(account=ctx["account"], by=by)),
    "leads": ("/leads", lambda by, ctx: make_lead(by=by)),
    "opportunities": (
        "/opportunities",
        lambda by, ctx: make_opportunity(account=ctx["account"], by=by),
    ),
    "campaigns": ("/campaigns", lambda by, ctx: make_campaign(by=by)),
    "history": ("/accounts/{account}/history", _history),
    "status-history": ("/accounts/{account}/status-history", _status_change),
    "credit-assessments": (
        "/accounts/{account}/credit-assessments",
        lambda by, ctx: credit_assessment_create(account=ctx["account"], by=by, credit_score=80),
    ),
}


def _count(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"pageSize": 100})
    assert response.status_code == 200, response.json()
    return len(queries.captured_queries), len(response.json()["data"]["list"])


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("role", ["rep", "superuser"])
def test_a_list_costs_the_same_few_queries_for_one_row_and_for_many(name, role, make_user):
    rep = make_user("rep", perms=VIEW)
    others = [make_user(f"colleague{i}", superuser=True) for i in range(3)]
    path, add_row = LISTS[name]
    account = make_account(by=rep)
    ctx = {"account": account}
    url = CRM + path.format(account=account.pk)
    client = client_for(rep if role == "rep" else make_user("boss", superuser=True))
    if name != "accounts":  # the account above is the one row of the account list
        add_row(rep, ctx)

    one, rows = _count(client, url)
    assert rows == 1 or (name == "history" and rows == 2)  # created, then one update

    for i in range(MANY):
        # Rows stamped by several users: a serializer that fetched users per row would show.
        by = rep if name in {"history", "status-history", "credit-assessments"} else None
        add_row(by or others[i % len(others)], ctx)
        if name in {"accounts", "leads", "campaigns"}:  # owned by their creator: back to rep
            _reassign_last(name, rep)
    many, rows = _count(client, url)
    assert rows > MANY

    assert one == many, f"{name}: {one} queries for one row, {many} for {rows}"
    assert many <= MAX_QUERIES, f"{name}: {many} queries"


def _reassign_last(name, rep):
    from accounts.models import Account
    from campaigns.models import Campaign
    from sales.models import Lead

    model = {"accounts": Account, "leads": Lead, "campaigns": Campaign}[name]
    latest = model.objects.order_by("-created_at", "-pk").first()
    if hasattr(latest, "owner_id"):
        model.objects.filter(pk=latest.pk).update(owner=rep)


def test_history_of_a_record_without_entries_is_an_empty_page_in_four_queries(make_user):
    """Seed data (generate_demo_data) has no history: the record is fetched to tell an empty
    trail from a record the caller may not see."""
    from accounts.models import Account

    rep = make_user("rep", perms=VIEW)
    account = make_account(by=rep)
    Account.history.filter(id=account.pk).delete()
    with CaptureQueriesContext(connection) as queries:
        response = client_for(rep).get(f"{CRM}/accounts/{account.pk}/history")
    assert response.status_code == 200
    assert response.json()["data"] == {"list": [], "total": 0, "page": 1, "pageSize": 10}
    assert len(queries.captured_queries) <= MAX_QUERIES


@pytest.mark.parametrize("path", ["history", "status-history", "credit-assessments"])
def test_a_list_under_someone_elses_record_is_not_found_for_a_rep(make_user, path):
    rep = make_user("rep", perms=VIEW)
    other = make_user("other", perms=VIEW)
    account = make_account(by=other)
    credit_assessment_create(account=account, by=other, credit_score=70)
    account_change_status(account=account, status="inactive", by=other)
    response = client_for(rep).get(f"{CRM}/accounts/{account.pk}/{path}")
    assert response.status_code == 404
    response = client_for(rep).get(f"{CRM}/accounts/not-an-id/{path}")
    assert response.status_code == 404
    assert client_for(other).get(f"{CRM}/accounts/{account.pk}/{path}").json()["data"]["total"]
