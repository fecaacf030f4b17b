"""JSON bodies in camelCase, refused with 413 beyond the configured size and with 400 when
they carry what no database column can hold (NUL bytes, lone surrogates) or nest absurdly deep.

Numbers with a fraction or an exponent are read as ``Decimal``, never as binary floats: money
keeps every digit it was sent with (``99999999999999.99`` would otherwise become
``99999999999999.98``), and a value too large for its field is refused by the field's own
digit limits instead of being rounded first (CONTRACT.md §6, "Money").
"""

import json
import re
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _
from djangorestframework_camel_case.parser import CamelCaseJSONParser
from djangorestframework_camel_case.settings import api_settings as camel_settings
from djangorestframework_camel_case.util import underscoreize
from rest_framework.exceptions import ParseError

from core.exceptions import PayloadTooLarge

MAX_DEPTH = 32
# A UTF-16 surrogate on its own (JSON allows the escape "\ud800"): no UTF-8 text, no database
# column and no response can hold it.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _check(value, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise ParseError(_("JSON nested deeper than %(depth)d levels.") % {"depth": MAX_DEPTH})
    if isinstance(value, str):
        if "\x00" in value:
            raise ParseError(_("NUL bytes are not allowed."))
        if _SURROGATE.search(value):
            raise ParseError(_("The body holds an unpaired UTF-16 surrogate, which is not text."))
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
            data = json.loads(raw.decode("utf-8"), parse_float=Decimal)
        except UnicodeDecodeError as exc:
            raise ParseError(_("The body is not valid UTF-8.")) from exc
        except RecursionError as exc:
            raise ParseError(_("JSON nested too deeply.")) from exc
        except ValueError as exc:
            raise ParseError(_("JSON parse error: %(error)s") % {"error": exc}) from exc
        _check(data)
        return underscoreize(data, **camel_settings.JSON_UNDERSCOREIZE)
