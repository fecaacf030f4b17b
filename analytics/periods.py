"""Calendar arithmetic for analytics: UTC today, date windows, and period buckets.

Pure date functions, no queries: the selectors count in the database and use these only to turn
request parameters into bounds and to lay out every bucket of a trend, empty ones included.
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

UTC = datetime.UTC


class Period(models.TextChoices):
    WEEK = "week", _("Week")
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


def utc_today() -> datetime.date:
    """The API speaks UTC, so "today" is the UTC date (not the server's TIME_ZONE)."""
    return timezone.now().astimezone(UTC).date()


@dataclass(frozen=True)
class Window:
    """An inclusive range of UTC dates; ``None`` on a side means unbounded (all time)."""

    start: datetime.date | None = None
    end: datetime.date | None = None

    @property
    def is_all_time(self) -> bool:
        return self.start is None and self.end is None

    @property
    def start_at(self) -> datetime.datetime | None:
        """First instant of the window (UTC midnight of ``start``)."""
        return midnight(self.start) if self.start else None

    @property
    def end_before(self) -> datetime.datetime | None:
        """First instant after the window (UTC midnight after ``end``): the bound is exclusive."""
        return midnight(self.end + datetime.timedelta(days=1)) if self.end else None


def midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=UTC)


def bucket_start(day: datetime.date, period: str) -> datetime.date:
    """First day of the bucket holding ``day``: ISO week (Monday), month, quarter or year."""
    if period == Period.WEEK:
        return day - datetime.timedelta(days=day.weekday())
    if period == Period.MONTH:
        return day.replace(day=1)
    if period == Period.QUARTER:
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    if period == Period.YEAR:
        return day.replace(month=1, day=1)
    raise ValueError(period)


def shift(start: datetime.date, period: str, count: int) -> datetime.date:
    """The start of the bucket ``count`` buckets after (or before, if negative) ``start``."""
    if period == Period.WEEK:
        return start + datetime.timedelta(weeks=count)
    months = {Period.MONTH: 1, Period.QUARTER: 3, Period.YEAR: 12}[period] * count
    index = start.year * 12 + start.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def bucket_end(day: datetime.date, period: str) -> datetime.date:
    """Last day (inclusive) of the bucket holding ``day``."""
    return shift(bucket_start(day, period), period, 1) - datetime.timedelta(days=1)


def current_window(period: str, today: datetime.date) -> Window:
    """The calendar week / month / quarter / year containing ``today``."""
    return Window(bucket_start(today, period), bucket_end(today, period))


def trailing_window(period: str, day: datetime.date, count: int = 6) -> Window:
    """The ``count`` buckets ending with the one holding ``day`` (a trend's default range)."""
    return Window(shift(bucket_start(day, period), period, 1 - count), bucket_end(day, period))


def bucket_starts(window: Window, period: str) -> list[datetime.date]:
    """Start days of every bucket that overlaps the (bounded) window, oldest first."""
    starts = []
    start = bucket_start(window.start, period)
    while start <= window.end:
        starts.append(start)
        start = shift(start, period, 1)
    return starts


def bucket_count(window: Window, period: str) -> int:
    """How many buckets the window spans, computed without listing them."""
    first, last = bucket_start(window.start, period), bucket_start(window.end, period)
    if period == Period.WEEK:
        return (last - first).days // 7 + 1
    step = {Period.MONTH: 1, Period.QUARTER: 3, Period.YEAR: 12}[period]
    months = (last.year - first.year) * 12 + last.month - first.month
    return months // step + 1


def bucket_label(start: datetime.date, period: str) -> str:
    """``2023-W05`` (ISO year and week), ``2023-01``, ``2023-Q1``, ``2023``."""
    if period == Period.WEEK:
        iso_year, iso_week, _weekday = start.isocalendar()
        return f"{iso_year}-W{iso_week:02d}"
    if period == Period.MONTH:
        return f"{start.year}-{start.month:02d}"
    if period == Period.QUARTER:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return f"{start.year}"
