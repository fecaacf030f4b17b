"""Request-wide concerns of the API: UTC, request ids and the access log, hostile input."""

import logging
import re
import time
import uuid
from datetime import UTC
from urllib.parse import unquote_plus

from django.utils import timezone

from core.views import bad_request_response

access_logger = logging.getLogger("crm.access")

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")


class ApiTimezoneMiddleware:
    """The API reads and writes UTC (``...Z``); the admin keeps the staff's TIME_ZONE.

    Date filters on a timestamp (``createdDateStart``) are therefore taken on its UTC date, the
    same date the client sees in ``createdAt``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            timezone.activate(UTC)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class RequestIdMiddleware:
    """Give every request an id (the client's ``X-Request-ID`` when it is sane) and log one
    structured line per request: time, id, user, method, path, status, duration in ms."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        sent = request.headers.get(REQUEST_ID_HEADER, "")
        request.request_id = sent if _VALID_REQUEST_ID.match(sent) else uuid.uuid4().hex
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request.request_id
        user = getattr(request, "user", None)  # DRF sets the token's user here too
        access_logger.info(
            "request",
            extra={
                "request_id": request.request_id,
                "user": user.get_username() if user is not None and user.is_authenticated else "-",
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return response


class RejectHostileInputMiddleware:
    """NUL bytes cannot be stored by PostgreSQL; refuse them in the path or query with a 400
    before any database sees them (bodies are checked by core.api.parsers)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = unquote_plus(request.META.get("QUERY_STRING", ""))
        if request.path.startswith("/api/") and ("\x00" in request.path or "\x00" in query):
            return bad_request_response("NUL bytes are not allowed.")
        return self.get_response(request)
