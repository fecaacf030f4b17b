"""Query parameters of GET /accounts (seed §3.1, CONTRACT.md §2)."""

import django_filters

from accounts.models import Account, AccountStatus, AccountType
from core.api.filters import CrmFilterSet, OrderingFilter


class AccountFilterSet(CrmFilterSet):
    accountNo = django_filters.CharFilter(field_name="account_no", lookup_expr="exact")
    name = django_filters.CharFilter(field_name="name", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(field_name="status", choices=AccountStatus.choices)
    industry = django_filters.CharFilter(field_name="industry", lookup_expr="exact")
    region = django_filters.CharFilter(field_name="region", lookup_expr="exact")
    type = django_filters.ChoiceFilter(field_name="type", choices=AccountType.choices)
    ordering = OrderingFilter(
        fields=(
            ("created_at", "createdAt"),
            ("updated_at", "updatedAt"),
            ("account_no__number_sort", "accountNo"),
            ("name", "name"),
            ("credit_limit", "creditLimit"),
            ("status", "status"),
            ("type", "type"),
        )
    )

    class Meta:
        model = Account
        fields = []
