"""Query parameters of GET /leads and GET /opportunities (seed §7.1, §7.4; CONTRACT.md §2)."""

import django_filters
from django import forms

from core.api.filters import CrmFilterSet, OrderingFilter, date_range
from core.exceptions import ErrorCode
from sales.models import Lead, LeadSource, LeadStatus, Opportunity, OpportunityStage


class IntegerFilter(django_filters.NumberFilter):
    """A whole number: ``probability=12.5`` or ``=abc`` answers 400 rather than matching nothing."""

    field_class = forms.IntegerField


class LeadFilterSet(CrmFilterSet):
    error_codes = {"status": ErrorCode.LEAD_STATUS_INVALID}

    name = django_filters.CharFilter(field_name="name", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(field_name="status", choices=LeadStatus.choices)
    source = django_filters.ChoiceFilter(field_name="source", choices=LeadSource.choices)
    createdDateStart, createdDateEnd = date_range("created_at__date")
    campaignId = django_filters.UUIDFilter(field_name="campaign_id")
    ordering = OrderingFilter(
        fields=(
            ("created_at", "createdAt"),
            ("updated_at", "updatedAt"),
            ("name", "name"),
            ("score", "score"),
            ("status", "status"),
            ("source", "source"),
        )
    )

    class Meta:
        model = Lead
        fields = []


class OpportunityFilterSet(CrmFilterSet):
    error_codes = {"stage": ErrorCode.OPPORTUNITY_STAGE_INVALID}

    accountId = django_filters.UUIDFilter(field_name="account_id")
    opportunityNo = django_filters.CharFilter(field_name="opportunity_no", lookup_expr="exact")
    name = django_filters.CharFilter(field_name="name", lookup_expr="icontains")
    stage = django_filters.ChoiceFilter(field_name="stage", choices=OpportunityStage.choices)
    probability = IntegerFilter(field_name="probability", lookup_expr="exact")
    estimatedAmountMin = django_filters.NumberFilter(
        field_name="estimated_amount", lookup_expr="gte"
    )
    estimatedAmountMax = django_filters.NumberFilter(
        field_name="estimated_amount", lookup_expr="lte"
    )
    closeDateStart, closeDateEnd = date_range("close_date")
    campaignId = django_filters.UUIDFilter(field_name="campaign_id")
    ordering = OrderingFilter(
        fields=(
            ("created_at", "createdAt"),
            ("updated_at", "updatedAt"),
            ("opportunity_no__number_sort", "opportunityNo"),
            ("name", "name"),
            ("stage", "stage"),
            ("probability", "probability"),
            ("estimated_amount", "estimatedAmount"),
            ("close_date", "closeDate"),
        )
    )

    class Meta:
        model = Opportunity
        fields = []
