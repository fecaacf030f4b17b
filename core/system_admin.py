"""The technical tables under "系统" (crm_project/backoffice.py): staff groups and the JWT
blacklist, re-registered in the back office's theme with Chinese columns, superusers only."""

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from core.admin_bases import PermissionLabels, ReadOnlyAdmin, SuperuserOnlyAdmin, WithoutLinkRows

admin.site.unregister(Group)
admin.site.unregister(OutstandingToken)
admin.site.unregister(BlacklistedToken)


@admin.register(Group)
class GroupAdmin(WithoutLinkRows, PermissionLabels, auth_admin.GroupAdmin, SuperuserOnlyAdmin):
    pass


def _column(description, getter, ordering=None):
    """A read-only column with a translated title: simplejwt's fields have none."""
    return admin.display(description=description, ordering=ordering)(getter)


token_jti = _column(_("token ID"), lambda token: token.jti, "jti")
token_user = _column(_("user"), lambda token: token.user, "user__username")
token_created = _column(_("issued at"), lambda token: token.created_at, "created_at")
token_expires = _column(_("expires at"), lambda token: token.expires_at, "expires_at")


class TokenAdmin(ReadOnlyAdmin, SuperuserOnlyAdmin):
    """Tokens are written by the API (login, refresh, logout), never here."""

    actions = None


@admin.register(OutstandingToken)
class OutstandingTokenAdmin(TokenAdmin):
    list_display = (token_jti, token_user, token_created, token_expires)
    list_select_related = ("user",)
    search_fields = ("user__username", "jti")
    fields = readonly_fields = list_display


@admin.register(BlacklistedToken)
class BlacklistedTokenAdmin(TokenAdmin):
    list_display = (
        _column(_("token ID"), lambda row: row.token.jti, "token__jti"),
        _column(_("user"), lambda row: row.token.user, "token__user__username"),
        _column(_("expires at"), lambda row: row.token.expires_at, "token__expires_at"),
        _column(_("blacklisted at"), lambda row: row.blacklisted_at, "blacklisted_at"),
    )
    list_select_related = ("token__user",)
    search_fields = ("token__user__username", "token__jti")
    fields = readonly_fields = list_display
