"""OpenAPI that tells the truth about the wire: envelopes, paginated lists and error responses."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

ERROR_RESPONSES = {
    "400": "Invalid input (code 400, or a domain code 4001-4010); data maps fields to messages.",
    "401": "Missing, invalid or expired access token.",
    "403": "Authenticated, but without the permission this needs.",
    "404": "No such record (code 4001-4006 by resource, 404 otherwise) or route.",
    "429": "Too many requests; retry after the Retry-After header's seconds.",
}

ERROR_ENVELOPE = {
    "type": "object",
    "required": ["code", "message", "data"],
    "properties": {
        "code": {"type": "integer", "example": 400},
        "message": {"type": "string", "example": "name: 该字段是必填项。"},
        "data": {
            "nullable": True,
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
}


class EnvelopeAutoSchema(AutoSchema):
    """Request bodies come from the input serializer; write answers are small or empty."""

    def _action(self) -> str:
        return getattr(self.view, "action", None) or ""

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


def envelope_postprocessing_hook(result, generator, request, public):
    """Wrap every success body in the envelope and list the envelope-shaped error answers."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["ErrorEnvelope"] = ERROR_ENVELOPE
    error_ref = {"$ref": "#/components/schemas/ErrorEnvelope"}
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for status_code in [code for code in responses if code.startswith("2")]:
                content_types = responses[status_code].get("content", {})
                if content_types and "application/json" not in content_types:
                    continue  # a file download: raw bytes, not an envelope
                response = responses.pop(status_code)
                content = content_types.get("application/json")
                inner = content.get("schema") if content else None
                responses["200"] = {
                    "description": response.get("description") or "success",
                    "content": {"application/json": {"schema": _envelope(inner)}},
                }
            public_path = not operation.get("security") or {} in operation.get("security", [])
            for status_code, description in ERROR_RESPONSES.items():
                if public_path and status_code in {"401", "403"}:
                    continue
                if status_code == "404" and "{" not in path:
                    continue
                responses.setdefault(
                    status_code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": error_ref}},
                    },
                )
    # Routes answer with and without the slash; document them as the seed spells them.
    result["paths"] = {
        (path.rstrip("/") or "/"): operations
        for path, operations in result.get("paths", {}).items()
    }
    return result
