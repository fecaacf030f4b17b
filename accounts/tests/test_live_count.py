"""The unfiltered account list's exact total comes from a counter the database keeps.

On PostgreSQL triggers keep ``accounts_live_count`` equal to the number of live accounts
whatever writes them (services, bulk inserts, queryset updates, deletes); elsewhere the list
counts rows. Either way the API's ``total`` is the exact number of live accounts.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Account
from accounts.services import account_restore
from accounts.tests.factories import make_account

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
    response = client.get(URL, params)
    assert response.status_code == 200, response.json()
    return response.json()["data"]["total"]


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
