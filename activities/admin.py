from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from activities import services
from activities.models import Activity
from core.admin import SoftDeleteAdmin
from core.exceptions import BusinessError

# Field names of the service's error data, as the admin form names them.
_FORM_FIELDS = {"accountId": "account", "contactId": "contact", "endTime": "end_time"}


class ActivityAdminForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = (
            "account",
            "contact",
            "type",
            "subject",
            "status",
            "priority",
            "start_time",
            "end_time",
            "location",
            "description",
            "outcome",
            "attachments",
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("account") is None:
            return cleaned
        try:
            services.activity_check(
                account=cleaned["account"],
                contact=cleaned.get("contact"),
                start_time=cleaned.get("start_time"),
                end_time=cleaned.get("end_time"),
            )
        except BusinessError as exc:
            for key, messages in (exc.data or {}).items():
                self.add_error(_FORM_FIELDS.get(key), messages)
            if not exc.data:
                raise forms.ValidationError(exc.message) from exc
        return cleaned


@admin.register(Activity)
class ActivityAdmin(SoftDeleteAdmin):
    form = ActivityAdminForm
    list_display = (
        "subject",
        "type",
        "status",
        "priority",
        "account",
        "contact",
        "start_time",
        "end_time",
        "deleted_at",
    )
    list_display_links = ("subject",)
    list_filter = ("type", "status", "priority", "start_time")
    search_fields = ("subject",)
    date_hierarchy = "start_time"
    list_select_related = ("account", "contact", "created_by", "updated_by")
    autocomplete_fields = ("account", "contact", "attachments")
    fieldsets = (
        (None, {"fields": ("account", "contact", "type", "subject", "status", "priority")}),
        (_("When and where"), {"fields": ("start_time", "end_time", "location")}),
        (_("Details"), {"fields": ("description", "outcome", "attachments")}),
        (_("Record"), {"fields": SoftDeleteAdmin.server_owned_fields}),
    )

    def service_create(self, *, by, **fields):
        fields["attachments"] = list(fields.get("attachments") or [])
        return services.activity_create(by=by, **fields)

    def service_update(self, *, instance, data, by):
        if "attachments" in data:
            data = {**data, "attachments": list(data["attachments"])}
        services.activity_update(activity=instance, data=data, by=by)

    def service_delete(self, *, instance, by):
        services.activity_delete(activity=instance, by=by)

    def service_restore(self, *, instance, by):
        services.activity_restore(activity=instance, by=by)
