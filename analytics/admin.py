"""The staff dashboard: the four analytics as charts, on the admin's session login.

The API takes JWT only, so the page does not call it: the figures are computed here with the
same selectors and serializers and embedded in the page (``json_script``); Chart.js is served
from this app's static files.
"""

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from djangorestframework_camel_case.util import camelize
from rest_framework.utils.encoders import JSONEncoder
from unfold.widgets import UnfoldAdminSelectWidget, UnfoldAdminSingleDateWidget

from accounts.models import LoyaltyLevel
from analytics import periods
from analytics.figures import (
    VIEW_ANALYTICS,
    loyalty_data,
    overview_data,
    segmentation_data,
    trends_data,
)
from analytics.models import Dashboard
from analytics.periods import Period, Window
from analytics.selectors import UNKNOWN_SEGMENT, Metric, SegmentBy
from analytics.serializers import TrendsQuerySerializer
from core.admin_bases import ReadOnlyAdmin
from core.display import format_money

# Months, quarters and years look back a year, two and five years; weeks a quarter.
TREND_BUCKETS = {Period.WEEK: 13, Period.MONTH: 12, Period.QUARTER: 8, Period.YEAR: 5}


# One palette for the charts (dashboard.js) and their legends (the page's tables).
PALETTE = ["#417690", "#79aec8", "#f5a623", "#7cb342", "#e0675a", "#9575cd", "#4db6ac",
           "#a1887f", "#90a4ae", "#ffb74d"]  # fmt: skip

# Chart titles and legends, translated with the rest of the admin. Legends carry their own
# context: "Accounts" the app (客户管理) is not "Accounts" the count on a chart (客户数).
CHART_TEXTS = {
    "customers": pgettext_lazy("chart legend", "Customers (cumulative)"),
    "opportunities": pgettext_lazy("chart legend", "New opportunities"),
    "revenue": pgettext_lazy("chart legend", "Revenue"),
    "accounts": pgettext_lazy("chart legend", "Accounts"),
    "retentionRate": pgettext_lazy("chart legend", "Retention rate (%)"),
    "noData": _("No data yet"),
    "levels": {level.value: level.label for level in LoyaltyLevel},
    "palette": PALETTE,
}


def dashboard_data(period: str, window: Window | None = None) -> dict:
    """Everything the page draws, in the API's own camelCase shapes and JSON numbers: the trends
    over ``window`` (default: the last buckets up to today), and the "current" figures of
    ``window`` (default: the current period)."""
    today = periods.utc_today()
    trend_window = window or periods.trailing_window(period, today, TREND_BUCKETS[period])
    data = camelize(
        {
            "period": period,
            "overview": overview_data(window=Window()),
            "current": overview_data(window=window or periods.current_window(period, today)),
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


class DashboardRangeForm(forms.Form):
    """The page's choice of trend period and date range, with the admin's own date picker."""

    period = forms.ChoiceField(
        label=_("Trend period"),
        choices=Period.choices,
        required=False,
        widget=UnfoldAdminSelectWidget,
    )
    start = forms.DateField(
        label=pgettext_lazy("date range", "From"),
        required=False,
        widget=UnfoldAdminSingleDateWidget,
    )
    end = forms.DateField(
        label=pgettext_lazy("date range", "To"), required=False, widget=UnfoldAdminSingleDateWidget
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            # The API says so too (with its parameter names); here in the page's words.
            raise forms.ValidationError(_("The end date cannot be before the start date."))
        return data


def dashboard_range(query) -> tuple[DashboardRangeForm, str, Window | None, list[str]]:
    """The period and date range asked for in the page's query string, checked by the API's
    own rules (analytics.serializers.TrendsQuerySerializer); what is wrong comes back as
    messages, and the page then shows its defaults."""
    data = query.copy()
    data["period"] = query.get("period") or Period.MONTH  # shown selected, not the first one
    form = DashboardRangeForm(data)
    if not form.is_valid():
        problems = [str(m) for errors in form.errors.values() for m in errors]
        return form, Period.MONTH, None, problems
    period = form.cleaned_data["period"]
    data = {"metric": Metric.CUSTOMERS, "period": period}
    for name, field in (("startDate", "start"), ("endDate", "end")):
        if form.cleaned_data[field]:
            data[name] = form.cleaned_data[field].isoformat()
    checked = TrendsQuerySerializer(data=data)
    if not checked.is_valid():
        problems = [str(m) for errors in checked.errors.values() for m in errors]
        return form, period, None, problems
    window = checked.validated_data["window"] if len(data) > 2 else None
    return form, period, window, []


def kpis(dashboard: dict, *, ranged: bool) -> list[dict]:
    """The figures above the charts, formatted for zh-CN (counts 1,234; money ¥1,234.00)."""
    o, c = dashboard["overview"], dashboard["current"]
    return [
        {
            "label": _("Customers"),
            "value": f"{o['totalCustomers']:,}",
            "detail": _("active %(count)s") % {"count": f"{o['activeCustomers']:,}"},
        },
        {
            "label": _("New customers in the range") if ranged else _("New customers this period"),
            "value": f"{c['newCustomers']:,}",
        },
        {
            "label": _("Opportunities"),
            "value": f"{o['totalOpportunities']:,}",
            "detail": _("open %(open)s · won %(won)s · lost %(lost)s")
            % {
                "open": f"{o['openOpportunities']:,}",
                "won": f"{o['wonOpportunities']:,}",
                "lost": f"{o['lostOpportunities']:,}",
            },
        },
        {
            "label": _("Revenue"),
            "value": format_money(o["totalRevenue"]),
            "detail": _("average deal %(amount)s") % {"amount": format_money(o["averageDealSize"])},
        },
        {
            "label": _("Customer lifetime value"),
            "value": format_money(o["customerLifetimeValue"]),
            "detail": _("acquisition cost %(amount)s")
            % {"amount": format_money(o["customerAcquisitionCost"])},
        },
    ]


def segment_rows(segmentation: dict) -> list[dict]:
    """A doughnut's legend as a table: never clipped, whatever the number of segments. The API's
    ``unknown`` segment (no industry or region given) reads as such in the page's language."""
    for segment in segmentation["segments"]:
        if segment["name"] == UNKNOWN_SEGMENT:
            segment["name"] = str(_("(not given)"))
    return [
        {
            "colour": PALETTE[index % len(PALETTE)],
            "name": segment["name"],
            "count": f"{segment['count']:,}",
            "percentage": segment["percentage"],
            "revenue": format_money(segment["revenue"]),
        }
        for index, segment in enumerate(segmentation["segments"])
    ]


@admin.register(Dashboard)
class DashboardAdmin(ReadOnlyAdmin):
    """One page, no rows: the changelist is the dashboard."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.has_perm(VIEW_ANALYTICS)

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.has_perm(VIEW_ANALYTICS)

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
        form, period, window, problems = dashboard_range(request.GET)
        for problem in problems:
            messages.error(request, problem)
        dashboard = dashboard_data(period, window)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Customer analytics"),
            "subtitle": None,
            "form": form,
            "period": period,
            "media": self.media + form.media,
            "dashboard": dashboard,
            "kpis": kpis(dashboard, ranged=window is not None),
            "segment_panels": [
                (_("By industry"), "chart-industry", segment_rows(dashboard["industry"])),
                (_("By region"), "chart-region", segment_rows(dashboard["region"])),
            ],
            "texts": CHART_TEXTS,
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "analytics/dashboard.html", context)
