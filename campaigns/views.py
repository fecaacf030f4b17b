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
            return selectors.campaign_with_outcomes(viewer=self.request.user)
        return super().get_queryset()

    @record_action(
        "get", "analytics", "campaigns.view_campaign", answer=CampaignAnalyticsSerializer
    )
    def analytics(self, request, pk=None):
        """Recorded figures, the ratios of CONTRACT.md (x/0 gives 0) and the live leads and
        opportunities the campaign produced that the caller may see."""

        def compute():
            campaign = self.get_object()  # a missing campaign raises here: nothing is cached
            return CampaignAnalyticsSerializer(selectors.campaign_analytics(campaign)).data

        # Campaigns have no owner, but their leads and deals do: a rep's figures are their own,
        # cached per viewer scope (analytics.cache.scope_of), while view_all holders share one.
        return Response(
            cached(
                "campaign",
                {"campaign": pk},
                compute,
                reads=["accounts.Account", "campaigns.Campaign", "sales.Lead", "sales.Opportunity"],
                viewer=request.user,
            )
        )
