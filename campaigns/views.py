"""/api/v1/crm/campaigns: thin views over campaigns.selectors and campaigns.services."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
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
from core.api.viewsets import CrmModelViewSet
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

    def get_queryset(self):
        if self.action == "analytics":
            return selectors.campaign_with_outcomes(viewer=self.request.user)
        if self.action == "retrieve":
            return selectors.campaign_detail()
        return selectors.campaign_list()

    def perform_create(self, data):
        return services.campaign_create(by=self.request.user, **data)

    def perform_update(self, instance, data):
        services.campaign_update(campaign=instance, data=data, by=self.request.user)

    def perform_destroy(self, instance):
        services.campaign_delete(campaign=instance, by=self.request.user)

    @extend_schema(responses={200: CampaignAnalyticsSerializer})
    @action(
        detail=True,
        methods=["get"],
        url_path="analytics",
        required_permissions=["campaigns.view_campaign"],
        serializer_class=CampaignAnalyticsSerializer,
        filterset_class=None,
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
