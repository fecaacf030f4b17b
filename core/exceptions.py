"""Error codes of the seed's section 10 and the one exception type services raise."""

from enum import IntEnum

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import APIException


class ErrorCode(IntEnum):
    SUCCESS = 200
    BAD_REQUEST = 400
    UNAUTHORIZED = 401
    FORBIDDEN = 403
    NOT_FOUND = 404
    METHOD_NOT_ALLOWED = 405
    PAYLOAD_TOO_LARGE = 413
    UNSUPPORTED_MEDIA_TYPE = 415
    TOO_MANY_REQUESTS = 429
    SERVER_ERROR = 500
    NOT_IMPLEMENTED = 501
    ACCOUNT_NOT_FOUND = 4001
    CONTACT_NOT_FOUND = 4002
    ACTIVITY_NOT_FOUND = 4003
    CASE_NOT_FOUND = 4004
    LEAD_NOT_FOUND = 4005
    OPPORTUNITY_NOT_FOUND = 4006
    ACTIVITY_TYPE_INVALID = 4007
    CASE_STATUS_INVALID = 4008
    LEAD_STATUS_INVALID = 4009
    OPPORTUNITY_STAGE_INVALID = 4010


# Default human-readable message of each code (translated per request).
DEFAULT_MESSAGES = {
    ErrorCode.BAD_REQUEST: _("Invalid request parameters."),
    ErrorCode.UNAUTHORIZED: _("Authentication required."),
    ErrorCode.FORBIDDEN: _("You do not have permission to perform this action."),
    ErrorCode.NOT_FOUND: _("The requested resource does not exist."),
    ErrorCode.METHOD_NOT_ALLOWED: _("Method not allowed."),
    ErrorCode.PAYLOAD_TOO_LARGE: _("Request body too large."),
    ErrorCode.UNSUPPORTED_MEDIA_TYPE: _("Unsupported media type."),
    ErrorCode.TOO_MANY_REQUESTS: _("Too many requests."),
    ErrorCode.SERVER_ERROR: _("Internal server error."),
    ErrorCode.NOT_IMPLEMENTED: _("Not implemented."),
    ErrorCode.ACCOUNT_NOT_FOUND: _("Account does not exist."),
    ErrorCode.CONTACT_NOT_FOUND: _("Contact does not exist."),
    ErrorCode.ACTIVITY_NOT_FOUND: _("Activity does not exist."),
    ErrorCode.CASE_NOT_FOUND: _("Case does not exist."),
    ErrorCode.LEAD_NOT_FOUND: _("Lead does not exist."),
    ErrorCode.OPPORTUNITY_NOT_FOUND: _("Opportunity does not exist."),
    ErrorCode.ACTIVITY_TYPE_INVALID: _("Invalid activity type."),
    ErrorCode.CASE_STATUS_INVALID: _("Invalid case status."),
    ErrorCode.LEAD_STATUS_INVALID: _("Invalid lead status."),
    ErrorCode.OPPORTUNITY_STAGE_INVALID: _("Invalid opportunity stage."),
}

# Codes that refine HTTP 400 (validation) or 404 (missing record) for a domain.
DOMAIN_CODES = frozenset(code for code in ErrorCode if code >= 4001)


class BusinessError(Exception):
    """Raised by services and views; the exception handler turns it into the envelope.

    ``status`` is the HTTP status (the category); ``code`` is the precise body code.
    """

    def __init__(self, code: ErrorCode, message=None, *, status: int = 400, data=None):
        self.code = ErrorCode(code)
        self.message = message if message is not None else DEFAULT_MESSAGES.get(self.code, "")
        self.status = status
        self.data = data
        super().__init__(str(self.message))


class RecordNotFound(BusinessError):
    """A record that does not exist or is soft-deleted: HTTP 404 with the record's own code."""

    def __init__(self, code: ErrorCode = ErrorCode.NOT_FOUND, message=None):
        super().__init__(code, message, status=404)


class PayloadTooLarge(APIException):
    """A body over its size limit (413), raised before the body is parsed."""

    status_code = 413
    default_detail = DEFAULT_MESSAGES[ErrorCode.PAYLOAD_TOO_LARGE]
    default_code = "payload_too_large"
