"""Token endpoints (CONTRACT.md §3): obtain, refresh, logout (revoke) and the current user."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.rest_framework_simplejwt import (
    TokenObtainPairSerializerExtension,
    TokenRefreshSerializerExtension,
)
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt import serializers as simplejwt
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from core import login_throttle
from core.api.throttling import ScopedThrottle
from core.exceptions import BusinessError, ErrorCode
from core.tokens import RefreshToken, forget_user, refresh_redeem


# Named as simplejwt's, so the OpenAPI components keep their names.
class TokenObtainPairSerializer(simplejwt.TokenObtainPairSerializer):
    token_class = RefreshToken

    def validate(self, attrs):
        request = self.context["request"]
        try:
            return login_throttle.attempt(
                request,
                attrs[self.username_field],
                lambda: super(TokenObtainPairSerializer, self).validate(attrs),
                failure=AuthenticationFailed,
            )
        except login_throttle.LoginLocked as locked:
            raise Throttled(locked.wait) from None


class TokenRefreshSerializer(simplejwt.TokenRefreshSerializer):
    def validate(self, attrs):
        return refresh_redeem(attrs["refresh"])


class TokenObtainSchema(TokenObtainPairSerializerExtension):
    target_class = TokenObtainPairSerializer


class TokenRefreshSchema(TokenRefreshSerializerExtension):
    target_class = TokenRefreshSerializer


class TokenView(TokenObtainPairView):
    """``{username, password}`` → ``{access, refresh}``; wrong credentials answer 401.

    Limited per client address (scope ``auth``) and, for wrong passwords, per username: over
    the limit answers 429 with ``Retry-After``.
    """

    serializer_class = TokenObtainPairSerializer
    throttle_classes = [ScopedThrottle]
    throttle_scope = "auth"


class TokenRefresh(TokenRefreshView):
    """``{refresh}`` → a new ``access`` and a rotated ``refresh``; the old one is spent, once."""

    serializer_class = TokenRefreshSerializer
    throttle_classes = [ScopedThrottle]
    throttle_scope = "auth"


class LogoutSerializer(serializers.Serializer):
    refresh = serializers.CharField()


class LogoutView(APIView):
    """Revoke a refresh token so it can no longer mint access tokens."""

    permission_classes = [AllowAny]

    @extend_schema(request=LogoutSerializer, responses={200: None})
    def post(self, request):
        serializer = LogoutSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            token = RefreshToken(serializer.validated_data["refresh"])
            token.blacklist()
        except TokenError as exc:
            raise BusinessError(
                ErrorCode.UNAUTHORIZED, _("Token is invalid or expired."), status=401
            ) from exc
        if (user_id := token.get(api_settings.USER_ID_CLAIM)) is not None:
            forget_user(user_id)  # the next request reads the user afresh
        return Response(None)


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField(source="get_display_name")
    email = serializers.EmailField(allow_blank=True)  # users may have none
    is_superuser = serializers.BooleanField()
    groups = serializers.SerializerMethodField()
    permissions = serializers.SerializerMethodField()

    def get_groups(self, user) -> list[str]:
        return sorted(group.name for group in user.groups.all())

    def get_permissions(self, user) -> list[str]:
        return sorted(user.get_all_permissions())


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: MeSerializer})
    def get(self, request):
        return Response(MeSerializer(request.user).data)
