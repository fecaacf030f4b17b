"""Every exception raised while serving the API becomes the envelope, with the right status.

Validation errors keep their per-field messages in ``data``; a domain code (4001-4010) attached to
a field error becomes the body code. Unexpected exceptions are logged and answered as a plain 500
without any detail of the fault.
"""

import logging

from django.conf import settings
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from core.api.constraints import unique_violation_errors
from core.api.renderers import envelope
from core.exceptions import DEFAULT_MESSAGES, BusinessError, ErrorCode, PayloadTooLarge
from core.text import camel_key

logger = logging.getLogger("crm.errors")

NON_FIELD_KEY = "nonFieldErrors"

_STATUS_CODES = {
    status.HTTP_400_BAD_REQUEST: ErrorCode.BAD_REQUEST,
    status.HTTP_401_UNAUTHORIZED: ErrorCode.UNAUTHORIZED,
    status.HTTP_403_FORBIDDEN: ErrorCode.FORBIDDEN,
    status.HTTP_404_NOT_FOUND: ErrorCode.NOT_FOUND,
    status.HTTP_405_METHOD_NOT_ALLOWED: ErrorCode.METHOD_NOT_ALLOWED,
    status.HTTP_413_REQUEST_ENTITY_TOO_LARGE: ErrorCode.PAYLOAD_TOO_LARGE,
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    status.HTTP_429_TOO_MANY_REQUESTS: ErrorCode.TOO_MANY_REQUESTS,
}


def _field_errors(detail) -> dict:
    """Normalise a ValidationError's detail to ``{camelField: [messages]}``."""
    if isinstance(detail, dict):
        errors = {}
        for key, value in detail.items():
            name = NON_FIELD_KEY if key in ("non_field_errors", "__all__") else camel_key(str(key))
            errors[name] = value if isinstance(value, (list, dict)) else [value]
        return errors
    if isinstance(detail, list):
        return {NON_FIELD_KEY: detail}
    return {NON_FIELD_KEY: [detail]}


def _iter_details(detail):
    if isinstance(detail, dict):
        for value in detail.values():
            yield from _iter_details(value)
    elif isinstance(detail, list):
        for value in detail:
            yield from _iter_details(value)
    else:
        yield detail


def _first_message(errors: dict) -> tuple[str, str]:
    for field, messages in errors.items():
        for message in _iter_details(messages):
            return field, str(message)
    return "", ""


def _validation_envelope(exc: exceptions.ValidationError):
    errors = _field_errors(exc.detail)
    code = ErrorCode.BAD_REQUEST
    for detail in _iter_details(exc.detail):
        # Our fields attach an ErrorCode (RelatedIdField: 4001.. or 404; DomainChoiceField:
        # 4007..); DRF's own codes are strings such as "required" and keep the body code 400.
        detail_code = getattr(detail, "code", None)
        if isinstance(detail_code, ErrorCode):
            code = detail_code
            break
    field, message = _first_message(errors)
    if field and field != NON_FIELD_KEY:
        summary = _("%(field)s: %(message)s") % {"field": field, "message": message}
    else:
        summary = message or str(DEFAULT_MESSAGES[ErrorCode.BAD_REQUEST])
    return envelope(code, summary, errors)


def envelope_exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, BusinessError):
        set_rollback()
        return Response(envelope(exc.code, exc.message, exc.data), status=exc.status)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, SuspiciousOperation):
        exc = exceptions.ParseError(_suspicious_message(exc))
    elif isinstance(exc, IntegrityError) and (errors := unique_violation_errors(exc)):
        exc = exceptions.ValidationError(errors)  # a race past the uniqueness validation

    response = drf_exception_handler(exc, context)
    if response is None:
        view = context.get("view")
        logger.exception("Unhandled error in %s", type(view).__name__ if view else "API view")
        set_rollback()
        return Response(
            envelope(ErrorCode.SERVER_ERROR, DEFAULT_MESSAGES[ErrorCode.SERVER_ERROR]),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )

    if isinstance(exc, exceptions.ValidationError):
        response.data = _validation_envelope(exc)
    else:
        code = _STATUS_CODES.get(response.status_code, response.status_code)
        message = exc.detail if isinstance(exc.detail, str) else DEFAULT_MESSAGES.get(code, "")
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            # simplejwt details are dicts; keep the message readable and the data empty.
            message = _auth_message(exc)
        response.data = envelope(code, message, None)
    return response


def _suspicious_message(exc: SuspiciousOperation) -> str:
    """What was wrong with a request Django refused to read (a flood of query parameters, form
    fields or files, read before authentication): invalid input, never a server fault."""
    if isinstance(exc, TooManyFieldsSent):
        return _("Too many parameters or form fields: at most %(count)d.") % {
            "count": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        }
    if isinstance(exc, TooManyFilesSent):
        return _("Too many files: at most %(count)d.") % {
            "count": settings.DATA_UPLOAD_MAX_NUMBER_FILES
        }
    return str(DEFAULT_MESSAGES[ErrorCode.BAD_REQUEST])


def _auth_message(exc) -> str:
    detail = exc.detail
    if isinstance(detail, dict):
        detail = detail.get("detail", DEFAULT_MESSAGES[ErrorCode.UNAUTHORIZED])
    return str(detail)
