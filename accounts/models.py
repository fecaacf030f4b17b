"""Customer accounts, their status history and credit assessments."""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.indexes import live_index, trigram_index
from core.models import CrmModel, OwnedModel, number_sort_index, sortable_number
from core.ownership import Ownership


class AccountType(models.TextChoices):
    CORPORATE = "corporate", _("Corporate")
    INDIVIDUAL = "individual", _("Individual")
    GOVERNMENT = "government", _("Government")


class AccountStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")


class LoyaltyLevel(models.TextChoices):
    PLATINUM = "platinum", _("Platinum")
    GOLD = "gold", _("Gold")
    SILVER = "silver", _("Silver")
    BRONZE = "bronze", _("Bronze")


class AccountSize(models.TextChoices):
    SMALL = "small", _("Small")
    MEDIUM = "medium", _("Medium")
    LARGE = "large", _("Large")
    ENTERPRISE = "enterprise", _("Enterprise")


class Account(OwnedModel, CrmModel):
    ownership = Ownership(view_all="accounts.view_all_account")
    NUMBER_PREFIX = "ACC"

    account_no = models.CharField(_("account number"), max_length=20, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(
        _("type"), max_length=20, choices=AccountType.choices, default=AccountType.CORPORATE
    )
    industry = models.CharField(_("industry"), max_length=100, null=True, blank=True)
    region = models.CharField(_("region"), max_length=100, null=True, blank=True)
    address = models.CharField(_("address"), max_length=500, null=True, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=100, null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=30, null=True, blank=True)
    email = models.EmailField(_("email"), max_length=254, null=True, blank=True)
    website = models.CharField(_("website"), max_length=200, null=True, blank=True)
    tax_no = models.CharField(_("tax number"), max_length=50, null=True, blank=True)
    credit_limit = models.DecimalField(
        _("credit limit"),
        max_digits=18,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    credit_used = models.DecimalField(
        _("credit used"), max_digits=18, decimal_places=2, default=0, editable=False
    )
    loyalty_level = models.CharField(
        _("loyalty level"), max_length=20, choices=LoyaltyLevel.choices, null=True, blank=True
    )
    size = models.CharField(
        _("size"), max_length=20, choices=AccountSize.choices, null=True, blank=True
    )
    remarks = models.TextField(_("remarks"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=AccountStatus.choices, default=AccountStatus.ACTIVE
    )

    class Meta(CrmModel.Meta):
        permissions = [("view_all_account", _("Can see and change every account"))]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["tax_no"],
                condition=Q(deleted_at__isnull=True) & Q(tax_no__isnull=False) & ~Q(tax_no=""),
                name="account_tax_no_unique_live",
                violation_error_message=_("An account with this tax number already exists."),
            ),
            models.CheckConstraint(
                condition=Q(credit_limit__gte=0), name="account_credit_limit_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(credit_used__gte=0), name="account_credit_used_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(type__in=AccountType.values), name="account_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=AccountStatus.values), name="account_status_valid"
            ),
        ]
        indexes = [
            live_index("-created_at", "-id", name="account_live_created_idx"),
            # Each filter leads an index that goes on in the default order, so a filtered page
            # is read in order and its exact total is counted from the index alone.
            live_index("status", "industry", "-created_at", "-id", name="account_live_status_idx"),
            live_index("industry", "-created_at", "-id", name="account_live_industry_idx"),
            live_index("region", "-created_at", "-id", name="account_live_region_idx"),
            live_index("type", "-created_at", "-id", name="account_live_type_idx"),
            live_index("owner", "-created_at", "-id", name="account_live_owner_idx"),
            trigram_index("name", name="account_name_trgm_idx"),
            # The other orderings; accountNo sorts as a number (core.models.NumberSortKey).
            number_sort_index("account_no", name="account_live_no_sort_idx"),
            live_index("updated_at", "id", name="account_live_updated_idx"),
            live_index("name", "id", name="account_live_name_idx"),
            live_index("credit_limit", "id", name="account_live_credit_idx"),
            live_index("status", "id", name="account_live_status_order_idx"),
            live_index("type", "id", name="account_live_type_order_idx"),
            # Analytics: counts by window and status, segments, loyalty, and the segment of
            # each won deal's account, all read from indexes (analytics.selectors).
            live_index("created_at", "status", name="account_live_created_st_idx"),
            live_index("size", name="account_live_size_idx"),
            # Narrow entries (the filter indexes above also hold created_at and id): grouping a
            # million accounts by industry or region reads half the bytes, twice as fast.
            live_index("industry", name="account_live_industry_seg_idx"),
            live_index("region", name="account_live_region_seg_idx"),
            live_index("loyalty_level", "status", name="account_live_loyalty_idx"),
            live_index(
                "id", "industry", "region", "size", "loyalty_level", name="account_live_segment_idx"
            ),
            # The few deleted accounts, for account_is_live()'s anti-join.
            models.Index(
                fields=["id"], name="account_deleted_idx", condition=Q(deleted_at__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_no} {self.name}"

    # The audit trail (core.history): a status change's reason is kept in the status history,
    # recorded with the very time stamp of the change.
    @staticmethod
    def history_annotations() -> dict:
        reasons = AccountStatusChange.objects.filter(
            account_id=OuterRef("id"), changed_at=OuterRef("updated_at")
        )
        return {"status_change_reason": Subquery(reasons.values("reason")[:1])}

    @staticmethod
    def history_reason(entry) -> str | None:
        if entry.change("status") is None:
            return None
        return getattr(entry.record, "status_change_reason", None)


sortable_number(Account, "account_no")


def account_is_live(field: str = "account_id") -> Exists:
    """ "The row's account is not soft-deleted", for the managers of records under an account.

    Written as NOT EXISTS against the deleted accounts (a tiny partial index) rather than as a
    join with every live account: counting a million contacts or activities then reads only
    their own table, instead of also hashing the whole account table.
    """
    deleted = Account.all_objects.filter(pk=OuterRef(field), deleted_at__isnull=False)
    return ~Exists(deleted)


class AccountStatusChange(models.Model):
    """One row per status change of an account: from, to, why, who and when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("from status"), max_length=20, choices=AccountStatus.choices)
    to_status = models.CharField(_("to status"), max_length=20, choices=AccountStatus.choices)
    reason = models.CharField(_("reason"), max_length=500, null=True, blank=True)
    changed_by = models.ForeignKey(
        "core.User",
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status history")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class CreditAssessment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    account = models.ForeignKey(
        Account,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="credit_assessments",
    )
    assessment_date = models.DateField(_("assessment date"))
    assessor = models.CharField(_("assessor"), max_length=150)
    credit_score = models.PositiveSmallIntegerField(
        _("credit score"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    credit_limit = models.DecimalField(
        _("credit limit"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    remarks = models.TextField(_("remarks"), null=True, blank=True)
    created_by = models.ForeignKey(
        "core.User",
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("credit assessment")
        verbose_name_plural = _("credit assessments")
        ordering = ["-assessment_date", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(credit_score__gte=0) & Q(credit_score__lte=100),
                name="credit_assessment_score_0_100",
            ),
            models.CheckConstraint(
                condition=Q(credit_limit__isnull=True) | Q(credit_limit__gte=0),
                name="credit_assessment_limit_gte_0",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.assessment_date} {self.credit_score}"
