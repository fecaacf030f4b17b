"""Case shapes on the wire (seed §6); field names are camelized by the renderer/parser.

Server-owned fields (``caseNo``, ``status`` on create, ``responseTime``, ``resolutionTime``,
``closedAt``, ``satisfaction`` outside close) are simply not accepted.
"""

from rest_framework import serializers

from accounts.serializers import AccountIdField, AccountNameOutputMixin
from cases.models import Case, CaseComment, CasePriority, CaseStatus, CaseType
from contacts.serializers import ContactIdField, ContactNameOutputMixin
from core.api.files import AttachmentIdsField, AttachmentSerializer
from core.api.serializers import (
    STAMP_FIELDS,
    DomainChoiceField,
    JsonTypesMixin,
    OwnerInputMixin,
    OwnerOutputMixin,
    StampsOutputMixin,
    username_field,
)
from core.exceptions import ErrorCode


class CaseCreateInputSerializer(JsonTypesMixin, OwnerInputMixin, serializers.Serializer):
    account_id = AccountIdField()
    contact_id = ContactIdField()
    subject = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    type = serializers.ChoiceField(choices=CaseType.choices)
    priority = serializers.ChoiceField(choices=CasePriority.choices, required=False)
    # Uploaded file ids (POST /api/v1/files); on update the list replaces the attachments.
    attachment_ids = AttachmentIdsField(source="attachments", required=False)


class CaseUpdateInputSerializer(CaseCreateInputSerializer):
    """Partial update; ``status`` moves the case along the flow (invalid value: 4008)."""

    status = DomainChoiceField(
        choices=CaseStatus.choices, error_code=ErrorCode.CASE_STATUS_INVALID, required=False
    )
    resolution = serializers.CharField(required=False, allow_null=True, allow_blank=True)


class CaseCloseInputSerializer(JsonTypesMixin, serializers.Serializer):
    resolution = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    satisfaction = serializers.IntegerField(
        min_value=1, max_value=5, required=False, allow_null=True
    )


class CaseCommentInputSerializer(JsonTypesMixin, serializers.Serializer):
    content = serializers.CharField(max_length=5000)


class CaseCommentCreatedSerializer(serializers.Serializer):
    comment_id = serializers.CharField()


class CaseCommentSerializer(serializers.ModelSerializer):
    created_by = username_field()

    class Meta:
        model = CaseComment
        fields = ["id", "content", "created_by", "created_at"]


class CaseListSerializer(
    AccountNameOutputMixin, ContactNameOutputMixin, StampsOutputMixin, serializers.ModelSerializer
):
    class Meta:
        model = Case
        fields = [
            "id",
            "case_no",
            "account_id",
            "account_name",
            "contact_id",
            "contact_name",
            "subject",
            "type",
            "priority",
            "status",
            *STAMP_FIELDS,
        ]


class CaseDetailSerializer(OwnerOutputMixin, CaseListSerializer):
    attachments = AttachmentSerializer(many=True, read_only=True)
    comments = CaseCommentSerializer(many=True, read_only=True)

    class Meta(CaseListSerializer.Meta):
        fields = [
            "id",
            "case_no",
            "account_id",
            "account_name",
            "contact_id",
            "contact_name",
            "subject",
            "description",
            "type",
            "priority",
            "status",
            "resolution",
            "satisfaction",
            "response_time",
            "resolution_time",
            "closed_at",
            "attachments",
            "comments",
            "owner",
            *STAMP_FIELDS,
        ]
