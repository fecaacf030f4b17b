"""Back office for campaigns; writes go through campaigns.services."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from campaigns import services
from campaigns.models import Campaign
from core.admin import SoftDeleteAdmin, money_column, number_column

campaign_number = number_column(Campaign, "campaign_no")


@admin.register(Campaign)
class CampaignAdmin(SoftDeleteAdmin):
    list_display = (
        campaign_number,
        "name",
        "type",
        "status",
        "start_date",
        "end_date",
        money_column(Campaign, "budget"),
        money_column(Campaign, "actual_cost"),
        "deleted_at",
    )
    list_display_links = (campaign_number, "name")
    list_filter = ("status", "type", "start_date")
    search_fields = ("campaign_no", "name")
    date_hierarchy = "start_date"
    readonly_fields = ("campaign_no",)
    fieldsets = (
        (None, {"fields": ("campaign_no", "name", "type", "status", "description")}),
        (_("Plan"), {"fields": ("start_date", "end_date", "budget", "target_audience")}),
        (
            _("Results"),
            {"fields": ("actual_cost", "impressions", "clicks", "conversions")},
        ),
        (_("Record"), {"fields": SoftDeleteAdmin.server_owned_fields}),
    )

    def service_create(self, *, by, **fields):
        return services.campaign_create(by=by, **fields)

    def service_update(self, *, instance, data, by):
        services.campaign_update(campaign=instance, data=data, by=by)

    def service_delete(self, *, instance, by):
        services.campaign_delete(campaign=instance, by=by)
