"""Query parameters of GET /campaigns (seed §9.1, CONTRACT.md §2)."""

import django_filters

from campaigns.models import Campaign, CampaignStatus, CampaignType
from core.api.filters import CrmFilterSet, OrderingFilter, date_range


class CampaignFilterSet(CrmFilterSet):
    campaignNo = django_filters.CharFilter(field_name="campaign_no", lookup_expr="exact")
    name = django_filters.CharFilter(field_name="name", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(field_name="status", choices=CampaignStatus.choices)
    type = django_filters.ChoiceFilter(field_name="type", choices=CampaignType.choices)
    startDateStart, startDateEnd = date_range("start_date")
    ordering = OrderingFilter(
        fields=(
            ("created_at", "createdAt"),
            ("updated_at", "updatedAt"),
            ("campaign_no__number_sort", "campaignNo"),
            ("name", "name"),
            ("start_date", "startDate"),
            ("end_date", "endDate"),
            ("budget", "budget"),
            ("actual_cost", "actualCost"),
            ("status", "status"),
        )
    )

    class Meta:
        model = Campaign
        fields = []
