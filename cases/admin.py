"""Back office for cases: every write, comments and closing included, goes through cases.services.

A closed case is read-only here, as in the API.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from unfold.admin import TabularInline
from unfold.widgets import UnfoldAdminIntegerFieldWidget, UnfoldAdminTextareaWidget

from cases import services
from cases.models import Case, CaseComment, CaseStatus
from core.admin import SoftDeleteAdmin, action_form, number_column
from core.exceptions import BusinessError

# Field names of the service's error data, as the admin form names them.
_FORM_FIELDS = {"accountId": "account", "contactId": "contact", "status": "status"}
SERVICE_STAMPED = ("case_no", "satisfaction", "response_time", "resolution_time", "closed_at")


class CaseAdminForm(forms.ModelForm):
    """Refuses what the service would refuse (status flow, contact of another account)."""

    class Meta:
        model = Case
        fields = (
            "account",
            "contact",
            "subject",
            "description",
            "type",
            "priority",
            "status",
            "resolution",
            "attachments",
            "owner",
        )

    def clean(self):
        cleaned = super().clean()
        try:
            if not self.instance._state.adding:
                data = {name: cleaned[name] for name in self.changed_data if name in cleaned}
                services.check_update(case=self.instance, data=data)
            elif cleaned.get("account") is not None:
                services.check_account(cleaned["account"])
                services.check_contact(account=cleaned["account"], contact=cleaned.get("contact"))
        except BusinessError as exc:
            # The service names fields as the API does; the form shows them on its own fields.
            fields = {key: _FORM_FIELDS.get(key) for key in (exc.data or {})}
            if not fields:
                raise ValidationError(str(exc.message)) from None
            for key, field in fields.items():
                self.add_error(field, exc.data[key])
        return cleaned


class CloseCasesForm(forms.Form):
    resolution = forms.CharField(
        label=_("Resolution"),
        required=False,
        widget=UnfoldAdminTextareaWidget(attrs={"rows": 3}),
        help_text=_("Required for cases that have no resolution yet."),
    )
    satisfaction = forms.IntegerField(
        label=_("Satisfaction (1-5)"),
        required=False,
        min_value=1,
        max_value=5,
        widget=UnfoldAdminIntegerFieldWidget,
    )


class CaseCommentInline(TabularInline):
    """Existing comments are read-only history; new ones are added through the service."""

    model = CaseComment
    hide_title = True
    extra = 0
    can_delete = False
    fields = ("content", "created_by", "created_at")
    readonly_fields = ("created_by", "created_at")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        if obj is None or obj.is_closed or obj.is_deleted:
            return False
        return request.user.has_perm("cases.add_casecomment")


case_number = number_column(Case, "case_no")


@admin.register(Case)
class CaseAdmin(SoftDeleteAdmin):
    form = CaseAdminForm
    list_display = (
        case_number,
        "subject",
        "account",
        "type",
        "priority",
        "status",
        "satisfaction",
        "owner",
        "created_at",
        "closed_at",
        "deleted_at",
    )
    list_display_links = (case_number, "subject")
    list_filter = ("status", "priority", "type", "owner")
    search_fields = ("case_no", "subject", "account__name", "account__account_no")
    date_hierarchy = "created_at"
    list_select_related = ("account", "owner", "created_by", "updated_by")
    autocomplete_fields = ("account", "contact", "attachments", "owner")
    readonly_fields = SERVICE_STAMPED
    inlines = [CaseCommentInline]
    actions = [*SoftDeleteAdmin.actions, "close_selected"]
    fieldsets = (
        (None, {"fields": ("case_no", "account", "contact", "subject", "description")}),
        (
            _("Handling"),
            {"fields": ("type", "priority", "status", "owner", "resolution", "attachments")},
        ),
        (
            _("Service times"),
            {"fields": ("response_time", "resolution_time", "closed_at", "satisfaction")},
        ),
        (_("Record"), {"fields": SoftDeleteAdmin.server_owned_fields}),
    )

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return readonly if obj is not None else (*readonly, "status")  # new cases start new

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_closed:
            return False  # a closed case is final (4008 in the API)
        return super().has_change_permission(request, obj)

    def service_create(self, *, by, **fields):
        fields.pop("status", None)
        fields["attachments"] = list(fields.get("attachments") or [])
        return services.case_create(by=by, **fields)

    def service_update(self, *, instance, data, by):
        if "attachments" in data:
            data = {**data, "attachments": list(data["attachments"])}
        services.case_update(case=instance, data=data, by=by)

    def service_delete(self, *, instance, by):
        services.case_delete(case=instance, by=by)

    def service_restore(self, *, instance, by):
        services.case_restore(case=instance, by=by)

    def save_related(self, request, form, formsets, change):
        # Attachments were saved by the service; comments go through case_add_comment.
        for formset in formsets:
            if formset.model is CaseComment:
                for comment in formset.save(commit=False):
                    services.case_add_comment(
                        case=form.instance, content=comment.content, by=request.user
                    )

    @admin.action(description=_("Close selected cases"), permissions=["change"])
    def close_selected(self, request, queryset):
        form = CloseCasesForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            self.apply_each(
                request,
                queryset.filter(deleted_at__isnull=True).exclude(status=CaseStatus.CLOSED),
                lambda case: services.case_close(case=case, by=request.user, **form.cleaned_data),
                done=_("%(count)d case(s) closed."),
            )
            return None
        return action_form(
            self,
            request,
            template="admin/cases/case/close_selected.html",
            title=_("Close selected cases"),
            form=form,
            queryset=queryset,
            action="close_selected",
        )
