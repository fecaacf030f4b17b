"""Activity shapes on the wire (seed §5); field names are camelized by the renderer/parser."""

from rest_framework import serializers

from accounts.models import Account
from activities.models import Activity, ActivityType
from contacts.models import Contact
from core.api.files import AttachmentIdsField, AttachmentSerializer
from core.api.serializers import (
    STAMP_FIELDS,
    DomainChoiceField,
    JsonTypesMixin,
    RelatedIdField,
    StampsOutputMixin,
)
from core.exceptions import ErrorCode


class ActivityInputSerializer(JsonTypesMixin, serializers.ModelSerializer):
    """Create and (partial) update. ``type`` outside the four answers 4007; a missing
    ``accountId`` 4001; a ``contactId`` that is not a live contact of that account 4002."""

    account_id = RelatedIdField(
        source="account",
        queryset=Account.objects.all(),
        not_found_code=ErrorCode.ACCOUNT_NOT_FOUND,
    )
    contact_id = RelatedIdField(
        source="contact",
        queryset=Contact.objects.all(),
        not_found_code=ErrorCode.CONTACT_NOT_FOUND,
        required=False,
        allow_null=True,
    )
    type = DomainChoiceField(
        choices=ActivityType.choices, error_code=ErrorCode.ACTIVITY_TYPE_INVALID
    )
    attachment_ids = AttachmentIdsField(source="attachments", required=False)

    class Meta:
        model = Activity
        fields = [
            "account_id",
            "contact_id",
            "type",
            "subject",
            "description",
            "location",
            "status",
            "priority",
            "start_time",
            "end_time",
            "outcome",
            "attachment_ids",
        ]


class ActivityListSerializer(StampsOutputMixin, serializers.ModelSerializer):
    account_id = serializers.UUIDField(read_only=True)
    account_name = serializers.CharField(source="account.name", read_only=True)
    contact_id = serializers.UUIDField(read_only=True, allow_null=True)
    contact_name = serializers.CharField(source="contact.name", read_only=True, allow_null=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "account_id",
            "account_name",
            "contact_id",
            "contact_name",
            "type",
            "subject",
            "description",
            "status",
            "start_time",
            "end_time",
            *STAMP_FIELDS,
        ]


class ActivityDetailSerializer(ActivityListSerializer):
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta(ActivityListSerializer.Meta):
        fields = [
            "id",
            "account_id",
            "account_name",
            "contact_id",
            "contact_name",
            "type",
            "subject",
            "description",
            "location",
            "status",
            "priority",
            "start_time",
            "end_time",
            "outcome",
            "attachments",
            *STAMP_FIELDS,
        ]
