"""``Idempotency-Key`` on a POST: a retry gets the first answer instead of a second record.

The answer is kept in the database (``core.models.IdempotencyRecord``), written in the same
transaction as the records the request wrote: the middleware runs the request inside
``transaction.atomic()`` and adds the record just before the commit. So the key commits with
the write or not at all. A request that died (worker killed or timed out, database restarted)
leaves no key, and its retry runs afresh; a request that committed is replayed with
``Idempotent-Replayed: true``, even when its client never saw the first answer. Nothing lives
in the cache, so losing Redis forgets nothing.

A duplicate that arrives while the first request still runs must not run too:

- PostgreSQL: the request holds a transaction-level advisory lock on (user, key)
  (``pg_try_advisory_xact_lock``); a duplicate that cannot take it answers 409 at once. The
  lock ends with the transaction, so it cannot outlive the request that holds it.
- SQLite (one writer at a time; every transaction begins IMMEDIATE, see settings): the
  duplicate's transaction waits for the first to commit, then finds its answer and replays it.

Only successful answers (2xx) are kept: a refusal (4xx) or a fault (5xx) is rolled back whole,
so its retry is judged afresh (after the throttle window, with the missing field, ...). The same
key with another body or path answers 422. Records are kept 24 hours; the
``purge_idempotency_records`` command deletes older ones.
"""

import hashlib
from datetime import timedelta

from django.core.exceptions import RequestDataTooBig
from django.db import connection, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken, TokenError

from core.api.authentication import JWTAuthentication
from core.exceptions import DEFAULT_MESSAGES, ErrorCode
from core.models import IdempotencyRecord
from core.views import error_response

HEADER = "Idempotency-Key"
TTL = timedelta(hours=24)
MAX_KEY_LENGTH = 255


def _user_id(request):
    try:
        authenticated = JWTAuthentication().authenticate(request)
    except (AuthenticationFailed, InvalidToken, TokenError):
        return None
    return authenticated[0].pk if authenticated else None


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _claim(user_id, key_hash: str) -> bool:
    """Take the (user, key) lock for this transaction; False if another request holds it."""
    if connection.vendor != "postgresql":
        return True  # SQLite: the IMMEDIATE transaction already holds the only write lock
    lock_id = int.from_bytes(
        hashlib.sha256(f"{user_id}:{key_hash}".encode()).digest()[:8], "big", signed=True
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [lock_id])
        return cursor.fetchone()[0]


def purge_expired(now=None) -> int:
    """Delete the records older than the 24 hours a key is kept; returns how many."""
    cutoff = (now or timezone.now()) - TTL
    deleted, _by_model = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted


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
        fingerprint = _sha256(request.path.encode() + b"\n" + body)
        key_hash = _sha256(key.encode())
        with transaction.atomic():
            if not _claim(user_id, key_hash):
                return _in_progress()
            record = IdempotencyRecord.objects.filter(user_id=user_id, key_hash=key_hash).first()
            if record is not None and record.created_at > timezone.now() - TTL:
                return _replay(record, fingerprint)
            if record is not None:
                record.delete()  # expired: the key is free again

            response = self.get_response(request)
            if response.streaming or not 200 <= response.status_code < 300:
                transaction.set_rollback(True)
                return response
            IdempotencyRecord.objects.create(
                user_id=user_id,
                key_hash=key_hash,
                fingerprint=fingerprint,
                status=response.status_code,
                content_type=response.get("Content-Type", "application/json"),
                body=response.content,
            )
        return response


def _in_progress() -> HttpResponse:
    response = error_response(409, _("A request with this Idempotency-Key is in progress."))
    response["Retry-After"] = "1"
    return response


def _replay(record: IdempotencyRecord, fingerprint: str) -> HttpResponse:
    if record.fingerprint != fingerprint:
        return error_response(
            422, _("This Idempotency-Key was used with a different request body.")
        )
    response = HttpResponse(
        bytes(record.body), status=record.status, content_type=record.content_type
    )
    response["Idempotent-Replayed"] = "true"
    return response
