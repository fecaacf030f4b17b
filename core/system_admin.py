"""The technical tables under "系统" (crm_project/backoffice.py): staff groups and the JWT
blacklist, re-registered in the back office's theme with Chinese columns, superusers only."""

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth.models import Group
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from unfold.admin import ModelAdmin

from core.roles import permission_label


class SuperuserOnlyAdmin(ModelAdmin):
    """A technical table: superusers only, whatever the permissions."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request) and super().has_delete_permission(request, obj)


admin.site.unregister(Group)
admin.site.unregister(OutstandingToken)
admin.site.unregister(BlacklistedToken)


class WithoutLinkRows:
    """A delete page lists what goes with the record. The rows of Django's automatic
    many-to-many tables (a user's groups, a group's permissions) would read
    "Group_permissions object (12)": class names a clerk cannot read and does not need. They
    are still deleted, just not listed."""

    def get_deleted_objects(self, objs, request):
        to_delete, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        links = [
            m._meta for m in apps.get_models(include_auto_created=True) if m._meta.auto_created
        ]
        prefixes = tuple(f"{capfirst(opts.verbose_name)}: " for opts in links)
        plurals = {str(opts.verbose_name_plural) for opts in links}
        counts = {name: n for name, n in counts.items() if str(name) not in plurals}
        return _without(to_delete, prefixes), counts, perms_needed, protected


def _without(items: list, prefixes: tuple) -> list:
    kept = []
    for item in items:
        if isinstance(item, list):
            item = _without(item, prefixes)
            if item:
                kept.append(item)
        elif not str(item).startswith(prefixes):
            kept.append(item)
    return kept


class PermissionLabels:
    """Permissions listed in Chinese (``客户管理 | 客户 | 可以添加客户``) where Django would show
    the English names it stores (core.roles.permission_label)."""

    permission_fields = ("permissions", "user_permissions")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in self.permission_fields and field is not None:
            field.label_from_instance = permission_label
        return field


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


class TokenAdmin(SuperuserOnlyAdmin):
    """Tokens are written by the API (login, refresh, logout), never here."""

    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
