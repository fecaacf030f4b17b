"""Filtering and ordering through django-filter, with camelCase parameter names.

Domain FilterSets subclass :class:`CrmFilterSet`; a filter listed in ``error_codes`` reports its
invalid values with that domain code (e.g. an unknown activity ``type`` answers 4007).
"""

import datetime

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import DecimalValidator, MinValueValidator
from django.utils.translation import gettext as _
from django_filters.constants import EMPTY_VALUES
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ErrorDetail, ValidationError

from core.exceptions import ErrorCode


class OrderingFilter(django_filters.OrderingFilter):
    """``ordering=field`` / ``ordering=-field``; ties always broken by id so pages never overlap.

    An empty item (``ordering=,``, ``createdAt,``, ``,-createdAt``) is refused with 400 like an
    unknown field: django-filter lets it through its choices, and it would name no column.
    """

    def filter(self, qs, value):
        if not value:
            return qs
        if any(param in EMPTY_VALUES for param in value):
            raise ValidationError(
                {self.field_name: [_("An empty field name in the list; use field or -field.")]}
            )
        ordering = [self.get_ordering_value(param) for param in value]
        ordering.append("-id" if ordering[0].startswith("-") else "id")
        return qs.order_by(*ordering)


# django-filter refuses numbers above 1e50 (its MaxValueValidator). Below -1e50 is refused
# too, and so are more decimals than the column holds (two for money; 50 for a column that does
# not say): such a number (-1e999999, -0.1e-999999999) would reach the database and overflow
# its numeric type, a 500 on PostgreSQL. The schema states both bounds (core.api.schema).
NUMBER_FLOOR = -1e50
NUMBER_DECIMAL_PLACES = 50


class CrmFilterSet(django_filters.FilterSet):
    error_codes: dict[str, ErrorCode] = {}

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        for query_filter in filters.values():
            if isinstance(query_filter, django_filters.NumberFilter):
                validators = query_filter.field.validators
                if not any(isinstance(v, MinValueValidator) for v in validators):
                    validators.append(MinValueValidator(NUMBER_FLOOR))
                if isinstance(query_filter.field, forms.DecimalField):
                    places = cls._decimal_places(query_filter.field_name)
                    validators.append(DecimalValidator(None, places))
        return filters

    @classmethod
    def _decimal_places(cls, field_name: str) -> int:
        """How many decimals the filtered column holds (NUMBER_DECIMAL_PLACES if not said)."""
        try:
            column = cls._meta.model._meta.get_field(field_name)
        except (AttributeError, FieldDoesNotExist):
            return NUMBER_DECIMAL_PLACES
        return getattr(column, "decimal_places", None) or NUMBER_DECIMAL_PLACES


class DayBoundFilter(django_filters.DateFilter):
    """One inclusive end of a date range on a timestamp, given in UTC days (the API's zone).

    Compares the timestamp itself with the day's UTC midnight (``>= start``, ``< day after
    end``) instead of taking each row's ``__date``: the same rows, but an index on the column
    can serve it, where ``(ts AT TIME ZONE 'UTC')::date`` would scan the whole table.
    """

    def __init__(self, *, upper: bool, **kwargs):
        self.upper = upper
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        if self.upper:
            if value >= datetime.date.max:
                return qs
            bound = datetime.datetime.combine(value + datetime.timedelta(days=1), datetime.time())
            return qs.filter(**{f"{self.field_name}__lt": bound.replace(tzinfo=datetime.UTC)})
        bound = datetime.datetime.combine(value, datetime.time(), tzinfo=datetime.UTC)
        return qs.filter(**{f"{self.field_name}__gte": bound})


def date_range(field_name: str) -> tuple[django_filters.DateFilter, django_filters.DateFilter]:
    """An inclusive ``(start, end)`` pair of date filters on a date or a timestamp's date
    (``"created_at__date"``: the UTC date of ``created_at``)."""
    if field_name.endswith("__date"):
        column = field_name.removesuffix("__date")
        return DayBoundFilter(field_name=column, upper=False), DayBoundFilter(
            field_name=column, upper=True
        )
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
