"""Query parameters in, figures out.

Query parameters keep the seed's camelCase names (``startDate``): the camelCase parser only
rewrites bodies, so the fields are declared under those names and mapped to snake_case sources.
"""

import datetime
import re

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from analytics import periods
from analytics.periods import Period, Window, bucket_count, current_window, trailing_window
from analytics.selectors import Metric, SegmentBy

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2999, 12, 31)
MAX_BUCKETS = 1000


@extend_schema_field(
    {"type": "string", "format": "date", "pattern": "^(19[0-9]{2}|2[0-9]{3})-[0-9]{2}-[0-9]{2}$"}
)
class IsoDateField(serializers.DateField):
    """Exactly ``YYYY-MM-DD`` (no times, no ``20230601``), within a sane calendar range."""

    default_error_messages = {
        "invalid": _("Date has wrong format. Use YYYY-MM-DD."),
        "range": _("Date must be between 1900-01-01 and 2999-12-31."),
    }

    def __init__(self, **kwargs):
        super().__init__(input_formats=["%Y-%m-%d"], **kwargs)

    def to_internal_value(self, value):
        if not isinstance(value, str) or not ISO_DATE.match(value):
            self.fail("invalid", format="YYYY-MM-DD")
        day = super().to_internal_value(value)
        if not EARLIEST <= day <= LATEST:
            self.fail("range")
        return day


def _period_field(**kwargs) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=Period.choices, **kwargs)


class DateRangeQuerySerializer(serializers.Serializer):
    startDate = IsoDateField(source="start_date", required=False)
    endDate = IsoDateField(source="end_date", required=False)

    def validate(self, attrs):
        start, end = attrs.get("start_date"), attrs.get("end_date")
        if start and end and start > end:
            raise serializers.ValidationError(
                {"endDate": [_("endDate must not be before startDate.")]}
            )
        return attrs


class OverviewQuerySerializer(DateRangeQuerySerializer):
    """Window: the dates when given (either side may stay open); else the current ``period``;
    else all time."""

    period = _period_field(required=False)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        start, end = attrs.get("start_date"), attrs.get("end_date")
        if start or end:
            attrs["window"] = Window(start, end)
        elif attrs.get("period"):
            attrs["window"] = current_window(attrs["period"], periods.utc_today())
        else:
            attrs["window"] = Window()
        return attrs


class TrendsQuerySerializer(DateRangeQuerySerializer):
    """``period`` is the bucket size; the dates bound the range (default: six buckets to today)."""

    metric = serializers.ChoiceField(choices=Metric.choices)
    period = _period_field(required=False, default=Period.MONTH)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        period, start, end = attrs["period"], attrs.get("start_date"), attrs.get("end_date")
        today = periods.utc_today()
        if start is None and end is None:
            window = trailing_window(period, today)
        elif start is None:
            window = Window(trailing_window(period, end).start, end)
        else:
            end = end or today
            if start > end:
                raise serializers.ValidationError(
                    {"startDate": [_("startDate must not be after today when endDate is omitted.")]}
                )
            window = Window(start, end)
        if bucket_count(window, period) > MAX_BUCKETS:
            raise serializers.ValidationError(
                {
                    "period": [
                        _("The range spans more than %(max)d buckets; use a longer period.")
                        % {"max": MAX_BUCKETS}
                    ]
                }
            )
        attrs["window"] = window
        return attrs


class SegmentationQuerySerializer(serializers.Serializer):
    segmentBy = serializers.ChoiceField(source="segment_by", choices=SegmentBy.choices)


# --- output --------------------------------------------------------------------------------


def money_field(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=None, decimal_places=2, coerce_to_string=False, **kwargs
    )


class OverviewSerializer(serializers.Serializer):
    total_customers = serializers.IntegerField()
    new_customers = serializers.IntegerField()
    active_customers = serializers.IntegerField()
    total_opportunities = serializers.IntegerField()
    open_opportunities = serializers.IntegerField()
    won_opportunities = serializers.IntegerField()
    lost_opportunities = serializers.IntegerField()
    total_revenue = money_field()
    average_deal_size = money_field()
    customer_acquisition_cost = money_field()
    customer_lifetime_value = money_field()


@extend_schema_field(OpenApiTypes.NUMBER)
class TrendValueField(serializers.Field):
    """A count (integer) or, for revenue, money (a number with at most two decimals)."""

    def to_representation(self, value):
        return value


class TrendPointSerializer(serializers.Serializer):
    date = serializers.CharField(help_text=_("Bucket label: 2023-W05, 2023-01, 2023-Q1, 2023."))
    value = TrendValueField()


class TrendsSerializer(serializers.Serializer):
    metric = serializers.CharField()
    period = serializers.CharField()
    data = TrendPointSerializer(many=True)


class SegmentSerializer(serializers.Serializer):
    name = serializers.CharField()
    count = serializers.IntegerField()
    revenue = money_field()
    percentage = money_field()


class SegmentationSerializer(serializers.Serializer):
    segment_by = serializers.CharField()
    segments = SegmentSerializer(many=True)


class LoyaltyLevelSerializer(serializers.Serializer):
    level = serializers.CharField()
    count = serializers.IntegerField()
    revenue = money_field()
    retention_rate = money_field()


class LoyaltySerializer(serializers.Serializer):
    loyalty_levels = LoyaltyLevelSerializer(many=True)
    recommendation = serializers.CharField()
