"""JSON bodies in camelCase, refused with 413 beyond the configured size."""

from django.conf import settings
from djangorestframework_camel_case.parser import CamelCaseJSONParser

from core.api.exception_handler import PayloadTooLarge


class JSONParser(CamelCaseJSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        if request is not None:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
                raise PayloadTooLarge()
        return super().parse(stream, media_type, parser_context)
