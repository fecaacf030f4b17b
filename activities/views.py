"""/api/v1/crm/activities: thin views over activities.selectors and activities.services."""

from drf_spectacular.utils import extend_schema

from activities import selectors, services
from activities.filters import ActivityFilterSet
from activities.serializers import (
    ActivityDetailSerializer,
    ActivityInputSerializer,
    ActivityListSerializer,
)
from core.api.viewsets import CrmModelViewSet
from core.exceptions import ErrorCode


@extend_schema(tags=["activities"])
class ActivityViewSet(CrmModelViewSet):
    """Calls, meetings, emails and notes with an account (seed §5); missing answers 4003."""

    not_found_code = ErrorCode.ACTIVITY_NOT_FOUND
    serializer_class = ActivityDetailSerializer
    list_serializer_class = ActivityListSerializer
    input_serializer_class = ActivityInputSerializer
    filterset_class = ActivityFilterSet

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.activity_detail()
        return selectors.activity_list()

    def perform_create(self, data):
        return services.activity_create(by=self.request.user, **data)

    def perform_update(self, instance, data):
        services.activity_update(activity=instance, data=data, by=self.request.user)

    def perform_destroy(self, instance):
        services.activity_delete(activity=instance, by=self.request.user)
