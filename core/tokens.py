"""JSON web tokens that end with the user's sessions, and the briefly cached token user.

Revocation. Every token carries the user's ``token_version`` (a token without the claim counts
as version 0). Changing the password, making it unusable or deactivating the user increments
the version (``core.models.User.save``), so every access and refresh token minted before stops
working at once; a deleted user's tokens name nobody. Both answer 401.

Refresh. A refresh token is redeemed by inserting it into simplejwt's blacklist, whose unique
key makes the insert the lock: of concurrent refreshes of one token exactly one inserts and
gets new tokens, the others fail on the key and answer 401.

The user behind a token is read from the shared cache for ``AUTH_USER_CACHE_SECONDS`` (60 with
Redis, off with the per-process cache) instead of the database. Every save or delete of a user
replaces the cached row with a short-lived tombstone, now and again at commit; readers only
ever ``add`` a row, which fails while a tombstone is there, so a reader that fetched the row
before the change cannot put it back. The cached row never holds the password hash.
"""

import functools
import zlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, IntegrityError, transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt import tokens as simplejwt
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.utils import datetime_from_epoch

from core.cache import shared

VERSION_CLAIM = "token_version"
INVALID = _("Token is invalid or expired.")
# Long enough for any request that read a user row before its change to have finished.
TOMBSTONE_SECONDS = 10
_GONE = "gone"


class _VersionClaim(simplejwt.Token):
    """Adds the user's token version. Placed after simplejwt's RefreshToken in the bases, so
    the blacklist's ``for_user`` records the outstanding token with the claim already in it."""

    @classmethod
    def for_user(cls, user):
        token = super().for_user(user)
        token[VERSION_CLAIM] = user.token_version
        return token


class AccessToken(simplejwt.AccessToken, _VersionClaim):
    pass


class RefreshToken(simplejwt.RefreshToken, _VersionClaim):
    access_token_class = AccessToken


def ensure_current(token, user) -> None:
    """401 unless ``user`` exists, is active and has not revoked ``token`` since it was minted.
    One message for all three: the answer does not tell whether the user exists."""
    if user is None or not user.is_active or token.get(VERSION_CLAIM, 0) != user.token_version:
        raise AuthenticationFailed(INVALID, code="token_not_valid")


def _fetch_user(user_id):
    user_model = get_user_model()
    try:
        return user_model.objects.get(pk=user_id)
    except user_model.DoesNotExist:
        return None


def refresh_redeem(raw: str) -> dict[str, str]:
    """A new access and refresh token for a refresh token, which is spent: once only."""
    try:
        old = RefreshToken(raw)  # signature, expiry, type; fails fast if already blacklisted
    except TokenError as exc:
        raise AuthenticationFailed(INVALID, code="token_not_valid") from exc
    user = _fetch_user(old.get(api_settings.USER_ID_CLAIM))
    ensure_current(old, user)
    try:
        with transaction.atomic():
            outstanding, _created = OutstandingToken.objects.get_or_create(
                jti=old[api_settings.JTI_CLAIM],
                defaults={
                    "user": user,
                    "token": raw,
                    "created_at": datetime_from_epoch(old["iat"]),
                    "expires_at": datetime_from_epoch(old["exp"]),
                },
            )
            BlacklistedToken.objects.create(token=outstanding)  # the unique key decides
            new = RefreshToken.for_user(user)
    except IntegrityError:  # spent by a concurrent request first (or the user deleted meanwhile)
        raise AuthenticationFailed(INVALID, code="token_not_valid") from None
    return {"access": str(new.access_token), "refresh": str(new)}


@functools.cache
def _cached_fields() -> tuple[str, ...]:
    fields = get_user_model()._meta.concrete_fields
    return tuple(field.attname for field in fields if field.attname != "password")


@functools.cache
def _fields_tag() -> int:
    return zlib.crc32(",".join(_cached_fields()).encode())


def _user_key(user_id) -> str:
    # The field list is part of the key: a row cached by another version of the model is a miss.
    return f"auth_user:{_fields_tag()}:{user_id}"


def cached_user(user_id):
    """The user ``user_id``, or None; from the shared cache when caching is on."""
    seconds = settings.AUTH_USER_CACHE_SECONDS
    if seconds <= 0:
        return _fetch_user(user_id)
    key = _user_key(user_id)
    fields = _cached_fields()
    found = shared.get(key)
    if isinstance(found, tuple):  # the password is deferred: never cached
        return get_user_model().from_db(DEFAULT_DB_ALIAS, fields, found)
    user = _fetch_user(user_id)
    if user is not None and found is None:  # a tombstone: not yet
        shared.add(key, tuple(getattr(user, name) for name in fields), seconds)
    return user


def forget_user(user_id) -> None:
    """Drop the cached row of ``user_id`` (now and when the transaction commits)."""
    if settings.AUTH_USER_CACHE_SECONDS <= 0:
        return
    key = _user_key(user_id)
    shared.set(key, _GONE, TOMBSTONE_SECONDS)
    transaction.on_commit(lambda: shared.set(key, _GONE, TOMBSTONE_SECONDS))


def _on_user_change(sender, instance, created=False, update_fields=None, **kwargs) -> None:
    if created:
        return  # nothing cached yet
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # every login writes it; nothing a token check reads
    forget_user(instance.pk)


def connect_signals() -> None:
    user_model = get_user_model()
    post_save.connect(_on_user_change, sender=user_model, dispatch_uid="core-tokens-user-saved")
    post_delete.connect(_on_user_change, sender=user_model, dispatch_uid="core-tokens-user-deleted")
