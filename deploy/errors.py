"""The ``{code, message, data}`` envelope for the errors the serving processes answer
themselves, before or instead of the application: nginx (deploy/nginx.py) and gunicorn
(crm_project/gunicorn.conf.py). The body code is the HTTP status, as for 409/422."""

import json

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.api.renderers import envelope
from core.exceptions import DEFAULT_MESSAGES, ErrorCode

MESSAGES = {
    400: _("Malformed HTTP request."),
    403: DEFAULT_MESSAGES[ErrorCode.FORBIDDEN],
    404: DEFAULT_MESSAGES[ErrorCode.NOT_FOUND],
    405: DEFAULT_MESSAGES[ErrorCode.METHOD_NOT_ALLOWED],
    408: _("The request was not received in time."),
    411: _("Content-Length is required."),
    413: DEFAULT_MESSAGES[ErrorCode.PAYLOAD_TOO_LARGE],
    414: _("Request URI too long."),
    417: _("Expectation failed."),
    431: _("Request headers too large."),
    500: DEFAULT_MESSAGES[ErrorCode.SERVER_ERROR],
    501: DEFAULT_MESSAGES[ErrorCode.NOT_IMPLEMENTED],
    502: _("The application server is unavailable; please retry."),
    503: _("The service is temporarily unavailable; please retry."),
    504: _("The application server did not answer in time."),
    505: _("HTTP version not supported."),
}


def error_json(status: int) -> str:
    """The envelope for ``status`` in the site's language (no request to choose another)."""
    message = MESSAGES.get(status, DEFAULT_MESSAGES[ErrorCode.BAD_REQUEST])
    with translation.override(settings.LANGUAGE_CODE):
        return json.dumps(envelope(status, message), ensure_ascii=False, separators=(",", ":"))
