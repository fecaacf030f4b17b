"""The ``{code, message, data}`` envelope around every API response, with camelCase keys.

Bodies are written by orjson. A ``Decimal`` (money) is written as the JSON number it holds,
digit for digit: the standard library's encoder would go through a binary float, and
``9007199254740993`` would come back as ``9007199254740992.0``. Other values the encoder does
not know (dates and times outside a serializer, lazy translations) are written as DRF's encoder
writes them.
"""

from decimal import Decimal

import orjson
from djangorestframework_camel_case.settings import api_settings as camel_settings
from djangorestframework_camel_case.util import camelize
from rest_framework.renderers import BaseRenderer
from rest_framework.utils.encoders import JSONEncoder

ENVELOPE_KEYS = frozenset({"code", "message", "data"})

_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME
_drf_encoder = JSONEncoder()
_INT64 = -(2**63)


def envelope(code: int, message, data=None) -> dict:
    return {"code": int(code), "message": str(message), "data": data}


def is_envelope(data) -> bool:
    return isinstance(data, dict) and data.keys() == ENVELOPE_KEYS


def _default(value):
    if isinstance(value, Decimal):
        # str() of a finite Decimal is valid JSON number syntax ("12.50", "1E+3", "-0.01").
        return orjson.Fragment(str(value) if value.is_finite() else "null")
    return _drf_encoder.default(value)


def _wide_ints_as_digits(value):
    """``value`` with every integer past 64 bits as its digits, the one number orjson refuses."""
    if isinstance(value, dict):
        return {key: _wide_ints_as_digits(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_wide_ints_as_digits(item) for item in value]
    if isinstance(value, int) and not isinstance(value, bool) and not _INT64 <= value < -_INT64:
        return orjson.Fragment(str(int(value)))
    return value


def dumps(data, *, indent: bool = False) -> bytes:
    """``data`` as UTF-8 JSON, compact unless ``indent``, Decimals exact (no ASCII escapes:
    Chinese stays)."""
    options = _OPTIONS | orjson.OPT_INDENT_2 if indent else _OPTIONS
    try:
        return orjson.dumps(data, default=_default, option=options)
    except orjson.JSONEncodeError:
        # A client's huge number echoed back (``?page=10**30``) is past orjson's 64-bit integers:
        # written as its digits on this rare second pass. Anything else still fails here.
        return orjson.dumps(_wide_ints_as_digits(data), default=_default, option=options)


class EnvelopeRenderer(BaseRenderer):
    """Wraps successful payloads; errors arrive already wrapped by the exception handler."""

    media_type = "application/json"
    format = "json"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        status = response.status_code if response is not None else 200
        if status >= 400:
            if not is_envelope(data):
                data = envelope(status, getattr(response, "status_text", "") or "error", data)
        else:
            data = envelope(200, "success", data)
        return dumps(camelize(data, **camel_settings.JSON_UNDERSCOREIZE))
