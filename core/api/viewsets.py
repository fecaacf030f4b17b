"""The base viewset every domain resource uses: thin views over serializers and services.

A domain viewset names its selector querysets, its serializers, its FilterSet, its not-found
code and its service functions. Everything else (paging, 404 codes, partial PUT, soft delete,
answers) is here once.
"""

import contextlib

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404
from django_filters import OrderingFilter
from django_filters.constants import EMPTY_VALUES
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from core.api.history import HistoryEntrySerializer, history_entries
from core.exceptions import ErrorCode, RecordNotFound
from core.history import history_queryset
from core.ownership import visible_to


def record_action(
    method: str,
    url_path: str,
    permission: str | None = None,
    *,
    request=None,
    answer=None,
    rows=None,
):
    """An action on the record named in the URL (``/<resource>/{id}/<url_path>``), with what the
    schema says of it: ``request`` is its body and ``answer`` its ``data``, or ``rows`` the
    serializer of the page of rows it lists. ``permission`` ("app.codename") replaces the
    method's model permission (core.api.permissions)."""
    options = {"serializer_class": rows} if rows is not None else {}
    if permission is not None:
        options["required_permissions"] = [permission]
    schema = extend_schema(
        request=request, responses={200: rows(many=True) if rows is not None else answer}
    )
    routed = action(
        detail=True, methods=[method], url_path=url_path, filterset_class=None, **options
    )
    return lambda function: schema(routed(function))


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
    # The detail's queryset, where it joins more than the list's (``queryset``).
    detail_queryset = None

    def get_queryset(self):
        if self.action == "retrieve" and self.detail_queryset is not None:
            return self.detail_queryset.all()
        return super().get_queryset()

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

    @record_action("get", "history", rows=HistoryEntrySerializer)
    def history(self, request, *args, **kwargs):
        """Every create, update, delete and restore of the record, newest first."""
        records = history_queryset(self.get_queryset().model)
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
        return self.paginator.paginate(rows, self.request, total=total)

    def paginated_under_record(self, queryset, *, parent: str):
        """:meth:`page_under_record` answered with the action's serializer."""
        page, _next = self.page_under_record(queryset, parent=parent)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def list_total(self, queryset, *, narrowed: bool) -> int:
        """The exact number of rows of the list ``queryset``; ``narrowed`` tells whether the
        request's filters or the caller's ownership scope leave any live record out of it.
        A view whose records the database counts as they are written (accounts) answers an
        unnarrowed list from that count instead."""
        return queryset.count()

    def list_is_narrowed(self, model) -> bool:
        """Whether a list filter was given a value, or the caller sees only some ``model`` rows."""
        ownership = getattr(model, "ownership", None)
        if ownership is not None and ownership.scope(self.request.user) is not None:
            return True
        filters = self.filterset_class.base_filters if self.filterset_class else {}
        params = self.request.query_params
        return any(
            params.get(name) not in EMPTY_VALUES
            for name, declared in filters.items()
            if not isinstance(declared, OrderingFilter)
        )

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
        queryset = self.filter_queryset(self.get_queryset())
        total = self.list_total(queryset, narrowed=self.list_is_narrowed(queryset.model))
        page, _next = self.paginator.paginate(queryset, request, total=total)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class RetrieveMixin:
    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.get_object()).data)


# The service functions of the mixins below are named ``<model>_create(*, by, **fields)``,
# ``<model>_update(*, <model>, data, by)`` and ``<model>_delete(*, <model>, by)``; a view names
# them with ``staticmethod(...)``, e.g. ``create_service = staticmethod(services.case_create)``.


def _record(instance) -> dict:
    """The keyword a domain service takes its record by: ``account=``, ``case=``..."""
    return {instance._meta.model_name: instance}


class CreateMixin:
    create_service = None

    def create(self, request, *args, **kwargs):
        instance = self.create_service(by=request.user, **self.validated_input())
        return Response(
            {field: _plain(getattr(instance, field)) for field in self.create_response_fields}
        )


class UpdateMixin:
    """PUT and PATCH are both partial updates: only the fields sent change (CONTRACT.md §1)."""

    update_service = None

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        data = self.validated_input(instance=instance, partial=True)
        self.update_service(**_record(instance), data=data, by=request.user)
        return Response(None)

    partial_update = update


class DestroyMixin:
    delete_service = None

    def destroy(self, request, *args, **kwargs):
        self.delete_service(**_record(self.get_object()), by=request.user)
        return Response(None)


class CrmModelViewSet(ListMixin, RetrieveMixin, CreateMixin, UpdateMixin, DestroyMixin, CrmViewSet):
    pass


def _plain(value):
    return str(value) if value is not None else None
