"""GET /accounts: filters, ordering and pagination (seed §3.1, CONTRACT.md §2)."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Account
from accounts.tests.factories import make_account
from core.services import soft_delete
from core.tests.api import assert_list_queries_constant, data_of, refused

pytestmark = pytest.mark.django_db

URL = "/api/v1/crm/accounts"


def listing(client, **params):
    return data_of(client.get(URL, params))


def names(client, **params):
    return sorted(row["name"] for row in listing(client, **params)["list"])


@pytest.fixture
def accounts():
    return [
        make_account(
            name="北京科技有限公司",
            status="active",
            industry="科技",
            region="华北",
            type="corporate",
        ),
        make_account(
            name="上海科技集团", status="inactive", industry="科技", region="华东", type="corporate"
        ),
        make_account(
            name="广州零售店", status="active", industry="零售", region="华南", type="individual"
        ),
        make_account(
            name="市政府采购中心",
            status="active",
            industry="政府",
            region="华北",
            type="government",
        ),
    ]


def test_filter_by_account_no_is_exact(admin_client, accounts):
    assert names(admin_client, accountNo="ACC002") == ["上海科技集团"]
    assert names(admin_client, accountNo="ACC00") == []


def test_filter_by_name_is_case_insensitive_substring(admin_client, accounts):
    assert names(admin_client, name="科技") == ["上海科技集团", "北京科技有限公司"]
    make_account(name="Acme Trading")
    assert names(admin_client, name="acme") == ["Acme Trading"]


def test_filter_by_status(admin_client, accounts):
    assert names(admin_client, status="inactive") == ["上海科技集团"]


def test_filter_by_industry_and_region(admin_client, accounts):
    assert names(admin_client, industry="科技", region="华北") == ["北京科技有限公司"]
    assert names(admin_client, region="华北") == ["北京科技有限公司", "市政府采购中心"]


def test_filter_by_type(admin_client, accounts):
    assert names(admin_client, type="government") == ["市政府采购中心"]
    assert names(admin_client, type="individual") == ["广州零售店"]


def test_filters_combine(admin_client, accounts):
    assert names(admin_client, status="active", industry="科技") == ["北京科技有限公司"]


def test_default_order_is_newest_first_with_id_tie_break(admin_client):
    same_time = timezone.now()
    rows = [make_account(name=f"n{i}") for i in range(5)]
    Account.objects.filter(pk__in=[r.pk for r in rows]).update(created_at=same_time)
    newest = make_account(name="newest")
    Account.objects.filter(pk=newest.pk).update(created_at=same_time + timedelta(seconds=1))
    listed = listing(admin_client, pageSize=100)["list"]
    assert listed[0]["name"] == "newest"
    tied = [row["id"] for row in listed[1:]]
    assert tied == sorted(tied, reverse=True)
    pages = [
        row["id"] for p in (1, 2, 3) for row in listing(admin_client, page=p, pageSize=2)["list"]
    ]
    assert len(pages) == len(set(pages)) == 6


def test_ordering_parameter(admin_client, accounts):
    asc = [row["accountNo"] for row in listing(admin_client, ordering="accountNo")["list"]]
    assert asc == ["ACC001", "ACC002", "ACC003", "ACC004"]
    desc = [row["name"] for row in listing(admin_client, ordering="-name")["list"]]
    assert desc == sorted(desc, reverse=True)


def test_unknown_ordering_answers_400(admin_client, accounts):
    response = admin_client.get(URL, {"ordering": "password"})
    assert response.status_code == 400 and "ordering" in response.json()["data"]


def test_soft_deleted_accounts_are_not_listed(admin_client, accounts):
    soft_delete(instance=accounts[0], by=None)
    listed = listing(admin_client)
    assert listed["total"] == 3
    assert "北京科技有限公司" not in [row["name"] for row in listed["list"]]


def test_list_rows_have_the_seed_fields(admin_client, accounts):
    row = listing(admin_client, accountNo="ACC001")["list"][0]
    assert set(row) == {
        "id",
        "accountNo",
        "name",
        "type",
        "industry",
        "region",
        "address",
        "contactPerson",
        "phone",
        "email",
        "status",
        "createdBy",
        "createdAt",
        "updatedBy",
        "updatedAt",
    }


# --- pagination --------------------------------------------------------------------------------


def test_pagination_defaults(admin_client):
    for i in range(12):
        make_account(name=f"c{i}")
    page = listing(admin_client)
    assert (page["page"], page["pageSize"], page["total"], len(page["list"])) == (1, 10, 12, 10)
    second = listing(admin_client, page=2)
    assert (second["page"], len(second["list"])) == (2, 2)


def test_page_past_the_end_is_empty_with_the_true_total(admin_client, accounts):
    page = listing(admin_client, page=99)
    assert page["list"] == [] and page["total"] == 4 and page["page"] == 99


def test_huge_page_number_is_still_an_empty_page(admin_client, accounts):
    page = listing(admin_client, page=10**30)
    assert page["list"] == [] and page["total"] == 4


def test_page_size_is_clamped_to_100(admin_client):
    Account.objects.bulk_create(
        [Account(account_no=f"B{i:04d}", name=f"bulk{i}") for i in range(105)]
    )
    page = listing(admin_client, pageSize=500)
    assert page["pageSize"] == 100 and len(page["list"]) == 100 and page["total"] == 105


@pytest.mark.parametrize(
    ("param", "value"),
    [("page", "0"), ("page", "-1"), ("page", "abc"), ("pageSize", "0"), ("pageSize", "1.5")],
)
def test_invalid_page_parameters_answer_400(admin_client, param, value):
    response = admin_client.get(URL, {param: value})
    assert param in refused(response)


def test_list_costs_the_same_queries_for_1_row_and_for_100(admin_client, make_user):
    creator = make_user("creator")
    numbers = itertools.count()

    def add_row():
        index = next(numbers)
        make_account(by=creator if index % 2 else None, name=f"c{index}")

    url = f"{URL}?pageSize=100"
    assert assert_list_queries_constant(admin_client, url, add_row, many=100) <= 4
