"""Contact shapes on the wire (seed §4); field names are camelized by the renderer/parser."""

from rest_framework import serializers

from accounts.serializers import AccountIdField, AccountNameOutputMixin
from contacts.models import Contact
from core.api.serializers import (
    OPTIONAL,
    STAMP_FIELDS,
    JsonTypesMixin,
    RelatedIdField,
    StampsOutputMixin,
    phone_field,
)
from core.exceptions import ErrorCode


class ContactIdField(RelatedIdField):
    """``contactId`` in another record's body: a live contact the caller may see (else 4002),
    or null."""

    def __init__(self, **kwargs):
        defaults = {"queryset": Contact.objects.all(), "source": "contact", **OPTIONAL}
        super().__init__(not_found_code=ErrorCode.CONTACT_NOT_FOUND, **defaults | kwargs)


class ContactNameOutputMixin(serializers.Serializer):
    # The row's contact, by id and by name, or nulls. A comment, not a docstring: the schema
    # would otherwise describe every output serializer with this text.

    contact_id = serializers.UUIDField(read_only=True, allow_null=True)
    contact_name = serializers.CharField(source="contact.name", read_only=True, allow_null=True)


class ContactInputSerializer(JsonTypesMixin, serializers.ModelSerializer):
    """Create and (partial) update; ``accountId`` must name a live account (else 4001)."""

    account_id = AccountIdField()
    phone = phone_field()
    mobile = phone_field()
    fax = phone_field()

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


class ContactListSerializer(AccountNameOutputMixin, StampsOutputMixin, serializers.ModelSerializer):
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
