"""``Idempotency-Key`` on a POST: a retry gets the first answer instead of a second record.

Records live in the shared cache (Redis in production) for 24 hours, keyed by user and key, so
every server process sees them. The first request claims the key atomically (``cache.add``); a
concurrent duplicate finds the claim and answers 409; the same key with a different body answers
422; after the first answer is stored, a retry replays it with ``Idempotent-Replayed: true``.
"""

import hashlib

from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.utils.translation import gettext as _
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken, TokenError

from core.exceptions import DEFAULT_MESSAGES, ErrorCode
from core.views import error_response

HEADER = "Idempotency-Key"
TTL_SECONDS = 24 * 60 * 60
MAX_KEY_LENGTH = 255
PROCESSING = "processing"


def _user_id(request):
    try:
        authenticated = JWTAuthentication().authenticate(request)
    except (AuthenticationFailed, InvalidToken, TokenError):
        return None
    return authenticated[0].pk if authenticated else None


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER)
        if (
            request.method != "POST"
            or not key
            or not request.path.startswith("/api/")
            or request.content_type == "multipart/form-data"  # uploads are not replayed
        ):
            return self.get_response(request)
        if len(key) > MAX_KEY_LENGTH:
            return error_response(400, _("Idempotency-Key is longer than 255 characters."))
        user_id = _user_id(request)
        if user_id is None:
            return self.get_response(request)  # the view answers 401

        try:
            body = request.body
        except RequestDataTooBig:
            return error_response(413, str(DEFAULT_MESSAGES[ErrorCode.PAYLOAD_TOO_LARGE]))
        fingerprint = hashlib.sha256(request.path.encode() + b"\n" + body).hexdigest()
        cache_key = "idem:" + hashlib.sha256(f"{user_id}:{key}".encode()).hexdigest()
        if not cache.add(cache_key, {"state": PROCESSING, "fingerprint": fingerprint}, TTL_SECONDS):
            return self._replay(cache.get(cache_key), fingerprint)

        response = self.get_response(request)
        if response.status_code >= 500:
            cache.delete(cache_key)  # a server fault is not an answer: let the retry run again
            return response
        cache.set(
            cache_key,
            {
                "state": "done",
                "fingerprint": fingerprint,
                "status": response.status_code,
                "content_type": response.get("Content-Type", "application/json"),
                "body": response.content,
            },
            TTL_SECONDS,
        )
        return response

    def _replay(self, record, fingerprint):
        if record is None:  # expired between add() and get(): treat as in flight
            return error_response(409, _("A request with this Idempotency-Key is in progress."))
        if record["fingerprint"] != fingerprint:
            return error_response(
                422, _("This Idempotency-Key was used with a different request body.")
            )
        if record["state"] == PROCESSING:
            return error_response(409, _("A request with this Idempotency-Key is in progress."))
        response = HttpResponse(
            record["body"], status=record["status"], content_type=record["content_type"]
        )
        response["Idempotent-Replayed"] = "true"
        return response
