"""Query parameters of GET /contacts (seed §4.1, CONTRACT.md §2)."""

import django_filters

from contacts.models import Contact
from core.api.filters import CrmFilterSet, OrderingFilter


class ContactFilterSet(CrmFilterSet):
    accountId = django_filters.UUIDFilter(field_name="account_id")
    name = django_filters.CharFilter(field_name="name", lookup_expr="icontains")
    position = django_filters.CharFilter(field_name="position", lookup_expr="icontains")
    phone = django_filters.CharFilter(field_name="phone", lookup_expr="icontains")
    email = django_filters.CharFilter(field_name="email", lookup_expr="icontains")
    ordering = OrderingFilter(
        fields=(
            ("created_at", "createdAt"),
            ("updated_at", "updatedAt"),
            ("name", "name"),
            ("position", "position"),
        )
    )

    class Meta:
        model = Contact
        fields = []
