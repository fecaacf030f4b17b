"""/api/v1/crm/analytics/*: validate the query, ask the selectors, serialize the figures."""

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from analytics.figures import (
    VIEW_ANALYTICS,
    loyalty_data,
    overview_data,
    segmentation_data,
    trends_data,
)
from analytics.serializers import (
    LoyaltySerializer,
    OverviewQuerySerializer,
    OverviewSerializer,
    SegmentationQuerySerializer,
    SegmentationSerializer,
    TrendsQuerySerializer,
    TrendsSerializer,
)
from core.api.permissions import ModelPermissions


@extend_schema(tags=["analytics"])
class AnalyticsViewSet(viewsets.ViewSet):
    """Read-only figures; every action needs ``analytics.view_analytics`` (superusers have it)."""

    permission_classes = [IsAuthenticated, ModelPermissions]
    # ModelPermissions checks exactly these when a view names them (no queryset needed).
    required_permissions = [VIEW_ANALYTICS]

    def _query(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.query_params)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(parameters=[OverviewQuerySerializer], responses={200: OverviewSerializer})
    @action(detail=False, methods=["get"])
    def overview(self, request):
        query = self._query(OverviewQuerySerializer)
        return Response(overview_data(window=query["window"], viewer=request.user))

    @extend_schema(parameters=[TrendsQuerySerializer], responses={200: TrendsSerializer})
    @action(detail=False, methods=["get"])
    def trends(self, request):
        query = self._query(TrendsQuerySerializer)
        return Response(
            trends_data(
                metric=query["metric"],
                period=query["period"],
                window=query["window"],
                viewer=request.user,
            )
        )

    @extend_schema(
        parameters=[SegmentationQuerySerializer], responses={200: SegmentationSerializer}
    )
    @action(detail=False, methods=["get"])
    def segmentation(self, request):
        query = self._query(SegmentationQuerySerializer)
        return Response(segmentation_data(segment_by=query["segment_by"], viewer=request.user))

    @extend_schema(responses={200: LoyaltySerializer})
    @action(detail=False, methods=["get"])
    def loyalty(self, request):
        return Response(loyalty_data(viewer=request.user))
