"""Contact shapes on the wire (seed §4); field names are camelized by the renderer/parser."""

from rest_framework import serializers

from accounts.models import Account
from contacts.models import Contact
from core.api.serializers import STAMP_FIELDS, JsonTypesMixin, RelatedIdField, StampsOutputMixin
from core.api.validators import phone_validator
from core.exceptions import ErrorCode


def _phone_field(**kwargs):
    return serializers.CharField(
        max_length=30,
        required=False,
        allow_null=True,
        allow_blank=True,
        validators=[phone_validator],
        **kwargs,
    )


class ContactInputSerializer(JsonTypesMixin, serializers.ModelSerializer):
    """Create and (partial) update; ``accountId`` must name a live account (else 4001)."""

    account_id = RelatedIdField(
        source="account",
        queryset=Account.objects.all(),
        not_found_code=ErrorCode.ACCOUNT_NOT_FOUND,
    )
    phone = _phone_field()
    mobile = _phone_field()
    fax = _phone_field()

    class Meta:
        model = Contact
        fields = [
            "account_id",
            "name",
            "position",
            "phone",
            "email",
            "mobile",
            "fax",
            "address",
            "birthday",
            "preferences",
        ]


class ContactListSerializer(StampsOutputMixin, serializers.ModelSerializer):
    account_id = serializers.UUIDField(read_only=True)
    account_name = serializers.CharField(source="account.name", read_only=True)

    class Meta:
        model = Contact
        fields = [
            "id",
            "account_id",
            "account_name",
            "name",
            "position",
            "phone",
            "email",
            "mobile",
            *STAMP_FIELDS,
        ]


class ContactDetailSerializer(ContactListSerializer):
    class Meta(ContactListSerializer.Meta):
        fields = [
            "id",
            "account_id",
            "account_name",
            "name",
            "position",
            "phone",
            "email",
            "mobile",
            "fax",
            "address",
            "birthday",
            "preferences",
            *STAMP_FIELDS,
        ]
