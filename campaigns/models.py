"""Marketing campaigns: plan (dates, budget) and the figures recorded while they run."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import CrmModel, number_sort_index, sortable_number


class CampaignType(models.TextChoices):
    EMAIL = "email", _("Email")
    SOCIAL = "social", _("Social media")
    EVENT = "event", _("Event")
    ADVERTISEMENT = "advertisement", _("Advertisement")


class CampaignStatus(models.TextChoices):
    PLANNING = "planning", _("Planning")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Campaign(CrmModel):
    NUMBER_PREFIX = "CMP"

    campaign_no = models.CharField(_("campaign number"), max_length=20, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=20, choices=CampaignType.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.PLANNING
    )
    description = models.TextField(_("description"), null=True, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    budget = models.DecimalField(
        _("budget"), max_digits=18, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    actual_cost = models.DecimalField(
        _("actual cost"),
        max_digits=18,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    target_audience = models.CharField(_("target audience"), max_length=500, null=True, blank=True)
    impressions = models.PositiveBigIntegerField(_("impressions"), default=0)
    clicks = models.PositiveBigIntegerField(_("clicks"), default=0)
    conversions = models.PositiveBigIntegerField(_("conversions"), default=0)

    class Meta(CrmModel.Meta):
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=0), name="campaign_budget_gte_0"),
            models.CheckConstraint(
                condition=Q(actual_cost__gte=0), name="campaign_actual_cost_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="campaign_end_date_gte_start_date",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(type__in=CampaignType.values), name="campaign_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=CampaignStatus.values), name="campaign_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(impressions__gte=0) & Q(clicks__gte=0) & Q(conversions__gte=0),
                name="campaign_figures_gte_0",
            ),
        ]
        indexes = [
            models.Index(
                fields=["-created_at", "-id"],
                name="campaign_live_created_idx",
                condition=Q(deleted_at__isnull=True),
            ),
            # campaign_no sorts as a number (core.models.NumberSortKey).
            number_sort_index("campaign_no", name="campaign_live_no_sort_idx"),
            models.Index(fields=["status", "type"], name="campaign_status_type_idx"),
            models.Index(fields=["type"], name="campaign_type_idx"),
            models.Index(fields=["start_date"], name="campaign_start_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_no} {self.name}"


sortable_number(Campaign, "campaign_no")
