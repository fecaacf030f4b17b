"""Envelope answers for requests that never reach a DRF view: unknown routes and crashes."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from core.api.renderers import envelope
from core.exceptions import DEFAULT_MESSAGES, ErrorCode


def _json(code: ErrorCode, status: int, message=None) -> JsonResponse:
    body = envelope(code, message or DEFAULT_MESSAGES[code])
    return JsonResponse(
        body, status=status, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")}
    )


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    """Catch-all for unknown paths under /api/ (works with DEBUG on, unlike handler404).

    CSRF-exempt like every API view (token auth, no cookies): otherwise a POST/PUT/PATCH/DELETE
    to an unknown path would get Django's HTML "CSRF failed" page instead of the 404 envelope."""
    return _json(ErrorCode.NOT_FOUND, 404, _("No such route: %(path)s") % {"path": request.path})


def not_found(request, exception=None):
    return _json(ErrorCode.NOT_FOUND, 404)


def server_error(request):
    return _json(ErrorCode.SERVER_ERROR, 500)


def bad_request(request, exception=None):
    return _json(ErrorCode.BAD_REQUEST, 400)


def bad_request_response(message: str) -> JsonResponse:
    return _json(ErrorCode.BAD_REQUEST, 400, message)


def error_response(status: int, message: str) -> JsonResponse:
    """An envelope whose body code is the HTTP status (409, 422, ... have no domain code)."""
    body = envelope(status, message)
    return JsonResponse(
        body, status=status, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")}
    )


def permission_denied(request, exception=None):
    return _json(ErrorCode.FORBIDDEN, 403)
