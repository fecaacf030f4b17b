"""/api/v1/crm/campaigns: thin views over campaigns.selectors and campaigns.services."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from analytics.cache import cached
from campaigns import selectors, services
from campaigns.filters import CampaignFilterSet
from campaigns.serializers import (
    CampaignAnalyticsSerializer,
    CampaignDetailSerializer,
    CampaignInputSerializer,
    CampaignListSerializer,
)
from core.api.viewsets import CrmModelViewSet, record_action
from core.exceptions import ErrorCode


@extend_schema(tags=["campaigns"])
class CampaignViewSet(CrmModelViewSet):
    """Marketing campaigns (seed §9); a missing campaign answers 404."""

    not_found_code = ErrorCode.NOT_FOUND  # the seed has no campaign code (CONTRACT.md §1)
    serializer_class = CampaignDetailSerializer
    list_serializer_class = CampaignListSerializer
    input_serializer_class = CampaignInputSerializer
    filterset_class = CampaignFilterSet
    create_response_fields = ("id", "campaign_no")
    queryset = selectors.campaign_list()
    create_service = staticmethod(services.campaign_create)
    update_service = staticmethod(services.campaign_update)
    delete_service = staticmethod(services.campaign_delete)

    def get_queryset(self):
        if self.action == "analytics":
            return selectors.campaign_with_outcomes()
        return super().get_queryset()

    @record_action(
        "get", "analytics", "campaigns.view_campaign", answer=CampaignAnalyticsSerializer
    )
    def analytics(self, request, pk=None):
        """Recorded figures, the ratios of CONTRACT.md (x/0 gives 0) and the live leads and
        opportunities the campaign produced."""

        def compute():
            campaign = self.get_object()  # a missing campaign raises here: nothing is cached
            return CampaignAnalyticsSerializer(selectors.campaign_analytics(campaign)).data

        # The figures are the campaign's whoever asks (campaigns have no owner, and its leads
        # and deals all count), so one cached answer serves every viewer allowed to ask.
        return Response(
            cached(
                "campaign",
                {"campaign": pk},
                compute,
                reads=["accounts.Account", "campaigns.Campaign", "sales.Lead", "sales.Opportunity"],
            )
        )
