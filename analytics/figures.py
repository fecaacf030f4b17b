"""The analytics figures as the API answers them, cached (analytics.cache): the API views and
the staff dashboard (analytics.admin) both serve these."""

from analytics import selectors
from analytics.cache import cached
from analytics.serializers import (
    LoyaltySerializer,
    OverviewSerializer,
    SegmentationSerializer,
    TrendsSerializer,
)

VIEW_ANALYTICS = "analytics.view_analytics"


# What each answer is computed from; a write to one of these refreshes it (analytics.cache).
ACCOUNTS, DEALS, ACTIVITIES, CAMPAIGNS = (
    "accounts.Account",
    "sales.Opportunity",
    "activities.Activity",
    "campaigns.Campaign",
)
TREND_READS = {
    "customers": [ACCOUNTS],
    "opportunities": [ACCOUNTS, DEALS],
    "revenue": [ACCOUNTS, DEALS],
    "activities": [ACCOUNTS, ACTIVITIES],
}


def overview_data(*, window, viewer=None) -> dict:
    return cached(
        "overview",
        {"window": window},
        lambda: OverviewSerializer(selectors.overview(window=window, viewer=viewer)).data,
        reads=[ACCOUNTS, DEALS, CAMPAIGNS],
        viewer=viewer,
    )


def trends_data(*, metric: str, period: str, window, viewer=None) -> dict:
    def compute():
        points = selectors.trend(metric=metric, period=period, window=window, viewer=viewer)
        return TrendsSerializer({"metric": metric, "period": period, "data": points}).data

    return cached(
        "trends",
        {"metric": metric, "period": period, "window": window},
        compute,
        reads=TREND_READS[metric],
        viewer=viewer,
    )


def segmentation_data(*, segment_by: str, viewer=None) -> dict:
    def compute():
        segments = selectors.segmentation(segment_by=segment_by, viewer=viewer)
        return SegmentationSerializer({"segment_by": segment_by, "segments": segments}).data

    return cached(
        "segmentation",
        {"segment_by": segment_by},
        compute,
        reads=[ACCOUNTS, DEALS],
        viewer=viewer,
    )


def loyalty_data(viewer=None) -> dict:
    def compute():
        levels = selectors.loyalty_levels(viewer)
        return LoyaltySerializer(
            {"loyalty_levels": levels, "recommendation": selectors.loyalty_recommendation(levels)}
        ).data

    return cached("loyalty", {}, compute, reads=[ACCOUNTS, DEALS], viewer=viewer)
