"""Activity shapes on the wire (seed §5); field names are camelized by the renderer/parser."""

from rest_framework import serializers

from accounts.serializers import AccountIdField, AccountNameOutputMixin
from activities.models import Activity, ActivityType
from contacts.serializers import ContactIdField, ContactNameOutputMixin
from core.api.files import AttachmentIdsField, AttachmentSerializer
from core.api.serializers import (
    STAMP_FIELDS,
    DomainChoiceField,
    JsonTypesMixin,
    StampsOutputMixin,
)
from core.exceptions import ErrorCode


class ActivityInputSerializer(JsonTypesMixin, serializers.ModelSerializer):
    """Create and (partial) update. ``type`` outside the four answers 4007; a missing
    ``accountId`` 4001; a ``contactId`` that is not a live contact of that account 4002."""

    account_id = AccountIdField()
    contact_id = ContactIdField()
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


class ActivityListSerializer(
    AccountNameOutputMixin, ContactNameOutputMixin, StampsOutputMixin, serializers.ModelSerializer
):
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
