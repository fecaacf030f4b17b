"""Token endpoints (CONTRACT.md §3): obtain, refresh, logout (revoke) and the current user."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from core.api.throttling import ScopedThrottle
from core.exceptions import BusinessError, ErrorCode


class TokenView(TokenObtainPairView):
    """``{username, password}`` → ``{access, refresh}``; wrong credentials answer 401.

    A stricter rate (scope ``auth``) applies here, against password guessing.
    """

    throttle_classes = [ScopedThrottle]
    throttle_scope = "auth"


class TokenRefresh(TokenRefreshView):
    """``{refresh}`` → a new ``access`` (and a rotated ``refresh``; the old one is revoked)."""

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
            RefreshToken(serializer.validated_data["refresh"]).blacklist()
        except TokenError as exc:
            raise BusinessError(
                ErrorCode.UNAUTHORIZED, _("Token is invalid or expired."), status=401
            ) from exc
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
