"""Back office for accounts: contacts, activities, status history and credit assessments on the
account's page; every write (inline adds included) goes through the services."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from unfold.admin import TabularInline
from unfold.widgets import UnfoldAdminSelectWidget, UnfoldAdminTextareaWidget

from accounts import services
from accounts.models import Account, AccountStatus, AccountStatusChange, CreditAssessment
from activities.models import Activity
from contacts import services as contact_services
from contacts.models import Contact
from core.admin import SoftDeleteAdmin, action_form, money_column, number_column
from core.display import format_money_text


class ContactInline(TabularInline):
    """The account's live contacts: existing ones are edited on their own page, new ones can be
    added here (through contacts.services.contact_create, see AccountAdmin.save_formset)."""

    model = Contact
    hide_title = True  # the row's name is its first column
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ("name", "position", "phone", "mobile", "email")

    def has_change_permission(self, request, obj=None):
        return False  # existing rows show read-only

    def has_add_permission(self, request, obj=None):
        if obj is not None and obj.is_deleted:
            return False
        return request.user.has_perm("contacts.add_contact")


class RecentFormSet(forms.BaseInlineFormSet):
    """Only the latest rows: an account may have thousands of activities."""

    limit = 20

    def get_queryset(self):
        if not hasattr(self, "_recent"):  # evaluated once, however often asked
            self._recent = super().get_queryset()[: self.limit]
        return self._recent


class ActivityInline(TabularInline):
    model = Activity
    hide_title = True
    formset = RecentFormSet
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("latest activities")
    fields = ("start_time", "type", "subject", "status", "contact")
    readonly_fields = fields
    ordering = ("-start_time", "-created_at")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("contact")

    def has_add_permission(self, request, obj=None):
        return False  # added on the activity's own page (end time, attachments, checks)

    def has_change_permission(self, request, obj=None):
        return False


class StatusChangeInline(TabularInline):
    model = AccountStatusChange
    hide_title = True
    extra = 0
    can_delete = False
    fields = ("changed_at", "from_status", "to_status", "reason", "changed_by")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")

    def has_add_permission(self, request, obj=None):
        return False


class CreditAssessmentInline(TabularInline):
    """Past assessments read-only; a new one is recorded through credit_assessment_create,
    which also makes its credit limit the account's."""

    model = CreditAssessment
    hide_title = True
    readonly_preprocess_fields = {"credit_limit": format_money_text}
    extra = 0
    can_delete = False
    fields = ("assessment_date", "assessor", "credit_score", "credit_limit", "remarks")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.base_fields["assessment_date"].initial = timezone.localdate
        formset.form.base_fields["assessor"].initial = request.user.get_username()
        return formset

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        if obj is None or obj.is_deleted:
            return False
        return request.user.has_perm("accounts.change_account")


class ChangeStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"), choices=AccountStatus.choices, widget=UnfoldAdminSelectWidget
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        required=False,
        widget=UnfoldAdminTextareaWidget(attrs={"rows": 3}),
    )


account_number = number_column(Account, "account_no")


@admin.register(Account)
class AccountAdmin(SoftDeleteAdmin):
    list_display = (
        account_number,
        "name",
        "type",
        "industry",
        "region",
        "status",
        "loyalty_level",
        money_column(Account, "credit_limit"),
        "owner",
        "created_at",
        "deleted_at",
    )
    list_display_links = (account_number, "name")
    list_filter = ("status", "type", "industry", "region", "loyalty_level", "size", "owner")
    search_fields = ("account_no", "name", "tax_no", "phone")
    date_hierarchy = "created_at"
    list_select_related = ("owner", "created_by", "updated_by")
    autocomplete_fields = ("owner",)
    readonly_fields = ("account_no", "credit_used", "related_records")
    readonly_preprocess_fields = {"credit_used": format_money_text}
    inlines = [ContactInline, ActivityInline, StatusChangeInline, CreditAssessmentInline]
    actions = [*SoftDeleteAdmin.actions, "change_status_selected"]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "account_no",
                    "name",
                    "type",
                    "status",
                    "industry",
                    "region",
                    "size",
                    "owner",
                    "related_records",
                )
            },
        ),
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

    @admin.display(description=_("Related records"))
    def related_records(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        links = [
            ("contacts", "contact", _("Contacts")),
            ("activities", "activity", _("Activities")),
            ("cases", "case", _("Cases")),
            ("sales", "opportunity", _("Opportunities")),
        ]
        return format_html_join(
            " · ",
            '<a href="{}?account__id__exact={}">{}</a>',
            (
                (reverse(f"admin:{app}_{model}_changelist"), obj.pk, label)
                for app, model, label in links
            ),
        )

    def service_create(self, *, by, **fields):
        return services.account_create(by=by, **fields)

    def service_update(self, *, instance, data, by):
        services.account_update(account=instance, data=data, by=by)

    def service_delete(self, *, instance, by):
        services.account_delete(account=instance, by=by)

    def service_restore(self, *, instance, by):
        services.account_restore(account=instance, by=by)

    def save_formset(self, request, form, formset, change):
        account = form.instance
        if formset.model is Contact:
            for contact in formset.save(commit=False):  # only new rows: the rest are read-only
                fields = {name: getattr(contact, name) for name in ContactInline.fields}
                contact_services.contact_create(account=account, by=request.user, **fields)
        elif formset.model is CreditAssessment:
            for assessment in formset.save(commit=False):
                services.credit_assessment_create(
                    account=account,
                    by=request.user,
                    credit_score=assessment.credit_score,
                    credit_limit=assessment.credit_limit,
                    assessment_date=assessment.assessment_date,
                    assessor=assessment.assessor,
                    remarks=assessment.remarks,
                )
        else:
            formset.save(commit=False)  # read-only: nothing to save (the change message reads it)

    @admin.action(description=_("Change status (with a reason)"), permissions=["change"])
    def change_status_selected(self, request, queryset):
        """Asks for the new status and the reason, then changes each account as the API's
        PUT /accounts/{id}/status does (the reason goes to the status history)."""
        form = ChangeStatusForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self.apply_each(
                request,
                queryset.filter(deleted_at__isnull=True),
                lambda account: services.account_change_status(
                    account=account,
                    status=form.cleaned_data["status"],
                    reason=form.cleaned_data["reason"] or None,
                    by=request.user,
                ),
                done=_("%(count)d account(s) updated."),
            )
            return None
        return action_form(
            self,
            request,
            template="admin/accounts/account/change_status.html",
            title=_("Change account status"),
            form=form,
            queryset=queryset,
            action="change_status_selected",
        )
