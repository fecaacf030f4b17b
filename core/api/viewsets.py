"""The base viewset every domain resource uses: thin views over serializers and services.

A domain viewset names its selector queryset, its serializers, its FilterSet and its not-found
code, and implements ``perform_create`` / ``perform_update`` by calling its service. Everything
else (paging, 404 codes, partial PUT, soft delete, answers) is here once.
"""

import contextlib

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from core import services
from core.api.history import HistoryEntrySerializer, history_entries
from core.exceptions import ErrorCode, RecordNotFound
from core.ownership import visible_to


class CrmViewSet(viewsets.GenericViewSet):
    not_found_code: ErrorCode = ErrorCode.NOT_FOUND
    # Output of list rows; the detail uses ``serializer_class``.
    list_serializer_class = None
    # Input of create and update; validated data goes to the service.
    input_serializer_class = None
    # Fields of the created record returned by create, e.g. ("id", "account_no").
    create_response_fields: tuple[str, ...] = ("id",)
    # Set per action with @action(required_permissions=[...]); see core.api.permissions.
    required_permissions: list[str] | None = None

    def get_object(self):
        """The live record named in the URL, if the caller may see it; list filters do not apply."""
        lookup = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        queryset = visible_to(self.get_queryset(), self.request.user)
        try:
            instance = get_object_or_404(queryset, **{self.lookup_field: lookup})
        except Http404:
            raise RecordNotFound(self.not_found_code) from None
        self.check_object_permissions(self.request, instance)
        return instance

    def filter_queryset(self, queryset):
        """The list filters, then the caller's ownership scope (core.ownership)."""
        return visible_to(super().filter_queryset(queryset), self.request.user)

    @extend_schema(responses={200: HistoryEntrySerializer(many=True)})
    @action(
        detail=True,
        methods=["get"],
        url_path="history",
        filterset_class=None,
        serializer_class=HistoryEntrySerializer,
    )
    def history(self, request, *args, **kwargs):
        """Every create, update, delete and restore of the record, newest first."""
        records = self.get_queryset().model.history.select_related("history_user")
        page, previous = self.page_under_record(records.order_by("-history_id"), parent="id")
        entries = HistoryEntrySerializer(history_entries(page, previous), many=True).data
        return self.get_paginated_response(entries)

    def page_under_record(self, queryset, *, parent: str) -> tuple[list, object]:
        """The page of ``queryset``'s rows that belong to the record named in the URL (``parent``
        is their field naming it), and the row after the page (None after the last).

        Four statements at most, like every list: the count asks for the record's visibility
        itself (an EXISTS), so the record is fetched only when there is nothing to count (to
        tell an empty list from a record the caller may not see, which is a 404); the page and
        the row after it come in one statement.
        """
        lookup = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        visible = visible_to(self.get_queryset(), self.request.user).filter(pk=OuterRef(parent))
        rows, total = queryset.none(), 0
        with contextlib.suppress(TypeError, ValueError, DjangoValidationError):  # not an id
            rows = queryset.filter(**{parent: lookup}).filter(Exists(visible))
            total = rows.count()
        if not total:
            self.get_object()  # 404 unless the record exists for this caller
        return self.paginator.paginate_with_next(rows, self.request, total=total)

    def paginated_under_record(self, queryset, *, parent: str):
        """:meth:`page_under_record` answered with the action's serializer."""
        page, _next = self.page_under_record(queryset, parent=parent)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def count_rows(self, queryset) -> int:
        """The exact number of rows of a list (the ``total`` of its page)."""
        return queryset.count()

    def paginated_response(self, queryset):
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def get_serializer_class(self):
        if self.action == "list" and self.list_serializer_class is not None:
            return self.list_serializer_class
        return super().get_serializer_class()

    def validated_input(self, serializer_class=None, *, instance=None, partial=False) -> dict:
        serializer_class = serializer_class or self.input_serializer_class
        serializer = serializer_class(
            instance, data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class ListMixin:
    def list(self, request, *args, **kwargs):
        return self.paginated_response(self.filter_queryset(self.get_queryset()))


class RetrieveMixin:
    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.get_object()).data)


class CreateMixin:
    def create(self, request, *args, **kwargs):
        instance = self.perform_create(self.validated_input())
        return Response(
            {field: _plain(getattr(instance, field)) for field in self.create_response_fields}
        )

    def perform_create(self, data: dict):
        raise NotImplementedError


class UpdateMixin:
    """PUT and PATCH are both partial updates: only the fields sent change (CONTRACT.md §1)."""

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        self.perform_update(instance, self.validated_input(instance=instance, partial=True))
        return Response(None)

    partial_update = update

    def perform_update(self, instance, data: dict):
        raise NotImplementedError


class DestroyMixin:
    def destroy(self, request, *args, **kwargs):
        self.perform_destroy(self.get_object())
        return Response(None)

    def perform_destroy(self, instance):
        services.soft_delete(instance=instance, by=self.request.user, missing=self.not_found_code)


class CrmModelViewSet(ListMixin, RetrieveMixin, CreateMixin, UpdateMixin, DestroyMixin, CrmViewSet):
    pass


def _plain(value):
    return str(value) if value is not None else None
