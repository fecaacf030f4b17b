"""Interactions with a customer account: calls, meetings, emails and notes."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import account_is_live
from core.indexes import live_index
from core.models import CrmModel, LiveManager
from core.ownership import Ownership


class ActivityType(models.TextChoices):
    CALL = "call", _("Call")
    MEETING = "meeting", _("Meeting")
    EMAIL = "email", _("Email")
    NOTE = "note", _("Note")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class ActivityPriority(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class LiveActivityManager(LiveManager):
    """Like its account's contacts, an activity leaves the API with its account and comes back
    when the account is restored; the rows themselves are not touched."""

    def get_queryset(self):
        return super().get_queryset().filter(account_is_live())


class Activity(CrmModel):
    ownership = Ownership(view_all="accounts.view_all_account", owner=None, via_account="account")
    account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    contact = models.ForeignKey(
        "contacts.Contact",
        verbose_name=_("contact"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    type = models.CharField(_("type"), max_length=20, choices=ActivityType.choices)
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    priority = models.CharField(
        _("priority"),
        max_length=20,
        choices=ActivityPriority.choices,
        default=ActivityPriority.MEDIUM,
    )
    start_time = models.DateTimeField(_("start time"), null=True, blank=True)
    end_time = models.DateTimeField(_("end time"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), null=True, blank=True)
    attachments = models.ManyToManyField(
        "core.StoredFile", verbose_name=_("attachments"), blank=True, related_name="+"
    )

    objects = LiveActivityManager()
    all_objects = models.Manager()

    class Meta(CrmModel.Meta):
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(type__in=ActivityType.values), name="activity_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ActivityStatus.values), name="activity_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(priority__in=ActivityPriority.values), name="activity_priority_valid"
            ),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True)
                | Q(end_time__isnull=True)
                | Q(end_time__gte=F("start_time")),
                name="activity_end_not_before_start",
                violation_error_message=_("The end time cannot be before the start time."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["-created_at", "-id"],
                name="activity_live_created_idx",
                condition=Q(deleted_at__isnull=True),
            ),
            models.Index(
                fields=["account", "-created_at", "-id"],
                name="activity_account_created_idx",
                condition=Q(deleted_at__isnull=True),
            ),
            # The date-range filter and the activities trend; with the account, so counts
            # (and account_is_live's anti-join) are answered from the index alone.
            live_index("start_time", "account", name="activity_live_start_idx"),
            models.Index(fields=["type", "status"], name="activity_type_status_idx"),
            models.Index(fields=["status"], name="activity_status_idx"),
            models.Index(fields=["priority"], name="activity_priority_idx"),
            # The other orderings. No trigram index on subject: at five activities per account
            # it would be the largest index of the database, on text that is mostly a few
            # templates, where a substring rarely narrows anything down.
            live_index("updated_at", "id", name="activity_live_updated_idx"),
            live_index("end_time", "id", name="activity_live_end_idx"),
            live_index("subject", "id", name="activity_live_subject_idx"),
        ]

    def __str__(self) -> str:
        return self.subject
