"""The ``{code, message, data}`` envelope around every API response, with camelCase keys."""

from djangorestframework_camel_case.render import CamelCaseJSONRenderer

ENVELOPE_KEYS = frozenset({"code", "message", "data"})


def envelope(code: int, message, data=None) -> dict:
    return {"code": int(code), "message": str(message), "data": data}


def is_envelope(data) -> bool:
    return isinstance(data, dict) and data.keys() == ENVELOPE_KEYS


class EnvelopeRenderer(CamelCaseJSONRenderer):
    """Wraps successful payloads; errors arrive already wrapped by the exception handler."""

    charset = "utf-8"
    ensure_ascii = False  # Chinese text travels as UTF-8, not \\u escapes.

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        status = response.status_code if response is not None else 200
        if status >= 400:
            if not is_envelope(data):
                data = envelope(status, getattr(response, "status_text", "") or "error", data)
        else:
            data = envelope(200, "success", data)
        return super().render(data, accepted_media_type, renderer_context)
