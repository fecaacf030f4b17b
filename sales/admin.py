"""Back office for leads (with conversion) and opportunities; writes go through sales.services."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.utils.translation import gettext_lazy as _
from unfold.widgets import (
    UnfoldAdminDecimalFieldWidget,
    UnfoldAdminSingleDateWidget,
    UnfoldAdminTextInputWidget,
    UnfoldBooleanWidget,
)

from accounts.models import Account
from core.admin import SoftDeleteAdmin, action_form, money_column, number_column
from core.ownership import visible_to
from sales import services
from sales.models import (
    SETTABLE_LEAD_STATUSES,
    Lead,
    LeadStatus,
    Opportunity,
    OpportunityStage,
)


class LeadConvertForm(forms.Form):
    """The options of one conversion, applied to each selected lead."""

    create_account = forms.BooleanField(
        label=_("Create a new account from the lead"),
        required=False,
        initial=True,
        widget=UnfoldBooleanWidget,
    )
    account = forms.ModelChoiceField(
        label=_("…or attach to this existing account"),
        queryset=Account.objects.order_by("name"),
        required=False,
        # A search box, not a list of every account (there may be a million).
        widget=AutocompleteSelect(Lead._meta.get_field("converted_account"), admin.site),
    )
    create_contact = forms.BooleanField(
        label=_("Create a contact from the lead's contact person"),
        required=False,
        initial=True,
        widget=UnfoldBooleanWidget,
    )
    opportunity_name = forms.CharField(
        label=_("Opportunity name (leave empty for none)"),
        max_length=200,
        required=False,
        widget=UnfoldAdminTextInputWidget,
    )
    estimated_amount = forms.DecimalField(
        label=_("Estimated amount"),
        max_digits=18,
        decimal_places=2,
        min_value=0,
        required=False,
        widget=UnfoldAdminDecimalFieldWidget,
    )
    close_date = forms.DateField(
        label=_("Expected close date"), required=False, widget=UnfoldAdminSingleDateWidget
    )

    def clean(self):
        data = super().clean()
        if data.get("create_account") and data.get("account"):
            raise forms.ValidationError(_("Either create a new account or choose one, not both."))
        if not data.get("create_account") and not data.get("account"):
            raise forms.ValidationError(_("Choose an existing account or create a new one."))
        return data


class LeadAdminForm(forms.ModelForm):
    class Meta:
        model = Lead
        fields = (
            "name",
            "company",
            "contact_person",
            "phone",
            "email",
            "source",
            "status",
            "score",
            "campaign",
            "description",
            "owner",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status" in self.fields:  # "converted" is reached only through conversion
            self.fields["status"].choices = SETTABLE_LEAD_STATUSES


@admin.register(Lead)
class LeadAdmin(SoftDeleteAdmin):
    form = LeadAdminForm
    actions = [*SoftDeleteAdmin.actions, "convert_selected"]
    list_display = (
        "name",
        "company",
        "contact_person",
        "source",
        "status",
        "score",
        "campaign",
        "owner",
        "created_at",
        "deleted_at",
    )
    list_filter = ("status", "source", "campaign", "owner")
    search_fields = ("name", "company", "contact_person", "phone", "email")
    date_hierarchy = "created_at"
    list_select_related = ("campaign", "owner", "created_by", "updated_by")
    autocomplete_fields = ("campaign", "owner")
    conversion_fields = (
        "converted_account",
        "converted_contact",
        "converted_opportunity",
        "converted_at",
    )
    readonly_fields = conversion_fields
    fieldsets = (
        (None, {"fields": ("name", "company", "contact_person", "phone", "email")}),
        (
            _("Qualification"),
            {"fields": ("source", "status", "score", "campaign", "owner", "description")},
        ),
        (_("Conversion"), {"fields": conversion_fields}),
        (_("Record"), {"fields": SoftDeleteAdmin.server_owned_fields}),
    )

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.status == LeadStatus.CONVERTED:
            fields = (*fields, "status")  # final once converted
        return fields

    def service_create(self, *, by, **fields):
        return services.lead_create(by=by, **fields)

    def service_update(self, *, instance, data, by):
        services.lead_update(lead=instance, data=data, by=by)

    def service_delete(self, *, instance, by):
        services.lead_delete(lead=instance, by=by)

    @admin.action(description=_("Convert selected leads"), permissions=["change"])
    def convert_selected(self, request, queryset):
        """Asks for the conversion options, then converts each lead through the API's service."""
        form = LeadConvertForm(request.POST if "apply" in request.POST else None)
        # Only an account the user may see can receive the lead (as in the API).
        account = form.fields["account"]
        account.queryset = visible_to(account.queryset, request.user)
        if form.is_valid():
            options = form.cleaned_data
            needed = [
                perm
                for perm, wanted in (
                    ("accounts.add_account", options["create_account"]),
                    ("contacts.add_contact", options["create_contact"]),
                    ("sales.add_opportunity", bool(options["opportunity_name"])),
                )
                if wanted
            ]
            if not request.user.has_perms(needed):
                self.message_user(
                    request,
                    _("You may not create the records this conversion needs."),
                    messages.ERROR,
                )
                return None
            self.apply_each(
                request,
                queryset.filter(deleted_at__isnull=True),
                lambda lead: services.lead_convert(lead=lead, by=request.user, **options),
                done=_("%(count)d lead(s) converted."),
            )
            return None
        return action_form(
            self,
            request,
            template="admin/sales/lead/convert.html",
            title=_("Convert leads"),
            form=form,
            queryset=queryset,
            action="convert_selected",
        )


class OpportunityAdminForm(forms.ModelForm):
    class Meta:
        model = Opportunity
        fields = (
            "name",
            "account",
            "campaign",
            "description",
            "stage",
            "probability",
            "estimated_amount",
            "actual_amount",
            "close_date",
            "owner",
        )

    def clean(self):
        data = super().clean()
        # Mirrors the service (closed_won takes the estimate) so the model's constraint check
        # sees the record as it will be saved.
        if data.get("stage") == OpportunityStage.CLOSED_WON and data.get("actual_amount") is None:
            data["actual_amount"] = data.get("estimated_amount")
        return data


opportunity_number = number_column(Opportunity, "opportunity_no")


@admin.register(Opportunity)
class OpportunityAdmin(SoftDeleteAdmin):
    form = OpportunityAdminForm
    list_display = (
        opportunity_number,
        "name",
        "account",
        "stage",
        "probability",
        money_column(Opportunity, "estimated_amount"),
        money_column(Opportunity, "actual_amount"),
        "close_date",
        "owner",
        "deleted_at",
    )
    list_display_links = (opportunity_number, "name")
    list_filter = ("stage", "close_date", "campaign", "owner")
    search_fields = ("opportunity_no", "name", "account__name", "account__account_no")
    date_hierarchy = "close_date"
    list_select_related = ("account", "campaign", "owner", "created_by", "updated_by")
    autocomplete_fields = ("account", "campaign", "owner")
    readonly_fields = ("opportunity_no", "closed_at")
    fieldsets = (
        (
            None,
            {"fields": ("opportunity_no", "name", "account", "campaign", "owner", "description")},
        ),
        (
            _("Pipeline"),
            {
                "fields": (
                    "stage",
                    "probability",
                    "estimated_amount",
                    "actual_amount",
                    "close_date",
                    "closed_at",
                )
            },
        ),
        (_("Record"), {"fields": SoftDeleteAdmin.server_owned_fields}),
    )

    def service_create(self, *, by, **fields):
        return services.opportunity_create(by=by, **fields)

    def service_update(self, *, instance, data, by):
        services.opportunity_update(opportunity=instance, data=data, by=by)

    def service_delete(self, *, instance, by):
        services.opportunity_delete(opportunity=instance, by=by)
