"""Admin building blocks: every write through the domain services, soft-deleted rows visible
and restorable, each record's change history (django-simple-history) one click away, and the
same ownership scope as the API (core.ownership)."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm

from core import (
    services,
    system_admin,  # noqa: F401 (registers the 系统 tables: groups, JWT tokens)
)
from core.admin_bases import (
    PermissionLabels,
    ReadOnlyAdmin,
    SuperuserOnlyAdmin,
    WithoutLinkRows,
)
from core.display import format_money
from core.exceptions import BusinessError
from core.files import stored_file_create, stored_file_delete
from core.history import describe, history_queryset
from core.models import Sequence, StoredFile, User
from core.ownership import visible_to

SERVER_OWNED = ("created_by", "created_at", "updated_by", "updated_at", "deleted_by", "deleted_at")


@admin.register(User)
class UserAdmin(WithoutLinkRows, PermissionLabels, DjangoUserAdmin, ModelAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    change_password_form = AdminPasswordChangeForm
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("CRM"), {"fields": ("display_name",)}),
    )
    list_display = ("username", "display_name", "email", "is_staff", "is_active")
    # Owner fields elsewhere pick users by autocomplete, which searches these.
    search_fields = ("username", "display_name", "first_name", "last_name", "email")


@admin.register(Sequence)
class SequenceAdmin(ReadOnlyAdmin, SuperuserOnlyAdmin):
    """The business-number counters, read-only. The model's fields have no verbose names (a
    change there would be a migration for a label), so the columns carry them."""

    @admin.display(description=_("number prefix"), ordering="name")
    def prefix(self, obj):
        return obj.name

    @admin.display(description=_("last number issued"), ordering="value")
    def last_number(self, obj):
        return obj.value

    list_display = fields = readonly_fields = ("prefix", "last_number")


def number_column(model, field: str):
    """A list column for a business number that sorts as a number (``ACC999`` before
    ``ACC1000``, core.models.NumberSortKey) and links to the record."""

    @admin.display(
        description=model._meta.get_field(field).verbose_name, ordering=f"{field}__number_sort"
    )
    def column(obj):
        return getattr(obj, field)

    column.__name__ = field  # the cell's CSS class, field-<name>
    return column


def money_column(model, field: str):
    """A list column for an amount in yuan: ``¥1,234,567.89`` (core.display.format_money)."""

    @admin.display(description=model._meta.get_field(field).verbose_name, ordering=field)
    def column(obj):
        return format_money(getattr(obj, field))

    column.__name__ = field
    return column


class DeletedFilter(admin.SimpleListFilter):
    title = _("deleted")
    parameter_name = "deleted"

    def lookups(self, request, model_admin):
        return (("live", _("Live only")), ("deleted", _("Deleted only")), ("all", _("All")))

    def choices(self, changelist):
        # "Live only" is the default, so staff see deleted rows only when they ask for them.
        value = self.value() or "live"
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or "live"
        if value == "live":
            return queryset.filter(deleted_at__isnull=True)
        if value == "deleted":
            return queryset.filter(deleted_at__isnull=False)
        return queryset


def action_form(modeladmin, request, *, template, title, form, queryset, action):
    """The page an admin action shows before it applies (``admin/core/action_form.html``): the
    selected records and a form of options; the action runs when the form comes back with
    ``apply``."""
    return TemplateResponse(
        request,
        template,
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "opts": modeladmin.model._meta,
            "form": form,
            "queryset": queryset,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action": action,
            "media": modeladmin.media + form.media,
        },
    )


def adopt(target, source) -> None:
    """Copy a record saved by a service onto the admin's own instance (for its redirects)."""
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    target._state.adding = False
    target._state.db = source._state.db


class SoftDeleteAdmin(SimpleHistoryAdmin, ModelAdmin):
    """Deleting soft-deletes through the domain service; a "restore" action brings rows back;
    the "History" button lists every change of the record (who, when, what).

    Subclasses implement ``service_create`` / ``service_update`` / ``service_delete`` /
    ``service_restore`` with their app's service functions. Staff without a model's
    ``view_all`` permission see (and so change) only what they own, as in the API.
    """

    actions = ["soft_delete_selected", "restore_selected"]
    server_owned_fields = SERVER_OWNED

    def get_queryset(self, request):
        queryset = self.model.all_objects.select_related("created_by", "updated_by")
        return visible_to(queryset, request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A related record outside the user's scope cannot be picked either (as in the API,
        # where such an id answers "not found"): the form refuses it, not only the autocomplete.
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = visible_to(field.queryset, request.user)
        return field

    def get_list_display(self, request):
        # "Deleted at" is empty for live rows, which are what the list shows unless asked.
        columns = super().get_list_display(request)
        if request.GET.get(DeletedFilter.parameter_name) in ("deleted", "all"):
            return columns
        return [column for column in columns if column != "deleted_at"]

    def get_list_filter(self, request):
        return (DeletedFilter, *super().get_list_filter(request))

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), *self.server_owned_fields)

    # The history is for reading: a revert would write around the services.
    def revert_disabled(self, request, obj=None):
        return True

    def _require_visible(self, request, object_id) -> None:
        try:
            visible = self.get_queryset(request).filter(pk=unquote(object_id)).exists()
        except (ValueError, ValidationError):
            visible = False
        if not visible:  # the history of a record outside one's scope is not one's to read
            raise Http404

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # Newest first with what core.history reads (authors, related records, reasons).
        return history_queryset(self.model).filter(**{pk_name: object_id}).order_by("-history_id")

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Each row of the page gets its readable ``entry`` (core.history), as the API's
        ``/history`` reads it; the row before the page's last comes in one more statement."""
        records = list(historical_records)
        previous = None
        if records and records[-1].history_type != "+":
            last = records[-1]
            previous = (
                history_queryset(self.model)
                .filter(id=last.id, history_id__lt=last.history_id)
                .order_by("-history_id")
                .first()
            )
        for record, entry in zip(records, describe(records, previous), strict=True):
            record.entry = entry

    def history_view(self, request, object_id, extra_context=None):
        self._require_visible(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        self._require_visible(request, object_id)
        # An old version's page leads back to the history with its "Close" button; the theme's
        # own "History" button breaks there (its menu script expects a live record's page).
        extra_context = {**(extra_context or {}), "show_history": False}
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # it would erase rows; ours soft-deletes
        return actions

    def save_model(self, request, obj, form, change):
        if change:
            data = {name: form.cleaned_data[name] for name in form.changed_data}
            self.service_update(instance=obj, data=data, by=request.user)
        else:
            fields = {name: form.cleaned_data[name] for name in form.cleaned_data if name != "id"}
            adopt(obj, self.service_create(by=request.user, **fields))

    def delete_model(self, request, obj):
        if obj.deleted_at is None:  # deleting a deleted record again changes nothing
            self.service_delete(instance=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset.filter(deleted_at__isnull=True):
            self.service_delete(instance=obj, by=request.user)

    def service_create(self, *, by, **fields):
        raise NotImplementedError

    def service_update(self, *, instance, data, by):
        raise NotImplementedError

    def service_delete(self, *, instance, by):
        services.soft_delete(instance=instance, by=by)

    def service_restore(self, *, instance, by):
        services.restore(instance=instance, by=by)

    @admin.action(
        description=_("Delete selected (soft delete, restorable)"), permissions=["delete"]
    )
    def soft_delete_selected(self, request, queryset):
        self.delete_queryset(request, queryset)
        self.message_user(request, _("Deleted; they can be restored."), messages.SUCCESS)

    @admin.action(description=_("Restore selected"), permissions=["change"])
    def restore_selected(self, request, queryset):
        self.apply_each(
            request,
            queryset.filter(deleted_at__isnull=False),
            lambda obj: self.service_restore(instance=obj, by=request.user),
            done=_("%(count)d restored."),
        )

    def apply_each(self, request, records, apply, *, done) -> None:
        """Runs an action's service call on each record, each in its own transaction (the
        service's): a record the business rules refuse is reported by name and the others still
        go through; ``done`` (with ``%(count)d``) reports how many did."""
        count = 0
        for obj in records:
            try:
                apply(obj)
                count += 1
            except BusinessError as exc:
                self.message_user(request, f"{obj}: {exc.message}", messages.ERROR)
        self.message_user(request, done % {"count": count}, messages.SUCCESS)


class StoredFileAddForm(forms.ModelForm):
    class Meta:
        model = StoredFile
        fields = ("file",)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.FILE_UPLOAD_MAX_SIZE
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s bytes.") % {"limit": limit}
            )
        return upload


@admin.register(StoredFile)
class StoredFileAdmin(ModelAdmin):
    """Uploaded attachments: staff may upload (through the same service) and erase them."""

    list_display = ("name", "content_type", "size", "created_by", "created_at")
    list_select_related = ("created_by",)
    search_fields = ("name", "content_type")
    list_filter = ("content_type",)
    date_hierarchy = "created_at"
    readonly_fields = ("id", "name", "content_type", "size", "file", "created_by", "created_at")

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = StoredFileAddForm
            kwargs["fields"] = ("file",)
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ()

    def get_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ("file",)

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        adopt(obj, stored_file_create(upload=form.cleaned_data["file"], by=request.user))

    def delete_model(self, request, obj):
        stored_file_delete(stored_file=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
