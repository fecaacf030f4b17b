"""Leads (prospects, convertible into account/contact/opportunity) and opportunities (deals)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import account_is_live
from core.indexes import live_index, trigram_index
from core.models import (
    CrmModel,
    LiveManager,
    OwnedModel,
    number_sort_index,
    sortable_number,
)
from core.ownership import Ownership


class LeadSource(models.TextChoices):
    WEBSITE = "website", _("Website")
    REFERRAL = "referral", _("Referral")
    EVENT = "event", _("Event")
    COLD_CALL = "cold_call", _("Cold call")


class LeadStatus(models.TextChoices):
    NEW = "new", _("New")
    QUALIFIED = "qualified", _("Qualified")
    UNQUALIFIED = "unqualified", _("Unqualified")
    CONVERTED = "converted", _("Converted")


# A lead may be converted only from these statuses; "converted" is reached only by conversion.
CONVERTIBLE_STATUSES = (LeadStatus.NEW, LeadStatus.QUALIFIED)
SETTABLE_LEAD_STATUSES = [
    (v, label) for v, label in LeadStatus.choices if v != LeadStatus.CONVERTED
]


class OpportunityStage(models.TextChoices):
    PROSPECTING = "prospecting", _("Prospecting")
    QUALIFICATION = "qualification", _("Qualification")
    PROPOSAL = "proposal", _("Proposal")
    NEGOTIATION = "negotiation", _("Negotiation")
    CLOSED_WON = "closed_won", _("Closed won")
    CLOSED_LOST = "closed_lost", _("Closed lost")


CLOSED_STAGES = (OpportunityStage.CLOSED_WON, OpportunityStage.CLOSED_LOST)

# The probability an opportunity gets when none is given (CONTRACT.md, Opportunities).
DEFAULT_PROBABILITY = {
    OpportunityStage.PROSPECTING: 10,
    OpportunityStage.QUALIFICATION: 20,
    OpportunityStage.PROPOSAL: 50,
    OpportunityStage.NEGOTIATION: 75,
    OpportunityStage.CLOSED_WON: 100,
    OpportunityStage.CLOSED_LOST: 0,
}


class LiveOpportunityManager(LiveManager):
    """An opportunity is live only while its account is, as contacts are: soft-deleting an
    account takes its opportunities out of lists, details and analytics, and restoring the
    account brings them back, without touching the opportunity rows."""

    def get_queryset(self):
        return super().get_queryset().filter(account_is_live())


class Opportunity(OwnedModel, CrmModel):
    ownership = Ownership(view_all="sales.view_all_opportunity", via_account="account")
    NUMBER_PREFIX = "OPP"

    opportunity_no = models.CharField(
        _("opportunity number"), max_length=20, unique=True, editable=False
    )
    account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="opportunities",
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), null=True, blank=True)
    stage = models.CharField(
        _("stage"),
        max_length=20,
        choices=OpportunityStage.choices,
        default=OpportunityStage.PROSPECTING,
    )
    # blank: left empty, the service fills in the stage's default probability.
    probability = models.PositiveSmallIntegerField(
        _("probability (%)"),
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    estimated_amount = models.DecimalField(
        _("estimated amount"),
        max_digits=18,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    actual_amount = models.DecimalField(
        _("actual amount"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    close_date = models.DateField(_("expected close date"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opportunities",
    )

    objects = LiveOpportunityManager()
    all_objects = models.Manager()

    class Meta(CrmModel.Meta):
        permissions = [("view_all_opportunity", _("Can see and change every opportunity"))]
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        constraints = [
            models.CheckConstraint(
                condition=Q(probability__gte=0) & Q(probability__lte=100),
                name="opportunity_probability_0_100",
            ),
            models.CheckConstraint(
                condition=Q(estimated_amount__gte=0), name="opportunity_estimated_amount_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(actual_amount__isnull=True) | Q(actual_amount__gte=0),
                name="opportunity_actual_amount_gte_0",
            ),
            models.CheckConstraint(
                condition=Q(stage__in=OpportunityStage.values), name="opportunity_stage_valid"
            ),
            # closedAt is set exactly while the opportunity is in a closed stage.
            models.CheckConstraint(
                condition=(Q(stage__in=CLOSED_STAGES) & Q(closed_at__isnull=False))
                | (~Q(stage__in=CLOSED_STAGES) & Q(closed_at__isnull=True)),
                name="opportunity_closed_at_iff_closed",
            ),
            # A won deal always has its revenue recorded (analytics sum actualAmount).
            models.CheckConstraint(
                condition=~Q(stage=OpportunityStage.CLOSED_WON) | Q(actual_amount__isnull=False),
                name="opportunity_won_has_actual_amount",
            ),
        ]
        indexes = [
            models.Index(
                fields=["-created_at", "-id"],
                name="opportunity_live_created_idx",
                condition=Q(deleted_at__isnull=True),
            ),
            # opportunity_no sorts as a number (core.models.NumberSortKey).
            number_sort_index("opportunity_no", name="opportunity_live_no_sort_idx"),
            # Filters (and orderings), with the account so that counts come from the index
            # alone, anti-join included.
            live_index("stage", "close_date", "account", name="opportunity_live_stage_idx"),
            live_index("close_date", "account", name="opportunity_live_close_idx"),
            live_index("estimated_amount", "account", name="opportunity_live_amount_idx"),
            live_index("probability", "account", name="opportunity_live_prob_idx"),
            trigram_index("name", name="opportunity_name_trgm_idx"),
            live_index("updated_at", "id", name="opportunity_live_updated_idx"),
            live_index("name", "id", name="opportunity_live_name_idx"),
            # Analytics: deals created or closed in a window, and the won ones (revenue by
            # account, segment and bucket), read from indexes.
            live_index("created_at", "stage", "account", name="opportunity_live_crstage_idx"),
            models.Index(fields=["closed_at"], name="opportunity_closed_at_idx"),
            models.Index(
                fields=["account", "closed_at", "actual_amount"],
                name="opportunity_live_won_idx",
                condition=Q(deleted_at__isnull=True, stage=OpportunityStage.CLOSED_WON),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.opportunity_no} {self.name}"


sortable_number(Opportunity, "opportunity_no")


class Lead(OwnedModel, CrmModel):
    ownership = Ownership(view_all="sales.view_all_lead")
    name = models.CharField(_("name"), max_length=200)
    company = models.CharField(_("company"), max_length=200, null=True, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=100, null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=30, null=True, blank=True)
    email = models.EmailField(_("email"), max_length=254, null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=LeadSource.choices, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=LeadStatus.choices, default=LeadStatus.NEW
    )
    score = models.PositiveSmallIntegerField(
        _("score"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    description = models.TextField(_("description"), null=True, blank=True)
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leads",
    )
    # What the conversion produced (set once, by sales.services.lead_convert).
    converted_account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("converted account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="converted_leads",
    )
    converted_contact = models.ForeignKey(
        "contacts.Contact",
        verbose_name=_("converted contact"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="converted_leads",
    )
    converted_opportunity = models.ForeignKey(
        Opportunity,
        verbose_name=_("converted opportunity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="converted_leads",
    )
    converted_at = models.DateTimeField(_("converted at"), null=True, blank=True, editable=False)

    class Meta(CrmModel.Meta):
        permissions = [("view_all_lead", _("Can see and change every lead"))]
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=100), name="lead_score_0_100"
            ),
            models.CheckConstraint(
                condition=Q(status__in=LeadStatus.values), name="lead_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__isnull=True) | Q(source__in=LeadSource.values),
                name="lead_source_valid",
            ),
            # A lead is converted exactly when it carries its conversion stamp and account.
            models.CheckConstraint(
                condition=(
                    Q(status=LeadStatus.CONVERTED)
                    & Q(converted_at__isnull=False)
                    & Q(converted_account__isnull=False)
                )
                | (
                    ~Q(status=LeadStatus.CONVERTED)
                    & Q(converted_at__isnull=True)
                    & Q(converted_account__isnull=True)
                    & Q(converted_contact__isnull=True)
                    & Q(converted_opportunity__isnull=True)
                ),
                name="lead_converted_consistent",
            ),
        ]
        indexes = [
            models.Index(
                fields=["-created_at", "-id"],
                name="lead_live_created_idx",
                condition=Q(deleted_at__isnull=True),
            ),
            live_index("status", "source", name="lead_live_status_idx"),
            live_index("source", name="lead_live_source_idx"),
            trigram_index("name", name="lead_name_trgm_idx"),
            # The other orderings.
            live_index("updated_at", "id", name="lead_live_updated_idx"),
            live_index("name", "id", name="lead_live_name_idx"),
            live_index("score", "id", name="lead_live_score_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def history_reason(entry) -> str | None:
        """The audit trail (core.history) says what a conversion made of the lead."""
        status = entry.change("status")
        if status is None or status.new != LeadStatus.CONVERTED:
            return None
        made = gettext("; ").join(
            gettext("%(field)s: %(value)s") % {"field": change.name, "value": change.new_label}
            for name in ("converted_account", "converted_contact", "converted_opportunity")
            if (change := entry.change(name)) is not None and change.new_label
        )
        if not made:
            return gettext("Lead converted")
        return gettext("Lead converted: %(records)s") % {"records": made}
