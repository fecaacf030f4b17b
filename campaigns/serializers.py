"""Campaign shapes on the wire (seed §9); camelized by the renderer/parser."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from campaigns.models import Campaign, CampaignStatus, CampaignType
from core.api.serializers import (
    MONEY,
    OPTIONAL,
    STAMP_FIELDS,
    JsonTypesMixin,
    RelatedIdField,
    StampsOutputMixin,
)
from core.exceptions import BusinessError, ErrorCode
from core.text import camel_key

FIGURE = {"min_value": 0, "max_value": 2**63 - 1, "required": False}


class CampaignIdField(RelatedIdField):
    """``campaignId`` in another record's body: a live campaign, or null.

    Campaigns have no domain not-found code, so an unknown id answers HTTP 400 with body code
    404 (CONTRACT.md §1). The kernel lifts only codes 4001-4010 from field errors into the body
    code, hence the BusinessError, as ``core.api.files.AttachmentIdsField`` does.
    """

    def __init__(self, **kwargs):
        defaults = {"queryset": Campaign.objects.all(), "source": "campaign", **OPTIONAL}
        super().__init__(not_found_code=ErrorCode.NOT_FOUND, **defaults | kwargs)

    def fail(self, key, **kwargs):
        if key in {"does_not_exist", "incorrect_type"}:
            message = _("Campaign does not exist.")
            field = camel_key(self.field_name or "campaign_id")
            raise BusinessError(ErrorCode.NOT_FOUND, message, status=400, data={field: [message]})
        super().fail(key, **kwargs)


class CampaignInputSerializer(JsonTypesMixin, serializers.ModelSerializer):
    """Create and (partial) update. ``endDate >= startDate`` is checked by the service."""

    type = serializers.ChoiceField(choices=CampaignType.choices)
    status = serializers.ChoiceField(choices=CampaignStatus.choices, required=False)
    budget = serializers.DecimalField(**MONEY, min_value=0, required=False)
    actual_cost = serializers.DecimalField(**MONEY, min_value=0, required=False)
    impressions = serializers.IntegerField(**FIGURE)
    clicks = serializers.IntegerField(**FIGURE)
    conversions = serializers.IntegerField(**FIGURE)

    class Meta:
        model = Campaign
        fields = [
            "name",
            "type",
            "status",
            "description",
            "start_date",
            "end_date",
            "budget",
            "actual_cost",
            "target_audience",
            "impressions",
            "clicks",
            "conversions",
        ]


class CampaignListSerializer(StampsOutputMixin, serializers.ModelSerializer):
    class Meta:
        model = Campaign
        fields = [
            "id",
            "campaign_no",
            "name",
            "type",
            "status",
            "start_date",
            "end_date",
            "budget",
            "actual_cost",
            *STAMP_FIELDS,
        ]


class CampaignDetailSerializer(StampsOutputMixin, serializers.ModelSerializer):
    class Meta:
        model = Campaign
        fields = [
            "id",
            "campaign_no",
            "name",
            "type",
            "status",
            "description",
            "start_date",
            "end_date",
            "budget",
            "actual_cost",
            "target_audience",
            "impressions",
            "clicks",
            "conversions",
            *STAMP_FIELDS,
        ]


class CampaignMetricsSerializer(serializers.Serializer):
    impressions = serializers.IntegerField()
    clicks = serializers.IntegerField()
    conversions = serializers.IntegerField()
    conversion_rate = serializers.DecimalField(max_digits=30, decimal_places=2)
    cost_per_click = serializers.DecimalField(max_digits=30, decimal_places=2)
    return_on_investment = serializers.DecimalField(max_digits=30, decimal_places=2)
    revenue_generated = serializers.DecimalField(max_digits=30, decimal_places=2)


class CampaignAnalyticsSerializer(serializers.Serializer):
    """GET /campaigns/{id}/analytics (seed §9.3)."""

    campaign_id = serializers.UUIDField()
    campaign_name = serializers.CharField()
    metrics = CampaignMetricsSerializer()
    leads_generated = serializers.IntegerField()
    opportunities_created = serializers.IntegerField()
    sales_closed = serializers.IntegerField()
