"""Building blocks of the back office's admin classes: read-only and superuser-only tables,
and Chinese where Django's own screens would show English (permissions, delete pages)."""

from django.apps import apps
from django.utils.text import capfirst
from unfold.admin import ModelAdmin

from core.roles import permission_label


class ReadOnlyAdmin(ModelAdmin):
    """A table written by the system (numbering, tokens, figures), never on its admin pages."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
