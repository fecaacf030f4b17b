"""OpenAPI that tells the truth about the wire: envelopes, paginated lists and error responses.

``tools/fuzz.sh`` holds the API to this document: schemathesis sends what the schema allows and
what it forbids, and checks every answer against it (docs/SECURITY.md, "Contract fuzzing").
"""

from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.core.validators import DecimalValidator, MaxValueValidator, MinValueValidator
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.renderers import (
    OpenApiJsonRenderer,
    OpenApiJsonRenderer2,
    OpenApiYamlRenderer,
    OpenApiYamlRenderer2,
)
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from core.api.renderers import dumps

JSON = "application/json"

# A string with something besides whitespace: DRF strips what ``str.isspace`` calls whitespace
# (exactly these characters) before it refuses a blank value. Literal characters, so that every
# regex dialect (ECMA, Python, Rust) reads the class the same way.
NOT_BLANK = "[^\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"

# Error answers, by HTTP status: which operations can give them.
ERROR_RESPONSES = {
    "400": "Invalid input (code 400, or a domain code 4001-4010); data maps fields to messages.",
    "401": "Missing, invalid or expired access token (or, on /auth, wrong credentials or token).",
    "403": "Authenticated, but without the permission this needs.",
    "404": "No such record (code 4001-4006 by resource, 404 otherwise).",
    "413": "Request body too large.",
    "415": "Unsupported media type: bodies are JSON.",
    "429": "Too many requests; retry after the Retry-After header's seconds.",
}

# ``data`` of an error: field -> messages; a list field's item errors nest by index
# (``{"attachmentIds": {"0": ["..."]}}``).
_FIELD_ERRORS = {
    "type": "object",
    "additionalProperties": {
        "anyOf": [
            {"type": "array", "items": {"type": "string"}},
            {"$ref": "#/components/schemas/FieldErrors"},
        ]
    },
}

ERROR_ENVELOPE = {
    "type": "object",
    "required": ["code", "message", "data"],
    "properties": {
        "code": {"type": "integer", "example": 400},
        "message": {"type": "string", "example": "name: 该字段是必填项。"},
        "data": {"nullable": True, "allOf": [{"$ref": "#/components/schemas/FieldErrors"}]},
    },
}


def _source_is_nullable(field) -> bool:
    """Whether a read-only field shows a model column (or goes through a relation) that may be
    NULL: ``campaign_id``, ``contact.name`` when the contact is optional, ``created_by``."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    for attr in getattr(field, "source_attrs", None) or []:
        if model is None:
            return False
        try:
            model_field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return False
        if not model_field.concrete:  # reverse relations and the like: lists, never null
            return False
        if model_field.null:
            return True
        model = model_field.related_model if model_field.is_relation else None
    return False


def _decimal_bounds(field, schema: dict) -> None:
    """A money field's real bounds, exactly: ``Decimal(18, 2)`` holds up to 9999999999999999.99
    (more is refused with 400, never rounded: CONTRACT.md §6). drf-spectacular writes an
    exclusive 10**16 instead, and ``format: double``, which tells a client generator to read the
    value into a binary float; ``decimal`` asks for a decimal type (BigDecimal, Decimal)."""
    if field.max_whole_digits is None or field.decimal_places is None:
        return
    largest = Decimal(10**field.max_whole_digits) - Decimal(10) ** -field.decimal_places
    schema["format"] = "decimal"
    if field.max_value is None:
        schema["maximum"] = largest
        schema.pop("exclusiveMaximum", None)
    if field.min_value is None:
        schema["minimum"] = -largest
        schema.pop("exclusiveMinimum", None)


def _input_constraints(field, schema: dict) -> None:
    """What the input fields enforce beyond what drf-spectacular writes down."""
    if isinstance(field, serializers.DecimalField) and field.decimal_places is not None:
        # More decimals are refused, not rounded: 0.001 is not money.
        schema.setdefault("multipleOf", 10**-field.decimal_places)
    elif isinstance(field, serializers.RelatedField) and field.allow_null:
        # A relation reads "" as null (DRF), like an empty choice in a form.
        outer = {
            key: schema.pop(key)
            for key in ("nullable", "readOnly", "writeOnly", "description", "title")
            if key in schema
        }
        inner = dict(schema)
        schema.clear()
        schema.update(outer)
        schema["oneOf"] = [inner, {"type": "string", "maxLength": 0}]
    elif isinstance(field, serializers.FileField) and not field.allow_empty_file:
        schema.setdefault("minLength", 1)
    elif (
        type(field) is serializers.CharField
        and not field.allow_blank
        and field.trim_whitespace
        and "pattern" not in schema
        and schema.get("type") == "string"
    ):
        # "   " is blank once trimmed.
        schema["pattern"] = NOT_BLANK


class EnvelopeAutoSchema(AutoSchema):
    """Request bodies come from the input serializer; write answers are small or empty."""

    def _action(self) -> str:
        return getattr(self.view, "action", None) or ""

    def map_parsers(self):
        # JSON is the contract (CONTRACT.md §1); only the file upload takes multipart.
        media_types = super().map_parsers()
        return [JSON] if JSON in media_types else media_types

    def _get_serializer_field_meta(self, field, direction):
        meta = super()._get_serializer_field_meta(field, direction)
        if (
            direction == "response"
            and field.read_only
            and not meta.get("nullable")
            and _source_is_nullable(field)
        ):
            meta["nullable"] = True
        return meta

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.DecimalField) and schema.get("type") == "number":
            _decimal_bounds(field, schema)
        if direction == "request":
            _input_constraints(field, schema)
        return schema

    def _get_filter_parameters(self):
        """Filter parameters with the bounds their form fields enforce (django-filter refuses
        numbers above 1e50, for one)."""
        parameters = super()._get_filter_parameters()
        filterset_class = getattr(self.view, "filterset_class", None)
        filters = filterset_class.base_filters if filterset_class is not None else {}
        for parameter in parameters:
            query_filter = filters.get(parameter.get("name"))
            schema = parameter.get("schema", {})
            if query_filter is None or schema.get("type") not in {"integer", "number"}:
                continue
            # The bound as the server compares it: 1e50 is a float, and an integer is checked
            # against its exact value (10**50 + 1 passes).
            exact = int if schema["type"] == "integer" else float
            for validator in query_filter.field.validators:
                if isinstance(validator, MaxValueValidator):
                    schema["maximum"] = exact(validator.limit_value)
                elif isinstance(validator, MinValueValidator):
                    schema["minimum"] = exact(validator.limit_value)
                elif isinstance(validator, DecimalValidator) and validator.decimal_places:
                    schema["multipleOf"] = Decimal(1).scaleb(-validator.decimal_places)
        return parameters

    def _get_request_for_media_type(self, serializer, direction="request"):
        if self._action() == "update" and self.method == "PUT":
            # PUT is a partial update as PATCH is (CONTRACT.md §1): no field is required, and
            # both share the Patched... request component.
            self.method = "PATCH"
            try:
                return super()._get_request_for_media_type(serializer, direction)
            finally:
                self.method = "PUT"
        return super()._get_request_for_media_type(serializer, direction)

    def get_request_serializer(self):
        input_class = getattr(self.view, "input_serializer_class", None)
        if input_class is not None and self._action() in {"create", "update", "partial_update"}:
            return input_class
        return super().get_request_serializer()

    def get_response_serializers(self):
        action = self._action()
        if action == "create":
            fields = getattr(self.view, "create_response_fields", ("id",))
            name = f"{type(self.view).__name__.removesuffix('ViewSet')}Created"
            return {
                200: inline_serializer(
                    name=name, fields={field: serializers.CharField() for field in fields}
                )
            }
        if action in {"update", "partial_update", "destroy"}:
            return {200: None}
        return super().get_response_serializers()


def _envelope(data_schema: dict | None) -> dict:
    data = data_schema if data_schema is not None else {"nullable": True, "example": None}
    return {
        "type": "object",
        "required": ["code", "message", "data"],
        "properties": {
            "code": {"type": "integer", "example": 200},
            "message": {"type": "string", "example": "success"},
            "data": data,
        },
    }


def _error_statuses(path: str, operation: dict) -> list[str]:
    public = not operation.get("security") or {} in operation.get("security", [])
    statuses = ["400", "401"]
    if not public:
        statuses.append("403")
    if "{" in path:
        statuses.append("404")
    if "requestBody" in operation:
        statuses += ["413", "415"]
    statuses.append("429")
    return statuses


def _uuid_ids(operation: dict) -> None:
    """Every record's id is a UUID (any other value answers 404)."""
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "path" and parameter.get("name") == "id":
            parameter["schema"] = {"type": "string", "format": "uuid"}


def _document_empty_values(operation: dict) -> None:
    """An optional query parameter sent empty (``?status=``) is ignored, as if absent:
    django-filter, the pagination and the analytics query serializers all treat it so."""
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "query" and not parameter.get("required"):
            parameter["allowEmptyValue"] = True


def _add_links(paths: dict) -> None:
    """Link each create to the operations on the record it made (``data.id`` of the answer)."""
    for path, operations in paths.items():
        create = operations.get("post")
        if not isinstance(create, dict) or "{" in path:
            continue
        prefix = f"{path.rstrip('/')}/{{id}}"
        links = {}
        for other_path, other_operations in paths.items():
            if other_path.rstrip("/") != prefix and not other_path.startswith(prefix + "/"):
                continue
            for operation in other_operations.values():
                if isinstance(operation, dict) and "operationId" in operation:
                    links[operation["operationId"]] = {
                        "operationId": operation["operationId"],
                        "parameters": {"id": "$response.body#/data/id"},
                    }
        if links:
            create["responses"]["200"]["links"] = links


def envelope_postprocessing_hook(result, generator, request, public):
    """Wrap every success body in the envelope and list the envelope-shaped error answers."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["ErrorEnvelope"] = ERROR_ENVELOPE
    schemas["FieldErrors"] = _FIELD_ERRORS
    error_ref = {"$ref": "#/components/schemas/ErrorEnvelope"}
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for status_code in [code for code in responses if code.startswith("2")]:
                content_types = responses[status_code].get("content", {})
                if content_types and JSON not in content_types:
                    # A file download: its bytes, with the type the file was uploaded with.
                    responses[status_code] = {
                        "description": "The file's bytes, as the type it was uploaded with.",
                        "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
                    }
                    continue
                response = responses.pop(status_code)
                content = content_types.get(JSON)
                inner = content.get("schema") if content else None
                responses["200"] = {
                    "description": response.get("description") or "success",
                    "content": {JSON: {"schema": _envelope(inner)}},
                }
            for status_code in _error_statuses(path, operation):
                documented = responses.setdefault(status_code, {})
                documented.setdefault("description", ERROR_RESPONSES[status_code])
                documented["content"] = {JSON: {"schema": error_ref}}
            _document_empty_values(operation)
            _uuid_ids(operation)
    # Routes answer with and without the slash; document them as the seed spells them.
    result["paths"] = {
        (path.rstrip("/") or "/"): operations
        for path, operations in result.get("paths", {}).items()
    }
    _add_links(result["paths"])
    return result


class OpenApiExactJsonRenderer(OpenApiJsonRenderer):
    """The schema as JSON with decimal bounds digit for digit (``9999999999999999.99``), as the
    YAML renderer already writes them; DRF's encoder would print the float ``1e16``."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return dumps(data, indent=True)


class OpenApiExactJsonRenderer2(OpenApiExactJsonRenderer):
    media_type = OpenApiJsonRenderer2.media_type


# The renderers of GET /api/v1/schema (crm_project/urls.py): YAML by default, JSON on request.
SCHEMA_RENDERERS = [
    OpenApiYamlRenderer,
    OpenApiYamlRenderer2,
    OpenApiExactJsonRenderer,
    OpenApiExactJsonRenderer2,
]
