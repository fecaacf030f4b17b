"""Rules of cases.services that hold whoever calls them, and the invariants in the database."""

import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction

from accounts.tests.factories import make_account
from cases import services
from cases.models import Case, CaseComment, CaseStatus
from cases.tests.factories import make_case, make_case_in
from core import services as core_services
from core.exceptions import BusinessError, ErrorCode

pytestmark = pytest.mark.django_db


def test_transition_table_is_the_contract_flow():
    assert {(a, b) for a, targets in services.TRANSITIONS.items() for b in targets} == {
        ("new", "in_progress"),
        ("in_progress", "resolved"),
        ("resolved", "in_progress"),
        ("resolved", "closed"),
    }


def test_service_refuses_out_of_range_satisfaction():
    case = make_case_in(CaseStatus.RESOLVED)
    with pytest.raises(BusinessError) as caught:
        services.case_close(case=case, resolution="完成", satisfaction=6, by=None)
    assert caught.value.code == ErrorCode.BAD_REQUEST
    assert Case.objects.get(pk=case.pk).status == CaseStatus.RESOLVED


def test_service_refuses_a_blank_comment():
    case = make_case()
    with pytest.raises(BusinessError):
        services.case_add_comment(case=case, content="  ", by=None)
    assert not CaseComment.objects.exists()


def test_stale_instance_cannot_bypass_the_closed_check():
    """The service re-reads the locked row: a copy loaded before the close does not count."""
    stale = make_case_in(CaseStatus.RESOLVED)
    services.case_close(case=Case.objects.get(pk=stale.pk), resolution="完成", by=None)
    assert stale.status == CaseStatus.RESOLVED  # the caller's copy is out of date
    for write in (
        lambda: services.case_update(case=stale, data={"subject": "改"}, by=None),
        lambda: services.case_add_comment(case=stale, content="再评论", by=None),
        lambda: services.case_close(case=stale, resolution="再关", by=None),
    ):
        with pytest.raises(BusinessError) as caught:
            write()
        assert caught.value.code == ErrorCode.CASE_STATUS_INVALID


@pytest.mark.parametrize(
    "fields",
    [
        {"satisfaction": 0},
        {"satisfaction": 6},
        {"priority": "critical"},
        {"type": "bug"},
        {"status": "reopened"},
        {"status": CaseStatus.IN_PROGRESS},  # moved out of new without a response time
        {"status": CaseStatus.CLOSED},  # closed without closed_at / resolution_time
    ],
)
def test_database_refuses_rows_that_break_the_invariants(fields):
    case = make_case()
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.all_objects.filter(pk=case.pk).update(**fields)


@pytest.mark.django_db(transaction=True)
def test_concurrent_closes_close_once():
    """Two agents close the same case at the same moment: one wins, the other gets 4008."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT ... FOR UPDATE) need PostgreSQL")
    case = make_case_in(CaseStatus.RESOLVED)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def close(resolution: str) -> None:
        try:
            barrier.wait()
            services.case_close(case=Case.objects.get(pk=case.pk), resolution=resolution, by=None)
            outcomes.append("closed")
        except BusinessError as exc:
            outcomes.append(int(exc.code))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=close, args=(text,)) for text in ("甲", "乙")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes, key=str) == sorted(["closed", 4008], key=str)


def test_service_refuses_a_soft_deleted_account():
    """The API's accountId cannot name one, but the back office lists deleted accounts too."""
    account = make_account()
    core_services.soft_delete(instance=account, by=None)
    with pytest.raises(BusinessError) as caught:
        services.case_create(account=account, subject="x", type="issue", by=None)
    assert caught.value.code == ErrorCode.ACCOUNT_NOT_FOUND
    assert not Case.all_objects.exists()
