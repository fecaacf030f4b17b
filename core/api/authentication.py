"""Bearer-token authentication: simplejwt's, with the token's user read through the short user
cache and the token held to the user's current token version (core.tokens)."""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework_simplejwt.authentication import JWTAuthentication as SimpleJWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.settings import api_settings

from core.tokens import INVALID, cached_user, ensure_current


class JWTAuthentication(SimpleJWTAuthentication):
    def get_user(self, validated_token):
        user_id = validated_token.get(api_settings.USER_ID_CLAIM)
        if user_id is None:
            raise InvalidToken(INVALID)
        user = cached_user(user_id)
        ensure_current(validated_token, user)
        return user


class JWTScheme(SimpleJWTScheme):
    """The same bearer scheme in the OpenAPI document."""

    target_class = JWTAuthentication
