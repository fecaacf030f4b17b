"""Customer feedback cases (seed §6) and their comment thread.

The status flow and the service-time stamps are enforced in ``cases.services``; the check
constraints below hold the invariants that flow guarantees, so no other writer can break them.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
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


class CaseType(models.TextChoices):
    QUESTION = "question", _("Question")
    COMPLAINT = "complaint", _("Complaint")
    SUGGESTION = "suggestion", _("Suggestion")
    ISSUE = "issue", _("Issue")


class CasePriority(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class CaseStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


class LiveCaseManager(LiveManager):
    """A case is live only while its account is, like contacts: soft-deleting an account hides
    its cases and restoring the account brings them back, without touching the case rows."""

    def get_queryset(self):
        return super().get_queryset().filter(account_is_live())


class Case(OwnedModel, CrmModel):
    ownership = Ownership(view_all="cases.view_all_case", via_account="account")
    NUMBER_PREFIX = "CAS"

    case_no = models.CharField(_("case number"), max_length=20, unique=True, editable=False)
    account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    contact = models.ForeignKey(
        "contacts.Contact",
        verbose_name=_("contact"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), null=True, blank=True)
    type = models.CharField(_("type"), max_length=20, choices=CaseType.choices)
    priority = models.CharField(
        _("priority"), max_length=20, choices=CasePriority.choices, default=CasePriority.MEDIUM
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.NEW
    )
    resolution = models.TextField(_("resolution"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction"), null=True, blank=True)
    response_time = models.DateTimeField(_("response time"), null=True, blank=True)
    resolution_time = models.DateTimeField(_("resolution time"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    attachments = models.ManyToManyField(
        "core.StoredFile", verbose_name=_("attachments"), blank=True, related_name="+"
    )

    objects = LiveCaseManager()
    all_objects = models.Manager()

    class Meta(CrmModel.Meta):
        permissions = [("view_all_case", _("Can see and change every case"))]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.CheckConstraint(condition=Q(type__in=CaseType.values), name="case_type_valid"),
            models.CheckConstraint(
                condition=Q(priority__in=CasePriority.values), name="case_priority_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=CaseStatus.values), name="case_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True)
                | (Q(satisfaction__gte=1) & Q(satisfaction__lte=5)),
                name="case_satisfaction_1_5",
            ),
            # The flow stamps these; a row that contradicts them was written around the service.
            models.CheckConstraint(
                condition=Q(status=CaseStatus.NEW) | Q(response_time__isnull=False),
                name="case_responded_unless_new",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[CaseStatus.RESOLVED, CaseStatus.CLOSED])
                | Q(resolution_time__isnull=False),
                name="case_resolution_time_when_resolved",
            ),
            models.CheckConstraint(
                condition=(Q(status=CaseStatus.CLOSED) & Q(closed_at__isnull=False))
                | (~Q(status=CaseStatus.CLOSED) & Q(closed_at__isnull=True)),
                name="case_closed_at_iff_closed",
            ),
        ]
        indexes = [
            models.Index(
                fields=["-created_at", "-id"],
                name="case_live_created_idx",
                condition=Q(deleted_at__isnull=True),
            ),
            # case_no sorts as a number (core.models.NumberSortKey).
            number_sort_index("case_no", name="case_live_no_sort_idx"),
            models.Index(
                fields=["account", "-created_at", "-id"],
                name="case_account_created_idx",
                condition=Q(deleted_at__isnull=True),
            ),
            # Filters, with the account so that counts come from the index alone.
            live_index("status", "priority", "account", name="case_live_status_idx"),
            live_index("priority", "account", name="case_live_priority_idx"),
            live_index("type", "account", name="case_live_type_idx"),
            trigram_index("subject", name="case_subject_trgm_idx"),
            # The other orderings (caseNo has its unique index).
            live_index("updated_at", "id", name="case_live_updated_idx"),
            live_index("subject", "id", name="case_live_subject_idx"),
            live_index("response_time", "id", name="case_live_response_idx"),
            live_index("resolution_time", "id", name="case_live_resolution_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_no} {self.subject}"

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED


sortable_number(Case, "case_no")


class CaseComment(models.Model):
    """One remark in a case's thread; comments are history, so they are never edited."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="comments"
    )
    content = models.TextField(_("content"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at", "id"], name="case_comment_case_idx")]

    def __str__(self) -> str:
        return self.content[:50]
