"""``page`` / ``pageSize`` pagination into ``{list, total, page, pageSize}`` (CONTRACT.md §2)."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response


class EnvelopePagination(BasePagination):
    page_query_param = "page"
    page_size_query_param = "pageSize"
    default_page_size = 10
    max_page_size = 100

    def _positive_int(self, request, name: str, default: int) -> int:
        raw = request.query_params.get(name)
        if raw is None or raw == "":
            return default
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if value < 1:
            raise ValidationError({name: [_("Must be an integer of at least 1.")]})
        return value

    def paginate(self, queryset, request, *, total: int) -> tuple[list, object]:
        """The requested page of ``queryset``, whose rows number ``total`` (the view counts
        them, or knows a cheaper way to the same exact number), and the row that follows the
        page (None after the last one), fetched together in one statement."""
        self.page = self._positive_int(request, self.page_query_param, 1)
        requested = self._positive_int(request, self.page_size_query_param, self.default_page_size)
        self.page_size = min(requested, self.max_page_size)
        self.total = total
        offset = (self.page - 1) * self.page_size
        if offset >= total:  # past the end: no absurd OFFSET sent to SQL
            return [], None
        rows = list(queryset[offset : offset + self.page_size + 1])
        return rows[: self.page_size], rows[self.page_size] if len(rows) > self.page_size else None

    def get_paginated_response(self, data):
        return Response(
            {"list": data, "total": self.total, "page": self.page, "pageSize": self.page_size}
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["list", "total", "page", "pageSize"],
            "properties": {
                "list": schema,
                "total": {"type": "integer", "example": 50},
                "page": {"type": "integer", "example": 1},
                "pageSize": {"type": "integer", "example": 10},
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Page number, from 1 (default 1).",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": "Rows per page (default 10; values above 100 are clamped to 100).",
                "schema": {"type": "integer", "minimum": 1},
            },
        ]
