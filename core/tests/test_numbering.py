"""Business numbers stay unique under concurrent creates (CONTRACT.md §1)."""

import threading

import pytest
from django.db import connection, connections

from accounts.models import Account
from conftest import client_for

URL = "/api/v1/crm/accounts"


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="real concurrent writers need PostgreSQL (SQLite serialises the whole database)",
)
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_creates_get_twenty_distinct_numbers(make_user):
    user = make_user("admin", superuser=True)
    barrier = threading.Barrier(20)
    results: list[tuple[int, str]] = []
    lock = threading.Lock()

    def create(i: int) -> None:
        client = client_for(user)
        barrier.wait()
        try:
            response = client.post(URL, {"name": f"并发客户{i}"}, format="json")
            with lock:
                results.append((response.status_code, response.json()["data"]["accountNo"]))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [status for status, _ in results] == [200] * 20
    numbers = sorted(number for _, number in results)
    assert numbers == [f"ACC{i:03d}" for i in range(1, 21)]
    assert sorted(Account.objects.values_list("account_no", flat=True)) == numbers
