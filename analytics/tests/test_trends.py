"""GET /analytics/trends: buckets, labels, empty buckets, window clipping and the four metrics."""

import pytest

from analytics.tests import factories as f
from analytics.tests.helpers import fetch, figures
from core.tests.api import refused

pytestmark = pytest.mark.django_db


def series(data: dict) -> list[tuple[str, object]]:
    return [(point["date"], point["value"]) for point in data["data"]]


def test_default_is_six_months_ending_with_the_current_one(admin_client, today):
    today("2023-02-10")
    a = f.account("2022-08-31 23:59:59")  # before the range
    f.opportunity(a, "2022-09-01 00:00:00")
    f.opportunity(a, "2022-09-30 23:59:59")
    f.opportunity(a, "2022-12-15")
    f.opportunity(a, "2023-02-28 23:59:59")
    f.opportunity(a, "2023-03-01 00:00:00")  # after the range

    data = figures(admin_client, "trends", metric="opportunities")
    assert data["metric"] == "opportunities"
    assert data["period"] == "month"
    assert series(data) == [
        ("2022-09", 2),
        ("2022-10", 0),
        ("2022-11", 0),
        ("2022-12", 1),
        ("2023-01", 0),
        ("2023-02", 1),
    ]


def test_timestamps_are_bucketed_by_their_utc_date(admin_client):
    a = f.account("2023-01-01")
    # 20:00 UTC on 31 January is already 1 February in Shanghai, the admin's time zone.
    f.opportunity(a, "2023-01-31 20:00:00")
    data = figures(
        admin_client,
        "trends",
        metric="opportunities",
        startDate="2023-01-01",
        endDate="2023-02-28",
    )
    assert series(data) == [("2023-01", 1), ("2023-02", 0)]


def test_iso_weeks_across_a_year_boundary(admin_client):
    a = f.account("2019-01-01")
    f.activity(a, "2019-12-23 00:00:00")  # before startDate, inside the first week: clipped
    f.activity(a, "2019-12-25 00:00:00")  # startDate itself
    f.activity(a, "2019-12-29 23:59:59")  # Sunday: still 2019-W52
    f.activity(a, "2019-12-30 00:00:00")  # Monday: 2020-W01, though still December
    f.activity(a, "2020-01-06 23:59:59")  # endDate itself (2020-W02)
    f.activity(a, "2020-01-07 00:00:00")  # after endDate, inside the last week: clipped
    f.activity(a, None)  # no start time: in no bucket

    data = figures(
        admin_client,
        "trends",
        metric="activities",
        period="week",
        startDate="2019-12-25",
        endDate="2020-01-06",
    )
    assert series(data) == [("2019-W52", 2), ("2020-W01", 1), ("2020-W02", 1)]


def test_week_53(admin_client):
    a = f.account("2020-01-01")
    f.activity(a, "2021-01-03 12:00:00")  # Sunday of 2020-W53
    data = figures(
        admin_client,
        "trends",
        metric="activities",
        period="week",
        startDate="2020-12-28",
        endDate="2021-01-04",
    )
    assert series(data) == [("2020-W53", 1), ("2021-W01", 0)]


def test_quarters_split_on_the_last_second_of_march(admin_client):
    a = f.account("2022-01-01")
    f.opportunity(a, "2023-03-31 23:59:59")
    f.opportunity(a, "2023-04-01 00:00:00")
    f.opportunity(a, "2023-04-01 00:00:01")
    data = figures(
        admin_client,
        "trends",
        metric="opportunities",
        period="quarter",
        startDate="2023-01-01",
        endDate="2023-12-31",
    )
    assert series(data) == [("2023-Q1", 1), ("2023-Q2", 2), ("2023-Q3", 0), ("2023-Q4", 0)]


def test_years_split_on_new_year(admin_client):
    a = f.account("2020-01-01")
    f.won(a, "2021-12-31 23:59:59", "10.10")
    f.won(a, "2022-01-01 00:00:00", "20.20")
    f.won(a, "2022-06-30", "0.05")
    data = figures(
        admin_client,
        "trends",
        metric="revenue",
        period="year",
        startDate="2020-01-01",
        endDate="2022-12-31",
    )
    assert series(data) == [("2020", 0), ("2021", 10.1), ("2022", 20.25)]


def test_revenue_is_won_amounts_by_closing_date(admin_client):
    a = f.account("2023-01-01")
    f.won(a, "2023-02-10", "1000.00", created="2022-11-01")  # counts when won, not created
    f.won(a, "2023-02-11", "0.10")
    f.won(a, "2023-02-12", "0.20")
    f.lost(a, "2023-02-13")  # lost: no revenue
    f.opportunity(a, "2023-02-14", stage="negotiation", amount="500.00")  # not closed
    f.soft_delete(f.won(a, "2023-02-15", "999.00"))
    gone = f.soft_delete(f.account("2023-01-01"))
    f.won(gone, "2023-02-16", "888.00")
    data = figures(
        admin_client, "trends", metric="revenue", startDate="2023-01-01", endDate="2023-03-31"
    )
    assert series(data) == [("2023-01", 0), ("2023-02", 1000.3), ("2023-03", 0)]


def test_customers_are_cumulative_live_accounts_at_each_bucket_end(admin_client):
    f.account("2022-06-01")  # before the range: counted from the first bucket on
    f.account("2022-12-31 23:59:59")
    f.account("2023-01-01 00:00:00")
    f.account("2023-01-20")
    f.soft_delete(f.account("2023-02-05"))
    f.account("2023-03-31 23:59:59")
    f.account("2023-04-01 00:00:00")  # after the range

    data = figures(
        admin_client, "trends", metric="customers", startDate="2023-01-01", endDate="2023-03-31"
    )
    assert series(data) == [("2023-01", 4), ("2023-02", 4), ("2023-03", 5)]


def test_customers_stop_at_a_window_ending_inside_a_bucket(admin_client):
    f.account("2023-01-05")
    f.account("2023-03-10")
    f.account("2023-03-11")  # after endDate, inside March
    data = figures(
        admin_client, "trends", metric="customers", startDate="2023-01-15", endDate="2023-03-10"
    )
    assert series(data) == [("2023-01", 1), ("2023-02", 1), ("2023-03", 2)]


def test_activities_of_deleted_records_do_not_count(admin_client):
    a = f.account("2023-01-01")
    f.activity(a, "2023-05-02")
    f.soft_delete(f.activity(a, "2023-05-03"))
    gone = f.soft_delete(f.account("2023-01-01"))
    f.activity(gone, "2023-05-04")
    data = figures(
        admin_client, "trends", metric="activities", startDate="2023-05-01", endDate="2023-05-31"
    )
    assert series(data) == [("2023-05", 1)]


def test_empty_database_gives_six_zero_buckets(admin_client, today):
    today("2023-05-17")
    for metric in ("customers", "opportunities", "revenue", "activities"):
        data = figures(admin_client, "trends", metric=metric, period="week")
        assert [point["value"] for point in data["data"]] == [0] * 6
        assert data["data"][-1]["date"] == "2023-W20"
        assert data["data"][0]["date"] == "2023-W15"


def test_end_date_alone_gives_six_buckets_ending_there(admin_client, today):
    today("2030-01-01")
    data = figures(admin_client, "trends", metric="customers", period="year", endDate="2023-03-01")
    assert [point["date"] for point in data["data"]] == [
        "2018",
        "2019",
        "2020",
        "2021",
        "2022",
        "2023",
    ]


def test_start_date_alone_runs_to_today(admin_client, today):
    today("2023-04-10")
    data = figures(
        admin_client, "trends", metric="opportunities", period="quarter", startDate="2022-11-30"
    )
    assert [point["date"] for point in data["data"]] == ["2022-Q4", "2023-Q1", "2023-Q2"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "metric"),
        ({"metric": ""}, "metric"),
        ({"metric": "profit"}, "metric"),
        ({"metric": "customers", "period": "day"}, "period"),
        ({"metric": "customers", "startDate": "2023-02-29"}, "startDate"),
        ({"metric": "customers", "endDate": "yesterday"}, "endDate"),
        ({"metric": "customers", "startDate": "2023-02-02", "endDate": "2023-02-01"}, "endDate"),
        ({"metric": "customers", "period": "week", "startDate": "1900-01-01"}, "period"),
    ],
)
def test_bad_parameters_answer_400(admin_client, params, field, today):
    today("2023-06-01")
    response = fetch(admin_client, "trends", **params)
    assert field in refused(response)


def test_start_date_after_today_without_end_date_answers_400(admin_client, today):
    today("2023-06-01")
    response = fetch(admin_client, "trends", metric="customers", startDate="2023-06-02")
    assert response.status_code == 400
