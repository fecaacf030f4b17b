"""JSON bodies in camelCase, refused with 413 beyond the configured size and with 400 when
they carry what no database column can hold (NUL bytes) or nest absurdly deep."""

import json

from django.conf import settings
from django.utils.translation import gettext as _
from djangorestframework_camel_case.parser import CamelCaseJSONParser
from djangorestframework_camel_case.settings import api_settings as camel_settings
from djangorestframework_camel_case.util import underscoreize
from rest_framework.exceptions import ParseError

from core.api.exception_handler import PayloadTooLarge

MAX_DEPTH = 32


def _check(value, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise ParseError(_("JSON nested deeper than %(depth)d levels.") % {"depth": MAX_DEPTH})
    if isinstance(value, str):
        if "\x00" in value:
            raise ParseError(_("NUL bytes are not allowed."))
    elif isinstance(value, dict):
        for key, item in value.items():
            _check(key, depth + 1)
            _check(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check(item, depth + 1)


class JSONParser(CamelCaseJSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if request is not None:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                raise PayloadTooLarge()
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise PayloadTooLarge()
        try:
            data = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise ParseError(_("The body is not valid UTF-8.")) from exc
        except RecursionError as exc:
            raise ParseError(_("JSON nested too deeply.")) from exc
        except ValueError as exc:
            raise ParseError(_("JSON parse error: %(error)s") % {"error": exc}) from exc
        _check(data)
        return underscoreize(data, **camel_settings.JSON_UNDERSCOREIZE)
