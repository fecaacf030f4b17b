"""The unfiltered account list's exact total comes from a counter the database keeps.

On PostgreSQL triggers keep ``accounts_live_count`` equal to the number of live accounts
whatever writes them (services, bulk inserts, queryset updates, deletes); elsewhere the list
counts rows. Either way the API's ``total`` is the exact number of live accounts.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.filters import AccountFilterSet
from accounts.models import Account
from accounts.services import account_restore
from accounts.tests.factories import make_account
from core.tests.api import data_of

pytestmark = pytest.mark.django_db

URL = "/api/v1/crm/accounts"
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the counter's triggers are PostgreSQL only"
)


def counter() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT live FROM accounts_live_count")
        return cursor.fetchone()[0]


def live() -> int:
    return Account.objects.count()


def total(client, **params) -> int:
    return data_of(client.get(URL, params))["total"]


def test_the_unfiltered_total_is_the_number_of_live_accounts(admin_client, admin_user):
    accounts = [make_account(by=admin_user, name=f"客户{i}") for i in range(3)]
    admin_client.delete(f"{URL}/{accounts[0].pk}")
    assert total(admin_client) == live() == 2
    assert total(admin_client, name="客户1") == 1
    account_restore(account=Account.all_objects.get(pk=accounts[0].pk), by=admin_user)
    assert total(admin_client) == 3


@on_postgresql
def test_the_counter_follows_every_kind_of_write(admin_client, admin_user):
    start = counter()
    created = admin_client.post(URL, {"name": "计数客户"}, format="json").json()["data"]["id"]
    assert counter() == start + 1
    Account.objects.bulk_create(
        [Account(name=f"批量{i}", account_no=f"BULK{i:04d}") for i in range(5)]
    )
    assert counter() == start + 6
    admin_client.put(f"{URL}/{created}", {"remarks": "only an edit"}, format="json")
    assert counter() == start + 6
    admin_client.delete(f"{URL}/{created}")
    assert counter() == start + 5
    Account.objects.filter(name__startswith="批量").update(deleted_at=timezone.now())
    assert counter() == start
    Account.all_objects.filter(name__startswith="批量").update(deleted_at=None)
    assert counter() == start + 5
    Account.all_objects.filter(name__startswith="批量").delete()
    Account.all_objects.filter(pk=created).delete()  # already soft-deleted: no change
    assert counter() == start == live()


@on_postgresql
def test_the_unfiltered_list_reads_the_counter_instead_of_counting(admin_client, admin_user):
    make_account(by=admin_user)
    with CaptureQueriesContext(connection) as queries:
        answered = total(admin_client)
    assert answered == live()
    statements = " ".join(query["sql"] for query in queries.captured_queries)
    assert "accounts_live_count" in statements
    assert 'COUNT(*) AS "__count" FROM "accounts_account"' not in statements
    with CaptureQueriesContext(connection) as queries:
        total(admin_client, status="active")
    statements = " ".join(query["sql"] for query in queries.captured_queries)
    assert "accounts_live_count" not in statements


@on_postgresql
def test_a_rep_who_sees_only_their_accounts_gets_their_own_count(make_user, as_user):
    rep = make_user("rep", perms=("accounts.view_account",))
    other = make_user("other")
    make_account(by=rep)
    make_account(by=other)
    assert total(as_user(rep)) == 1


def statements_of(client, **params) -> str:
    with CaptureQueriesContext(connection) as queries:
        total(client, **params)
    return " ".join(query["sql"] for query in queries.captured_queries)


# A value for every filter of the account list, none of which the one account below matches.
FILTER_VALUES = {
    "accountNo": "ACC999",
    "name": "无此客户",
    "status": "inactive",
    "industry": "制造",
    "region": "北京",
    "type": "government",
}


@on_postgresql
def test_ordering_and_paging_keep_the_counter_and_every_filter_counts_rows(admin_client):
    make_account(name="计数客户", industry="零售", region="上海")
    for params in ({"ordering": "-name"}, {"page": 2, "pageSize": 5}, {"name": ""}):
        assert "accounts_live_count" in statements_of(admin_client, **params), params
    filters = set(AccountFilterSet.base_filters) - {"ordering"}
    assert filters == set(FILTER_VALUES)  # a new filter needs a value here
    for name, value in FILTER_VALUES.items():
        assert "accounts_live_count" not in statements_of(admin_client, **{name: value}), name
        assert total(admin_client, **{name: value}) == 0, name
