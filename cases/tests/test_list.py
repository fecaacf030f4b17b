"""GET /cases: paging, every filter of seed §6.1, ordering and a fixed query count."""

import datetime
import itertools

import pytest

from accounts.tests.factories import make_account
from cases.models import Case, CaseStatus
from cases.tests.factories import make_case, make_case_in, make_contact
from core import services as core_services
from core.tests.api import assert_list_queries_constant, data_of

pytestmark = pytest.mark.django_db

URL = "/api/v1/crm/cases"


def listed(client, **params) -> list[str]:
    return [row["caseNo"] for row in data_of(client.get(URL, params))["list"]]


def created_on(case: Case, day: str, hour: int = 12) -> None:
    moment = datetime.datetime.fromisoformat(f"{day}T{hour:02d}:00:00+00:00")
    Case.all_objects.filter(pk=case.pk).update(created_at=moment)


def test_list_rows_have_the_seed_fields(admin_client):
    account = make_account()
    make_case(account, contact=make_contact(account), priority="high")

    data = admin_client.get(URL).json()["data"]

    assert (data["total"], data["page"], data["pageSize"]) == (1, 1, 10)
    assert set(data["list"][0]) == {
        "id",
        "caseNo",
        "accountId",
        "accountName",
        "contactId",
        "contactName",
        "subject",
        "type",
        "priority",
        "status",
        "createdBy",
        "createdAt",
        "updatedBy",
        "updatedAt",
    }
    row = data["list"][0]
    assert (row["accountName"], row["contactName"], row["priority"]) == (
        "北京科技有限公司",
        "李四",
        "high",
    )


def test_newest_first_and_paged(admin_client):
    account = make_account()
    for _ in range(3):
        make_case(account)
    assert listed(admin_client) == ["CAS003", "CAS002", "CAS001"]
    page = admin_client.get(URL, {"page": 2, "pageSize": 2}).json()["data"]
    assert ([row["caseNo"] for row in page["list"]], page["total"]) == (["CAS001"], 3)


def test_soft_deleted_cases_are_not_listed(admin_client):
    case = make_case()
    make_case(case.account)
    core_services.soft_delete(instance=case, by=None)
    assert listed(admin_client) == ["CAS002"]


def test_filter_by_account(admin_client):
    mine, other = make_account(), make_account(name="上海贸易有限公司")
    make_case(mine)
    make_case(other)
    assert listed(admin_client, accountId=str(mine.pk)) == ["CAS001"]


def test_filter_by_case_number_is_exact(admin_client):
    account = make_account()
    for _ in range(11):
        make_case(account)
    assert listed(admin_client, caseNo="CAS001") == ["CAS001"]
    assert listed(admin_client, caseNo="CAS01") == []


def test_filter_by_subject_is_a_case_insensitive_substring(admin_client):
    account = make_account()
    make_case(account, subject="Login problem 登录")
    make_case(account, subject="发票错误")
    assert listed(admin_client, subject="LOGIN") == ["CAS001"]
    assert listed(admin_client, subject="登录") == ["CAS001"]


def test_filter_by_status(admin_client):
    account = make_account()
    make_case(account)
    make_case_in(CaseStatus.RESOLVED, account)
    make_case_in(CaseStatus.CLOSED, account)
    assert listed(admin_client, status="new") == ["CAS001"]
    assert listed(admin_client, status="resolved") == ["CAS002"]
    assert listed(admin_client, status="closed") == ["CAS003"]
    assert listed(admin_client, status="in_progress") == []


def test_filter_by_priority_and_type(admin_client):
    account = make_account()
    make_case(account, priority="urgent", type="complaint")
    make_case(account, priority="low", type="question")
    assert listed(admin_client, priority="urgent") == ["CAS001"]
    assert listed(admin_client, type="question") == ["CAS002"]
    assert listed(admin_client, priority="urgent", type="question") == []


def test_created_date_range_is_inclusive_at_both_ends(admin_client):
    account = make_account()
    days = ["2023-05-31", "2023-06-01", "2023-06-15", "2023-06-30", "2023-07-01"]
    for day in days:
        created_on(make_case(account), day, hour=23 if day == "2023-06-30" else 0)

    in_june = listed(admin_client, createdDateStart="2023-06-01", createdDateEnd="2023-06-30")
    assert sorted(in_june) == ["CAS002", "CAS003", "CAS004"]
    assert sorted(listed(admin_client, createdDateStart="2023-06-30")) == ["CAS004", "CAS005"]
    assert sorted(listed(admin_client, createdDateEnd="2023-05-31")) == ["CAS001"]


def test_created_date_is_the_utc_date(admin_client):
    case = make_case()
    # 2023-06-01 23:30 UTC is already 2023-06-02 in Shanghai; the API speaks UTC.
    Case.all_objects.filter(pk=case.pk).update(
        created_at=datetime.datetime(2023, 6, 1, 23, 30, tzinfo=datetime.UTC)
    )
    assert listed(admin_client, createdDateStart="2023-06-01", createdDateEnd="2023-06-01") == [
        "CAS001"
    ]


def test_ordering(admin_client):
    account = make_account()
    make_case(account, subject="b")
    make_case(account, subject="a")
    make_case(account, subject="c")
    assert listed(admin_client, ordering="subject") == ["CAS002", "CAS001", "CAS003"]
    assert listed(admin_client, ordering="-subject") == ["CAS003", "CAS001", "CAS002"]
    assert listed(admin_client, ordering="createdAt") == ["CAS001", "CAS002", "CAS003"]


def test_list_costs_the_same_queries_for_one_or_many_rows(admin_client, make_user):
    numbers = itertools.count()

    def add_row():
        index = next(numbers)
        account = make_account(name=f"客户{index}", by=make_user(f"user{index}"))
        make_case(account, contact=make_contact(account), by=make_user(f"agent{index}"))

    assert_list_queries_constant(admin_client, URL, add_row, many=9)
