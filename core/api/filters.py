"""Filtering and ordering through django-filter, with camelCase parameter names.

Domain FilterSets subclass :class:`CrmFilterSet`; a filter listed in ``error_codes`` reports its
invalid values with that domain code (e.g. an unknown activity ``type`` answers 4007).
"""

import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ErrorDetail, ValidationError

from core.exceptions import ErrorCode


class OrderingFilter(django_filters.OrderingFilter):
    """``ordering=field`` / ``ordering=-field``; ties always broken by id so pages never overlap."""

    def filter(self, qs, value):
        if not value:
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        ordering.append("-id" if ordering[0].startswith("-") else "id")
        return qs.order_by(*ordering)


class CrmFilterSet(django_filters.FilterSet):
    error_codes: dict[str, ErrorCode] = {}


def date_range(field_name: str) -> tuple[django_filters.DateFilter, django_filters.DateFilter]:
    """An inclusive ``(start, end)`` pair of date filters on a date or a timestamp's date."""
    return (
        django_filters.DateFilter(field_name=field_name, lookup_expr="gte"),
        django_filters.DateFilter(field_name=field_name, lookup_expr="lte"),
    )


class FilterBackend(DjangoFilterBackend):
    """Invalid filter values answer 400 (or their domain code) instead of being ignored."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            codes = getattr(filterset, "error_codes", {})
            errors = {}
            for name, messages in filterset.errors.get_json_data().items():
                code = codes.get(name)
                errors[name] = [
                    ErrorDetail(item["message"], code=code if code else item["code"])
                    for item in messages
                ]
            raise ValidationError(errors)
        return filterset.qs
