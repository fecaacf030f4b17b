"""GET /analytics/overview: every figure of CONTRACT.md §5, worked out by hand per window."""

import pytest

from analytics.tests import factories as f
from analytics.tests.helpers import fetch, figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset():
    """Records on both sides of March 2023's edges (first and last second of the window)."""
    a1 = f.account("2023-01-10 08:00:00", status="active")
    a2 = f.account("2023-02-28 23:59:59", status="inactive")  # one second before March
    a3 = f.account("2023-03-01 00:00:00", status="active")  # March's first second
    a4 = f.account("2023-03-31 23:59:59", status="inactive")  # March's last second
    a5 = f.account("2023-04-01 00:00:00", status="active")  # one second after March
    gone = f.soft_delete(f.account("2023-03-15 12:00:00", status="active"))

    f.won(a1, "2023-02-28 23:59:59", "1000.00", created="2023-01-15")  # o1
    f.won(a1, "2023-03-01 00:00:00", "500.50", created="2023-02-20")  # o2
    f.lost(a2, "2023-03-31 23:59:59", created="2023-03-01 00:00:00")  # o3
    f.opportunity(a3, "2023-03-10", stage="prospecting")  # o4
    f.opportunity(a3, "2023-03-31 23:59:59", stage="negotiation")  # o5
    f.won(a4, "2023-04-01 00:00:00", "200.00", created="2023-03-20")  # o6
    f.opportunity(a5, "2023-04-02", stage="prospecting")  # o7
    f.soft_delete(f.won(a3, "2023-03-15", "9999.00"))  # deleted deal
    f.won(gone, "2023-03-15", "7777.00")  # live deal of a deleted account

    f.campaign("2023-01-01", "300.00")  # c1
    f.campaign("2023-03-01", "100.10")  # c2: March's first day
    f.campaign("2023-03-31", "50.15")  # c3: March's last day
    f.campaign("2023-04-01", "80.00")  # c4
    f.campaign(None, "20.00")  # c5: no start date
    f.soft_delete(f.campaign("2023-03-15", "1000.00"))


MARCH = {
    "totalCustomers": 4,  # a1 a2 a3 a4 (created up to 03-31)
    "newCustomers": 2,  # a3 a4
    "activeCustomers": 2,  # a1 a3
    "totalOpportunities": 4,  # o3 o4 o5 o6 created in March
    "openOpportunities": 2,  # o4 o5 (o3 lost, o6 won since)
    "wonOpportunities": 1,  # o2 (o1 closed 02-28 23:59:59, o6 on 04-01)
    "lostOpportunities": 1,  # o3
    "totalRevenue": 500.5,
    "averageDealSize": 500.5,
    "customerAcquisitionCost": 75.13,  # (100.10 + 50.15) / 2 = 75.125, half up
    "customerLifetimeValue": 850.25,  # (1000 + 500.50 + 200) / 2 accounts (a1, a4)
}


def test_window_counts_its_first_and_last_day(admin_client, dataset):
    data = figures(admin_client, "overview", startDate="2023-03-01", endDate="2023-03-31")
    assert data == MARCH


def test_all_time_without_dates_or_period(admin_client, dataset):
    assert figures(admin_client, "overview") == {
        "totalCustomers": 5,
        "newCustomers": 5,
        "activeCustomers": 3,  # a1 a3 a5
        "totalOpportunities": 7,
        "openOpportunities": 3,  # o4 o5 o7
        "wonOpportunities": 3,  # o1 o2 o6
        "lostOpportunities": 1,
        "totalRevenue": 1700.5,
        "averageDealSize": 566.83,  # 1700.50 / 3
        "customerAcquisitionCost": 110.05,  # every live campaign: 550.25 / 5
        "customerLifetimeValue": 850.25,
    }


def test_period_month_is_the_calendar_month_holding_today(admin_client, dataset, today):
    today("2023-03-15")
    assert figures(admin_client, "overview", period="month") == MARCH


def test_period_quarter(admin_client, dataset, today):
    today("2023-02-15")
    assert figures(admin_client, "overview", period="quarter") == {
        "totalCustomers": 4,
        "newCustomers": 4,
        "activeCustomers": 2,
        "totalOpportunities": 6,  # o1..o6
        "openOpportunities": 2,
        "wonOpportunities": 2,  # o1 o2
        "lostOpportunities": 1,
        "totalRevenue": 1500.5,
        "averageDealSize": 750.25,
        "customerAcquisitionCost": 112.56,  # (300 + 100.10 + 50.15) / 4 = 112.5625
        "customerLifetimeValue": 850.25,
    }


def test_period_week_runs_monday_to_sunday(admin_client, dataset, today):
    today("2023-03-01")  # a Wednesday: the week is 2023-02-27 .. 2023-03-05
    assert figures(admin_client, "overview", period="week") == {
        "totalCustomers": 3,  # a1 a2 a3
        "newCustomers": 2,  # a2 a3
        "activeCustomers": 2,
        "totalOpportunities": 1,  # o3
        "openOpportunities": 0,
        "wonOpportunities": 2,  # o1 (02-28) and o2 (03-01)
        "lostOpportunities": 0,
        "totalRevenue": 1500.5,
        "averageDealSize": 750.25,
        "customerAcquisitionCost": 50.05,  # c2 100.10 / 2
        "customerLifetimeValue": 850.25,
    }


def test_period_year_leaves_out_campaigns_without_a_start_date(admin_client, dataset, today):
    today("2023-06-01")
    data = figures(admin_client, "overview", period="year")
    assert data["newCustomers"] == 5
    assert data["customerAcquisitionCost"] == 106.05  # 530.25 / 5: c5 has no start date


def test_dates_win_over_period(admin_client, dataset, today):
    today("2020-01-01")
    data = figures(
        admin_client, "overview", period="year", startDate="2023-03-01", endDate="2023-03-31"
    )
    assert data == MARCH


def test_a_window_may_be_open_on_one_side(admin_client, dataset):
    since_april = figures(admin_client, "overview", startDate="2023-04-01")
    assert since_april["totalCustomers"] == 5
    assert since_april["newCustomers"] == 1  # a5
    assert since_april["totalOpportunities"] == 1  # o7
    assert since_april["wonOpportunities"] == 1  # o6 closed 04-01 00:00
    assert since_april["totalRevenue"] == 200
    assert since_april["customerAcquisitionCost"] == 80  # c4 / a5

    until_february = figures(admin_client, "overview", endDate="2023-02-28")
    assert until_february["totalCustomers"] == 2  # a1 a2
    assert until_february["activeCustomers"] == 1
    assert until_february["totalOpportunities"] == 2  # o1 o2
    assert until_february["openOpportunities"] == 0
    assert until_february["wonOpportunities"] == 1  # o1
    assert until_february["totalRevenue"] == 1000
    assert until_february["customerAcquisitionCost"] == 150  # c1 300 / 2


def test_soft_deleted_records_do_not_count(admin_client, dataset):
    before = figures(admin_client, "overview")
    a1 = f.Account.objects.get(created_at=f.at("2023-01-10 08:00:00"))
    f.soft_delete(a1)  # takes o1 and o2 (1500.50 of revenue) with it
    after = figures(admin_client, "overview")
    assert after["totalCustomers"] == before["totalCustomers"] - 1
    assert after["wonOpportunities"] == 1
    assert after["totalRevenue"] == 200
    assert after["customerLifetimeValue"] == 200  # 200 / a4


def test_divisions_by_zero_give_zero(admin_client):
    assert figures(admin_client, "overview") == {
        "totalCustomers": 0,
        "newCustomers": 0,
        "activeCustomers": 0,
        "totalOpportunities": 0,
        "openOpportunities": 0,
        "wonOpportunities": 0,
        "lostOpportunities": 0,
        "totalRevenue": 0,
        "averageDealSize": 0,
        "customerAcquisitionCost": 0,
        "customerLifetimeValue": 0,
    }


def test_campaign_cost_without_new_customers_gives_zero_acquisition_cost(admin_client, dataset):
    data = figures(admin_client, "overview", startDate="2023-01-01", endDate="2023-01-05")
    assert data["newCustomers"] == 0
    assert data["customerAcquisitionCost"] == 0  # c1 spent 300, nobody new
    assert data["averageDealSize"] == 0


def test_money_is_a_json_number(admin_client, dataset):
    body = fetch(admin_client, "overview").content.decode()
    assert '"totalRevenue":1700.5' in body.replace(" ", "")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period": "day"}, "period"),
        ({"startDate": "2023-13-01"}, "startDate"),
        ({"startDate": "2023/01/01"}, "startDate"),
        ({"startDate": "20230101"}, "startDate"),
        ({"endDate": "2023-02-30"}, "endDate"),
        ({"endDate": "2023-01-01T00:00:00"}, "endDate"),
        ({"startDate": "2023-03-02", "endDate": "2023-03-01"}, "endDate"),
    ],
)
def test_bad_parameters_answer_400(admin_client, params, field):
    response = fetch(admin_client, "overview", **params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == 400
    assert field in body["data"]


def test_a_one_day_window(admin_client, dataset):
    data = figures(admin_client, "overview", startDate="2023-03-31", endDate="2023-03-31")
    assert data["newCustomers"] == 1  # a4 at 23:59:59
    assert data["totalOpportunities"] == 1  # o5
    assert data["lostOpportunities"] == 1  # o3
    assert data["customerAcquisitionCost"] == 50.15
