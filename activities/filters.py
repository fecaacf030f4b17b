"""Query parameters of GET /activities (seed §5.1, CONTRACT.md §2).

An unknown ``type`` answers 4007 like an unknown type in a body; ``startDate`` / ``endDate``
bound ``startTime``'s UTC date, both ends inclusive.
"""

import django_filters

from activities.models import Activity, ActivityPriority, ActivityStatus, ActivityType
from core.api.filters import CrmFilterSet, OrderingFilter, date_range
from core.exceptions import ErrorCode


class ActivityFilterSet(CrmFilterSet):
    error_codes = {"type": ErrorCode.ACTIVITY_TYPE_INVALID}

    accountId = django_filters.UUIDFilter(field_name="account_id")
    contactId = django_filters.UUIDFilter(field_name="contact_id")
    type = django_filters.ChoiceFilter(field_name="type", choices=ActivityType.choices)
    status = django_filters.ChoiceFilter(field_name="status", choices=ActivityStatus.choices)
    priority = django_filters.ChoiceFilter(field_name="priority", choices=ActivityPriority.choices)
    subject = django_filters.CharFilter(field_name="subject", lookup_expr="icontains")
    startDate, endDate = date_range("start_time__date")
    ordering = OrderingFilter(
        fields=(
            ("created_at", "createdAt"),
            ("updated_at", "updatedAt"),
            ("start_time", "startTime"),
            ("end_time", "endTime"),
            ("subject", "subject"),
            ("type", "type"),
            ("status", "status"),
            ("priority", "priority"),
        )
    )

    class Meta:
        model = Activity
        fields = []
