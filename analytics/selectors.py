"""The analytics figures of CONTRACT.md §5, each counted by the database.

Every function costs a fixed number of aggregate queries whatever the data size; Python only
divides the aggregates and walks the list of buckets or segments (never the rows). Windows are
inclusive ranges of UTC dates, turned into half-open timestamp bounds so an index can serve them
and the active time zone (the admin's is not UTC) cannot shift a record into another day.

Only live records count: a soft-deleted account takes its opportunities and activities out of
analytics with it, so the figures of one endpoint add up to those of another.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.db.models import Count, DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import (
    Coalesce,
    NullIf,
    TruncMonth,
    TruncQuarter,
    TruncWeek,
    TruncYear,
)
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import Account, AccountStatus, LoyaltyLevel
from activities.models import Activity
from analytics.periods import (
    UTC,
    Period,
    Window,
    bucket_label,
    bucket_starts,
)
from campaigns.models import Campaign
from core.decimals import CENT, ZERO, money, percentage, ratio
from core.ownership import visible_to
from sales.models import CLOSED_STAGES, Opportunity, OpportunityStage

WON = OpportunityStage.CLOSED_WON
LOST = OpportunityStage.CLOSED_LOST
UNKNOWN_SEGMENT = "unknown"
MONEY_FIELD = DecimalField(max_digits=18, decimal_places=2)

TRUNC = {
    Period.WEEK: TruncWeek,
    Period.MONTH: TruncMonth,
    Period.QUARTER: TruncQuarter,
    Period.YEAR: TruncYear,
}


class Metric(models.TextChoices):
    CUSTOMERS = "customers", _lazy("Customers (cumulative live accounts)")
    OPPORTUNITIES = "opportunities", _lazy("Opportunities created")
    REVENUE = "revenue", _lazy("Revenue won")
    ACTIVITIES = "activities", _lazy("Activities by start time")


class SegmentBy(models.TextChoices):
    INDUSTRY = "industry", _lazy("Industry")
    REGION = "region", _lazy("Region")
    SIZE = "size", _lazy("Size")
    LOYALTY = "loyalty", _lazy("Loyalty level")


SEGMENT_FIELDS = {
    SegmentBy.INDUSTRY: "industry",
    SegmentBy.REGION: "region",
    SegmentBy.SIZE: "size",
    SegmentBy.LOYALTY: "loyalty_level",
}


# --- the live records analytics reads ------------------------------------------------------


# ``viewer`` narrows every figure to the records that user may see (core.ownership); None is
# the unscoped view (management commands, tests of the formulas).


def live_accounts(viewer=None) -> QuerySet[Account]:
    return visible_to(Account.objects.all(), viewer)


# The default managers of opportunities and activities already leave out the records of
# soft-deleted accounts (accounts.models.account_is_live), without joining every live account.


def live_opportunities(viewer=None) -> QuerySet[Opportunity]:
    return _visible_under_accounts(Opportunity.objects.all(), viewer)


def live_activities(viewer=None) -> QuerySet[Activity]:
    return _visible_under_accounts(Activity.objects.all(), viewer)


def _visible_under_accounts(queryset: QuerySet, viewer) -> QuerySet:
    """``visible_to(queryset, viewer)`` for records under an account, with "the viewer owns the
    account" written as ``account_id IN (the viewer's live accounts)``. The same rows (the
    managers above already drop those of deleted accounts), but PostgreSQL reads the viewer's
    accounts from their owner index instead of joining every account with every record (which
    takes seconds for a sales rep's overview at a million accounts)."""
    ownership = queryset.model.ownership
    if viewer is None or ownership.scope(viewer) is None or not viewer.is_authenticated:
        return visible_to(queryset, viewer)
    own_accounts = Account.objects.filter(owner=viewer).values("pk")
    condition = Q(**{f"{ownership.via_account}__in": own_accounts})
    if ownership.owner:
        condition |= Q(**{ownership.owner: viewer})
    return queryset.filter(condition)


def live_campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.all()


def _bounded(field: str, **bounds) -> Q:
    """``field`` compared with each bound that is set (``gte=``, ``lt=``...; None: unbounded)."""
    return Q(
        **{f"{field}__{lookup}": value for lookup, value in bounds.items() if value is not None}
    )


def in_window(field: str, window: Window) -> Q:
    """Rows whose timestamp ``field`` falls on a UTC date of the window (empty Q: all time)."""
    return _bounded(field, gte=window.start_at, lt=window.end_before)


def up_to_end(field: str, window: Window) -> Q:
    return _bounded(field, lt=window.end_before)


def dates_in_window(field: str, window: Window) -> Q:
    """The same as :func:`in_window` for a DateField."""
    return _bounded(field, gte=window.start, lte=window.end)


def _count(q: Q, field: str | None = None, *, distinct: bool = False) -> Count:
    # Not COUNT(id): the same number (ids are never null), but PostgreSQL can count from an
    # index that does not hold the id (an index-only scan). Django allows COUNT(*) only
    # without a filter; with one, ``created_at`` (never null, in the window indexes) stands in.
    if field is None:
        field = "created_at" if q else "*"
    return Count(field, filter=q or None, distinct=distinct)


def _money_sum(field: str, q: Q) -> Coalesce:
    return Coalesce(Sum(field, filter=q or None), Value(ZERO), output_field=MONEY_FIELD)


# --- overview ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    total_customers: int
    new_customers: int
    active_customers: int
    total_opportunities: int
    open_opportunities: int
    won_opportunities: int
    lost_opportunities: int
    total_revenue: Decimal
    average_deal_size: Decimal
    customer_acquisition_cost: Decimal
    customer_lifetime_value: Decimal


def overview(*, window: Window, viewer=None) -> Overview:
    """The headline figures of the window: four aggregate queries."""
    customers = live_accounts(viewer).aggregate(
        total=_count(up_to_end("created_at", window)),
        new=_count(in_window("created_at", window)),
        active=_count(up_to_end("created_at", window) & Q(status=AccountStatus.ACTIVE)),
    )

    created = in_window("created_at", window)
    closed = in_window("closed_at", window)
    won, lost = Q(stage=WON), Q(stage=LOST)
    deals = live_opportunities(viewer).aggregate(
        total=_count(created),
        open=_count(created & ~Q(stage__in=CLOSED_STAGES)),
        won=_count(won & closed),
        lost=_count(lost & closed),
        revenue=_money_sum("actual_amount", won & closed),
        lifetime_revenue=_money_sum("actual_amount", won),
    )
    # Apart: a COUNT(DISTINCT) in the aggregate above would keep it from running in parallel
    # and sort every deal; alone it reads the won deals' index only.
    won_accounts = live_opportunities(viewer).filter(won).values("account").distinct().count()

    spend = live_campaigns().aggregate(
        cost=_money_sum("actual_cost", dates_in_window("start_date", window))
    )

    revenue = money(deals["revenue"])
    return Overview(
        total_customers=customers["total"],
        new_customers=customers["new"],
        active_customers=customers["active"],
        total_opportunities=deals["total"],
        open_opportunities=deals["open"],
        won_opportunities=deals["won"],
        lost_opportunities=deals["lost"],
        total_revenue=revenue,
        average_deal_size=ratio(revenue, deals["won"]),
        customer_acquisition_cost=ratio(spend["cost"], customers["new"]),
        customer_lifetime_value=ratio(deals["lifetime_revenue"], won_accounts),
    )


# --- trends --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    date: str
    value: int | Decimal


def trend(*, metric: str, period: str, window: Window, viewer=None) -> list[TrendPoint]:
    """One point per bucket of ``period`` overlapping the bounded window, empty buckets 0.

    Counts are limited to the window, so a window that starts or ends inside a bucket counts
    only its own days of that bucket. ``customers`` is cumulative: the live accounts created up
    to the bucket's end (or the window's end, if earlier).
    """
    starts = bucket_starts(window, period)
    if metric == Metric.CUSTOMERS:
        values = _cumulative_customers(starts, period, window, viewer)
    else:
        per_bucket = _per_bucket(metric, period, window, viewer)
        empty = ZERO.quantize(CENT) if metric == Metric.REVENUE else 0
        values = [per_bucket.get(start, empty) for start in starts]
    return [
        TrendPoint(date=bucket_label(start, period), value=value)
        for start, value in zip(starts, values, strict=True)
    ]


def _bucketed(queryset: QuerySet, field: str, period: str, window: Window) -> QuerySet:
    """``queryset`` in the window, grouped by the UTC bucket of ``field``."""
    return (
        queryset.filter(in_window(field, window))
        .annotate(bucket=TRUNC[period](field, tzinfo=UTC))
        .values("bucket")
        .order_by()
    )


def _as_date(bucket) -> datetime.date:
    # Trunc over a DateTimeField answers a datetime (aware, in UTC on every backend).
    if isinstance(bucket, datetime.datetime):
        return bucket.astimezone(UTC).date() if bucket.tzinfo else bucket.date()
    return bucket


def _per_bucket(
    metric: str, period: str, window: Window, viewer=None
) -> dict[datetime.date, int | Decimal]:
    if metric == Metric.OPPORTUNITIES:
        rows = _bucketed(live_opportunities(viewer), "created_at", period, window).annotate(
            value=Count("*")
        )
    elif metric == Metric.REVENUE:
        rows = _bucketed(live_opportunities(viewer).filter(stage=WON), "closed_at", period, window)
        rows = rows.annotate(value=_money_sum("actual_amount", Q()))
    elif metric == Metric.ACTIVITIES:
        rows = _bucketed(live_activities(viewer), "start_time", period, window).annotate(
            value=Count("*")
        )
    else:
        raise ValueError(metric)
    convert = money if metric == Metric.REVENUE else int
    return {_as_date(row["bucket"]): convert(row["value"]) for row in rows}


def _cumulative_customers(
    starts: list[datetime.date], period: str, window: Window, viewer=None
) -> list[int]:
    """Accounts before the first bucket (one count) plus a running sum of the grouped counts."""
    before = live_accounts(viewer).filter(created_at__lt=window.start_at).count()
    created = {
        _as_date(row["bucket"]): row["value"]
        for row in _bucketed(live_accounts(viewer), "created_at", period, window).annotate(
            value=Count("*")
        )
    }
    values, running = [], before
    for start in starts:
        running += created.get(start, 0)
        values.append(running)
    return values


# --- segmentation and loyalty ---------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    name: str
    count: int
    revenue: Decimal
    percentage: Decimal


def _with_won_deals(accounts: QuerySet[Account]) -> QuerySet[Account]:
    """The accounts joined with their live won opportunities (one row per deal): summing
    ``opportunities__actual_amount`` over it gives their all-time revenue."""
    return accounts.filter(opportunities__stage=WON, opportunities__deleted_at__isnull=True)


def _per_group(accounts: QuerySet, group, counts: dict) -> list[dict]:
    """``counts`` of the accounts and the revenue of their won deals, per ``group``, in one
    statement: the two grouped halves (accounts alone; won deals with their account) joined by
    UNION ALL and added up here. Cheaper than one grouped join, which multiplies every account
    by its deals and then needs COUNT(DISTINCT)."""
    zero_money = Value(ZERO, output_field=MONEY_FIELD)
    zeros = {name: Value(0, output_field=models.IntegerField()) for name in counts}
    alone = (
        accounts.annotate(group=group)
        .values("group")
        .annotate(**counts, revenue=zero_money)
        .order_by()
    )
    deals = (
        _with_won_deals(accounts)
        .annotate(group=group)
        .values("group")
        .annotate(**zeros, revenue=_money_sum("opportunities__actual_amount", Q()))
        .order_by()
    )
    totals: dict = {}
    for row in alone.union(deals, all=True):
        total = totals.setdefault(row["group"], {name: 0 for name in counts} | {"revenue": ZERO})
        for name in counts:
            total[name] += row[name] or 0
        total["revenue"] += Decimal(row["revenue"] or 0)
    return [{"group": group_name, **figures} for group_name, figures in totals.items()]


def segmentation(*, segment_by: str, viewer=None) -> list[Segment]:
    """Live accounts grouped by one attribute (blank or null is ``unknown``): one query."""
    field = SEGMENT_FIELDS[segment_by]
    name = Coalesce(NullIf(field, Value("")), Value(UNKNOWN_SEGMENT))
    rows = [
        {"segment": row["group"], "count": row["count"], "revenue": row["revenue"]}
        for row in _per_group(live_accounts(viewer), name, {"count": Count("*")})
        if row["count"]
    ]
    total = sum(row["count"] for row in rows)
    segments = [
        Segment(
            name=row["segment"],
            count=row["count"],
            revenue=money(row["revenue"]),
            percentage=percentage(row["count"], total),
        )
        for row in rows
    ]
    # Sorted here, by code point, so both databases agree whatever their collation.
    return sorted(segments, key=lambda segment: (-segment.count, segment.name))


@dataclass(frozen=True)
class LoyaltyLevelFigures:
    level: str
    label: str
    count: int
    revenue: Decimal
    retention_rate: Decimal


def loyalty_levels(viewer=None) -> list[LoyaltyLevelFigures]:
    """The four levels, platinum first, each present even when empty: one query."""
    rows = _per_group(
        live_accounts(viewer).filter(loyalty_level__in=LoyaltyLevel.values),
        F("loyalty_level"),
        {"count": Count("*"), "active": Count("status", filter=Q(status=AccountStatus.ACTIVE))},
    )
    rows = [{"loyalty_level": row["group"], **row} for row in rows]
    by_level = {row["loyalty_level"]: row for row in rows}
    levels = []
    for level in LoyaltyLevel:
        row = by_level.get(level.value, {"count": 0, "active": 0, "revenue": None})
        levels.append(
            LoyaltyLevelFigures(
                level=level.value,
                label=str(level.label),
                count=row["count"],
                revenue=money(row["revenue"]),
                retention_rate=percentage(row["active"], row["count"]),
            )
        )
    return levels


def weakest_level(levels: list[LoyaltyLevelFigures]) -> LoyaltyLevelFigures | None:
    """The non-empty level with the lowest retention; on a tie, the lower level."""
    candidates = [level for level in levels if level.count]
    if not candidates:
        return None
    return min(reversed(candidates), key=lambda level: level.retention_rate)


def loyalty_recommendation(levels: list[LoyaltyLevelFigures]) -> str:
    """A sentence built from the figures, naming the non-empty level that retains worst."""
    weakest = weakest_level(levels)
    if weakest is None:
        return _("No account has a loyalty level yet; assign levels to follow their retention.")
    if weakest.retention_rate >= 100:
        return _("Every loyalty level keeps all of its customers active; keep up the current care.")
    return _(
        "%(level)s customers have the lowest retention rate (%(rate)s%%); consider a customer "
        "care programme for them to raise their loyalty."
    ) % {"level": weakest.label, "rate": weakest.retention_rate}
