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
    queryset = selectors.activity_list()
    detail_queryset = selectors.activity_detail()
    create_service = staticmethod(services.activity_create)
    update_service = staticmethod(services.activity_update)
    delete_service = staticmethod(services.activity_delete)
