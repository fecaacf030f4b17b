"""The staff dashboard: the four analytics as charts, on the admin's session login.

The API takes JWT only, so the page does not call it: the figures are computed here with the
same selectors and serializers and embedded in the page (``json_script``); Chart.js is served
from this app's static files.
"""

import json

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from djangorestframework_camel_case.util import camelize
from rest_framework.utils.encoders import JSONEncoder
from unfold.admin import ModelAdmin

from accounts.models import LoyaltyLevel
from analytics import periods
from analytics.models import Dashboard
from analytics.periods import Period, Window
from analytics.selectors import Metric, SegmentBy
from analytics.views import (
    VIEW_ANALYTICS,
    loyalty_data,
    overview_data,
    segmentation_data,
    trends_data,
)

# Months, quarters and years look back a year, two and five years; weeks a quarter.
TREND_BUCKETS = {Period.WEEK: 13, Period.MONTH: 12, Period.QUARTER: 8, Period.YEAR: 5}


# Chart titles and legends, translated with the rest of the admin.
CHART_TEXTS = {
    "customers": _("Customers (cumulative)"),
    "opportunities": _("New opportunities"),
    "revenue": _("Revenue"),
    "accounts": _("Accounts"),
    "retentionRate": _("Retention rate (%)"),
    "noData": _("No data yet"),
    "levels": {level.value: level.label for level in LoyaltyLevel},
}


def dashboard_data(period: str) -> dict:
    """Everything the page draws, in the API's own camelCase shapes and JSON numbers."""
    today = periods.utc_today()
    trend_window = periods.trailing_window(period, today, TREND_BUCKETS[period])
    data = camelize(
        {
            "period": period,
            "overview": overview_data(window=Window()),
            "current": overview_data(window=periods.current_window(period, today)),
            "customers": trends_data(metric=Metric.CUSTOMERS, period=period, window=trend_window),
            "opportunities": trends_data(
                metric=Metric.OPPORTUNITIES, period=period, window=trend_window
            ),
            "revenue": trends_data(metric=Metric.REVENUE, period=period, window=trend_window),
            "industry": segmentation_data(segment_by=SegmentBy.INDUSTRY),
            "region": segmentation_data(segment_by=SegmentBy.REGION),
            "loyalty": loyalty_data(),
        }
    )
    # DRF's encoder writes money as numbers, as the API does (json_script's would write strings).
    return json.loads(json.dumps(data, cls=JSONEncoder))


@admin.register(Dashboard)
class DashboardAdmin(ModelAdmin):
    """One page, no rows: the changelist is the dashboard."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.has_perm(VIEW_ANALYTICS)

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.has_perm(VIEW_ANALYTICS)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        # Only the dashboard: no add/change/delete/history pages for a table-less model.
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "",
                self.admin_site.admin_view(self.changelist_view),
                name="{}_{}_changelist".format(*info),
            )
        ]

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        period = request.GET.get("period")
        if period not in Period.values:
            period = Period.MONTH
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Customer analytics"),
            "subtitle": None,
            "periods": Period.choices,
            "period": period,
            "dashboard": dashboard_data(period),
            "texts": CHART_TEXTS,
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "analytics/dashboard.html", context)
