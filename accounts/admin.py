from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import Account, AccountStatusChange, CreditAssessment
from contacts.models import Contact
from core.admin import SoftDeleteAdmin


class ContactInline(admin.TabularInline):
    """The account's live contacts; they are edited on their own page (through the service)."""

    model = Contact
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ("name", "position", "phone", "mobile", "email")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class StatusChangeInline(admin.TabularInline):
    model = AccountStatusChange
    extra = 0
    can_delete = False
    fields = ("changed_at", "from_status", "to_status", "reason", "changed_by")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class CreditAssessmentInline(admin.TabularInline):
    model = CreditAssessment
    extra = 0
    can_delete = False
    fields = ("assessment_date", "assessor", "credit_score", "credit_limit", "remarks")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Account)
class AccountAdmin(SoftDeleteAdmin):
    list_display = (
        "account_no",
        "name",
        "type",
        "industry",
        "region",
        "status",
        "loyalty_level",
        "credit_limit",
        "created_at",
        "deleted_at",
    )
    list_display_links = ("account_no", "name")
    list_filter = ("status", "type", "industry", "region", "loyalty_level", "size")
    search_fields = ("account_no", "name", "tax_no", "phone")
    date_hierarchy = "created_at"
    list_select_related = ("created_by", "updated_by")
    readonly_fields = ("account_no", "credit_used")
    inlines = [ContactInline, StatusChangeInline, CreditAssessmentInline]
    fieldsets = (
        (None, {"fields": ("account_no", "name", "type", "status", "industry", "region", "size")}),
        (
            _("Contact details"),
            {"fields": ("contact_person", "phone", "email", "website", "address")},
        ),
        (
            _("Credit"),
            {"fields": ("tax_no", "credit_limit", "credit_used", "loyalty_level", "remarks")},
        ),
        (_("Record"), {"fields": SoftDeleteAdmin.server_owned_fields}),
    )

    def service_create(self, *, by, **fields):
        return services.account_create(by=by, **fields)

    def service_update(self, *, instance, data, by):
        services.account_update(account=instance, data=data, by=by)

    def service_delete(self, *, instance, by):
        services.account_delete(account=instance, by=by)

    def service_restore(self, *, instance, by):
        services.account_restore(account=instance, by=by)
