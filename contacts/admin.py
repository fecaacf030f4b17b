from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from contacts import services
from contacts.models import Contact
from core.admin import SoftDeleteAdmin


@admin.register(Contact)
class ContactAdmin(SoftDeleteAdmin):
    list_display = (
        "name",
        "account",
        "position",
        "phone",
        "mobile",
        "email",
        "created_at",
        "deleted_at",
    )
    list_display_links = ("name",)
    search_fields = ("name", "phone", "mobile", "email", "account__name", "account__account_no")
    list_select_related = ("account", "created_by", "updated_by")
    autocomplete_fields = ("account",)
    date_hierarchy = "created_at"
    fieldsets = (
        (None, {"fields": ("account", "name", "position")}),
        (
            _("Contact details"),
            {"fields": ("phone", "mobile", "email", "fax", "address")},
        ),
        (_("Personal"), {"fields": ("birthday", "preferences")}),
        (_("Record"), {"fields": SoftDeleteAdmin.server_owned_fields}),
    )

    def service_create(self, *, by, **fields):
        return services.contact_create(by=by, **fields)

    def service_update(self, *, instance, data, by):
        services.contact_update(contact=instance, data=data, by=by)

    def service_delete(self, *, instance, by):
        services.contact_delete(contact=instance, by=by)

    def service_restore(self, *, instance, by):
        services.contact_restore(contact=instance, by=by)
