"""Query parameters of GET /cases (seed §6.1, CONTRACT.md §2)."""

import django_filters

from cases.models import Case, CasePriority, CaseStatus, CaseType
from core.api.filters import CrmFilterSet, OrderingFilter, date_range
from core.exceptions import ErrorCode


class CaseFilterSet(CrmFilterSet):
    error_codes = {"status": ErrorCode.CASE_STATUS_INVALID}

    accountId = django_filters.UUIDFilter(field_name="account_id")
    caseNo = django_filters.CharFilter(field_name="case_no", lookup_expr="exact")
    subject = django_filters.CharFilter(field_name="subject", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(field_name="status", choices=CaseStatus.choices)
    priority = django_filters.ChoiceFilter(field_name="priority", choices=CasePriority.choices)
    type = django_filters.ChoiceFilter(field_name="type", choices=CaseType.choices)
    # On the UTC date of createdAt, inclusive at both ends.
    createdDateStart, createdDateEnd = date_range("created_at__date")
    ordering = OrderingFilter(
        fields=(
            ("created_at", "createdAt"),
            ("updated_at", "updatedAt"),
            ("case_no__number_sort", "caseNo"),
            ("subject", "subject"),
            ("status", "status"),
            ("type", "type"),
            ("response_time", "responseTime"),
            ("resolution_time", "resolutionTime"),
        )
    )

    class Meta:
        model = Case
        fields = []
