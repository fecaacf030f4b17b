"""Calendar arithmetic: bucket starts, ends and labels at week, quarter and year boundaries."""

import datetime

import pytest

from analytics.periods import (
    Period,
    Window,
    bucket_count,
    bucket_end,
    bucket_label,
    bucket_start,
    bucket_starts,
    current_window,
    trailing_window,
)


def d(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


@pytest.mark.parametrize(
    ("day", "period", "start", "end"),
    [
        ("2023-02-01", Period.WEEK, "2023-01-30", "2023-02-05"),  # Wednesday -> Monday..Sunday
        ("2023-01-30", Period.WEEK, "2023-01-30", "2023-02-05"),  # a Monday starts its week
        ("2023-02-05", Period.WEEK, "2023-01-30", "2023-02-05"),  # a Sunday ends it
        ("2024-02-29", Period.MONTH, "2024-02-01", "2024-02-29"),  # leap February
        ("2023-03-31", Period.QUARTER, "2023-01-01", "2023-03-31"),
        ("2023-04-01", Period.QUARTER, "2023-04-01", "2023-06-30"),
        ("2023-12-31", Period.QUARTER, "2023-10-01", "2023-12-31"),
        ("2023-07-14", Period.YEAR, "2023-01-01", "2023-12-31"),
    ],
)
def test_bucket_start_and_end(day, period, start, end):
    assert bucket_start(d(day), period) == d(start)
    assert bucket_end(d(day), period) == d(end)


@pytest.mark.parametrize(
    ("start", "period", "label"),
    [
        ("2023-01-30", Period.WEEK, "2023-W05"),
        ("2019-12-30", Period.WEEK, "2020-W01"),  # ISO week 1 of 2020 starts in December 2019
        ("2020-12-28", Period.WEEK, "2020-W53"),  # 2020 has 53 ISO weeks
        ("2021-01-04", Period.WEEK, "2021-W01"),
        ("2023-01-01", Period.MONTH, "2023-01"),
        ("2023-10-01", Period.QUARTER, "2023-Q4"),
        ("2023-01-01", Period.YEAR, "2023"),
    ],
)
def test_bucket_labels_use_iso_weeks(start, period, label):
    assert bucket_label(d(start), period) == label


def test_current_window_is_the_calendar_period_holding_today():
    today = d("2023-05-17")  # a Wednesday
    assert current_window(Period.WEEK, today) == Window(d("2023-05-15"), d("2023-05-21"))
    assert current_window(Period.MONTH, today) == Window(d("2023-05-01"), d("2023-05-31"))
    assert current_window(Period.QUARTER, today) == Window(d("2023-04-01"), d("2023-06-30"))
    assert current_window(Period.YEAR, today) == Window(d("2023-01-01"), d("2023-12-31"))


def test_trailing_window_is_six_buckets_ending_with_the_current_one_across_years():
    assert trailing_window(Period.MONTH, d("2023-02-10")) == Window(
        d("2022-09-01"), d("2023-02-28")
    )
    assert trailing_window(Period.QUARTER, d("2023-02-10")) == Window(
        d("2021-10-01"), d("2023-03-31")
    )
    assert trailing_window(Period.WEEK, d("2023-01-04")) == Window(d("2022-11-28"), d("2023-01-08"))
    assert trailing_window(Period.YEAR, d("2023-02-10")) == Window(d("2018-01-01"), d("2023-12-31"))


def test_bucket_starts_cover_a_window_that_begins_and_ends_inside_buckets():
    window = Window(d("2023-01-15"), d("2023-03-10"))
    assert bucket_starts(window, Period.MONTH) == [
        d("2023-01-01"),
        d("2023-02-01"),
        d("2023-03-01"),
    ]
    assert bucket_count(window, Period.MONTH) == 3
    assert bucket_count(window, Period.WEEK) == len(bucket_starts(window, Period.WEEK)) == 9
    assert bucket_count(window, Period.QUARTER) == 1
    assert bucket_count(Window(d("2020-12-31"), d("2023-01-01")), Period.YEAR) == 4


def test_window_bounds_are_utc_midnights_with_an_exclusive_end():
    window = Window(d("2023-03-01"), d("2023-03-31"))
    assert window.start_at == datetime.datetime(2023, 3, 1, tzinfo=datetime.UTC)
    assert window.end_before == datetime.datetime(2023, 4, 1, tzinfo=datetime.UTC)
    assert Window().is_all_time
