"""Races answer the contract's error, never a 500 (issue 20, item 6). PostgreSQL only: SQLite
serialises every writer, so none of these races can happen there.

Each race is made certain rather than hoped for: a transaction in another thread makes the
first write and keeps it open until the request under test is seen waiting for its lock
(``pg_stat_activity``), then commits. The request therefore always finds the state the other
write left, after validation has already passed on the state before it.
"""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction

from accounts.models import Account
from accounts.services import account_create, account_delete
from campaigns.services import campaign_delete
from campaigns.tests.factories import make_campaign
from conftest import client_for
from core.exceptions import ErrorCode
from sales.services import lead_delete
from sales.tests.factories import make_lead

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks and real concurrency need PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]

CRM = "/api/v1/crm"
WAIT_SECONDS = 15


def _waiting_on_locks() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def concurrently(requests, *, while_running=lambda: None) -> list:
    """Send every one of ``requests`` from its own thread (its own connection), all released
    together; run ``while_running()`` meanwhile; return the responses in order."""
    responses: list = [None] * len(requests)
    start = threading.Barrier(len(requests))

    def send(index, request):
        try:
            start.wait(WAIT_SECONDS)
            responses[index] = request()
        finally:
            connections.close_all()

    senders = [threading.Thread(target=send, args=item) for item in enumerate(requests)]
    for sender in senders:
        sender.start()
    while_running()
    for sender in senders:
        sender.join(WAIT_SECONDS * 2)
    return responses


def race(first_write, requests) -> list:
    """Run ``first_write()`` in a transaction held open until every one of ``requests`` waits
    on a lock, then commit it; return the responses, in the order of ``requests``."""
    written, release = threading.Event(), threading.Event()
    failures: list[BaseException] = []
    waiting: list[int] = []

    def hold():
        try:
            with transaction.atomic():
                first_write()
                written.set()
                release.wait(WAIT_SECONDS)
        except BaseException as exc:  # reported by the test, not lost in the thread
            failures.append(exc)
        finally:
            written.set()
            connections.close_all()

    def release_once_all_wait():
        deadline = time.monotonic() + WAIT_SECONDS
        while _waiting_on_locks() < len(requests) and time.monotonic() < deadline:
            time.sleep(0.02)
        waiting.append(_waiting_on_locks())
        release.set()

    holder = threading.Thread(target=hold)
    holder.start()
    assert written.wait(WAIT_SECONDS)
    responses = concurrently(requests, while_running=release_once_all_wait)
    holder.join(WAIT_SECONDS)
    assert not failures, failures
    assert waiting == [len(requests)], "the requests never waited for the first write"
    return responses


def assert_answer(response, status: int, code: int) -> dict:
    body = response.json()
    assert (response.status_code, body["code"]) == (status, code), body
    return body


@pytest.fixture
def admin(make_user):
    return make_user("admin", superuser=True)


# --- one taxNo, two writers --------------------------------------------------------------------


def test_a_create_racing_another_create_with_the_same_tax_number_answers_400(admin):
    client = client_for(admin)

    [response] = race(
        lambda: account_create(by=None, name="先到的客户", tax_no="91110000TAX"),
        [lambda: client.post(f"{CRM}/accounts", {"name": "后到", "taxNo": "91110000TAX"})],
    )

    body = assert_answer(response, 400, 400)
    assert list(body["data"]) == ["taxNo"]
    assert Account.objects.filter(tax_no="91110000TAX").count() == 1


def test_a_put_racing_a_create_with_the_same_tax_number_answers_400(admin):
    client = client_for(admin)
    other = account_create(by=None, name="另一个客户")

    [response] = race(
        lambda: account_create(by=None, name="先到的客户", tax_no="91110000TAX"),
        [lambda: client.put(f"{CRM}/accounts/{other.pk}", {"taxNo": "91110000TAX"})],
    )

    body = assert_answer(response, 400, 400)
    assert list(body["data"]) == ["taxNo"]
    assert Account.objects.get(pk=other.pk).tax_no is None


def test_twenty_concurrent_creates_with_one_tax_number_give_one_account(admin):
    clients = [client_for(admin) for _ in range(20)]

    responses = concurrently(
        [
            lambda i=i, client=client: client.post(
                f"{CRM}/accounts", {"name": f"客户{i}", "taxNo": "TAX-20"}
            )
            for i, client in enumerate(clients)
        ]
    )

    statuses = sorted((r.status_code, r.json()["code"]) for r in responses)
    assert statuses == [(200, 200)] + [(400, 400)] * 19
    assert Account.objects.filter(tax_no="TAX-20").count() == 1


# --- a write racing a DELETE -------------------------------------------------------------------


# What each resource's DELETE does, and a record to race it on.
RECORDS = {
    "account": (
        lambda: account_create(by=None, name="客户", credit_limit=Decimal(5)),
        lambda record: account_delete(account=record, by=None),
    ),
    "lead": (make_lead, lambda record: lead_delete(lead=record, by=None)),
    "campaign": (make_campaign, lambda record: campaign_delete(campaign=record, by=None)),
}


@pytest.mark.parametrize(
    ("resource", "method", "url", "body", "code"),
    [
        ("account", "put", "accounts/{id}", {"name": "改名"}, ErrorCode.ACCOUNT_NOT_FOUND),
        ("account", "put", "accounts/{id}/status", {"status": "inactive"}, 4001),
        (
            "account",
            "post",
            "accounts/{id}/credit-assessment",
            {"creditScore": 80, "creditLimit": 1000},
            ErrorCode.ACCOUNT_NOT_FOUND,
        ),
        ("account", "post", "accounts/{id}/credit-assessment", {"creditScore": 80}, 4001),
        ("lead", "put", "leads/{id}", {"name": "改名"}, ErrorCode.LEAD_NOT_FOUND),
        ("campaign", "put", "campaigns/{id}", {"name": "改名"}, ErrorCode.NOT_FOUND),
    ],
)
def test_a_write_racing_a_delete_of_its_record_answers_404_with_the_records_code(
    admin, resource, method, url, body, code
):
    client = client_for(admin)
    make, delete = RECORDS[resource]
    record = make()
    send = getattr(client, method)

    [response] = race(
        lambda: delete(record),
        [lambda: send(f"{CRM}/{url.format(id=record.pk)}", body, format="json")],
    )

    assert_answer(response, 404, code)
    stored = type(record).all_objects.get(pk=record.pk)
    assert stored.deleted_at is not None
    assert stored.name == record.name  # the losing write changed nothing
    if resource == "account":
        assert (stored.status, stored.credit_limit) == ("active", Decimal(5))
        assert not stored.credit_assessments.exists()


# --- concurrent DELETEs ------------------------------------------------------------------------


def test_ten_concurrent_deletes_of_one_account_give_one_200_and_nine_4001(admin):
    account = account_create(by=None, name="要删除的客户")
    clients = [client_for(admin) for _ in range(10)]

    responses = race(
        # The first write only holds the row, so that all ten deletes wait, then race together.
        lambda: Account.objects.select_for_update().get(pk=account.pk),
        [lambda client=client: client.delete(f"{CRM}/accounts/{account.pk}") for client in clients],
    )

    answers = sorted((r.status_code, r.json()["code"]) for r in responses)
    assert answers == [(200, 200)] + [(404, 4001)] * 9
    history = Account.history.filter(id=account.pk, history_type="~")
    assert history.count() == 1  # one delete recorded, not ten
