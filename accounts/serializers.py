"""Account shapes on the wire (seed §3); field names are camelized by the renderer/parser."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from accounts.models import Account, AccountStatus, AccountStatusChange, CreditAssessment
from contacts.models import Contact
from core.api.serializers import (
    MONEY,
    STAMP_FIELDS,
    DatesOutputMixin,
    JsonTypesMixin,
    OwnerInputMixin,
    OwnerOutputMixin,
    RelatedIdField,
    StampsOutputMixin,
    phone_field,
    username_field,
)
from core.api.validators import website_validator
from core.exceptions import ErrorCode


class AccountIdField(RelatedIdField):
    """``accountId`` in another record's body: a live account the caller may see (else 4001)."""

    def __init__(self, **kwargs):
        defaults = {"queryset": Account.objects.all(), "source": "account"}
        super().__init__(not_found_code=ErrorCode.ACCOUNT_NOT_FOUND, **defaults | kwargs)


class AccountNameOutputMixin(serializers.Serializer):
    # The account a row belongs to, by id and by name. A comment, not a docstring: the schema
    # would otherwise describe every output serializer with this text.

    account_id = serializers.UUIDField(read_only=True)
    account_name = serializers.CharField(source="account.name", read_only=True)


class AccountInputSerializer(JsonTypesMixin, OwnerInputMixin, serializers.ModelSerializer):
    """Create and (partial) update; server-owned fields are simply not accepted."""

    phone = phone_field()
    website = serializers.CharField(
        max_length=200,
        required=False,
        allow_null=True,
        allow_blank=True,
        validators=[website_validator],
    )
    tax_no = serializers.CharField(max_length=50, required=False, allow_null=True, allow_blank=True)
    credit_limit = serializers.DecimalField(**MONEY, min_value=0, required=False)

    class Meta:
        model = Account
        fields = [
            "name",
            "type",
            "industry",
            "region",
            "address",
            "contact_person",
            "phone",
            "email",
            "website",
            "tax_no",
            "credit_limit",
            "loyalty_level",
            "size",
            "remarks",
            "status",
            "owner",
        ]

    def validate_tax_no(self, value):
        if not value:
            return value
        clashes = Account.objects.filter(tax_no=value)
        if self.instance is not None:
            clashes = clashes.exclude(pk=self.instance.pk)
        if clashes.exists():
            raise serializers.ValidationError(_("An account with this tax number already exists."))
        return value


class AccountStatusInputSerializer(JsonTypesMixin, serializers.Serializer):
    status = serializers.ChoiceField(choices=AccountStatus.choices)
    reason = serializers.CharField(
        max_length=500, required=False, allow_null=True, allow_blank=True
    )


class AccountListSerializer(StampsOutputMixin, serializers.ModelSerializer):
    class Meta:
        model = Account
        fields = [
            "id",
            "account_no",
            "name",
            "type",
            "industry",
            "region",
            "address",
            "contact_person",
            "phone",
            "email",
            "status",
            *STAMP_FIELDS,
        ]


class AccountContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "name", "position", "phone", "email"]


class AccountDetailSerializer(OwnerOutputMixin, StampsOutputMixin, serializers.ModelSerializer):
    contacts = AccountContactSerializer(many=True, read_only=True)

    class Meta:
        model = Account
        fields = [
            "id",
            "account_no",
            "name",
            "type",
            "industry",
            "region",
            "address",
            "contact_person",
            "phone",
            "email",
            "website",
            "tax_no",
            "credit_limit",
            "credit_used",
            "loyalty_level",
            "size",
            "remarks",
            "status",
            "contacts",
            "owner",
            *STAMP_FIELDS,
        ]


class AccountStatusChangeSerializer(serializers.ModelSerializer):
    changed_by = username_field()

    class Meta:
        model = AccountStatusChange
        fields = ["id", "from_status", "to_status", "reason", "changed_by", "changed_at"]


class CreditAssessmentInputSerializer(JsonTypesMixin, serializers.Serializer):
    assessment_date = serializers.DateField(required=False, allow_null=True)
    assessor = serializers.CharField(
        max_length=150, required=False, allow_null=True, allow_blank=True
    )
    credit_score = serializers.IntegerField(min_value=0, max_value=100)
    credit_limit = serializers.DecimalField(**MONEY, min_value=0, required=False, allow_null=True)
    remarks = serializers.CharField(required=False, allow_null=True, allow_blank=True)


class CreditAssessmentSerializer(DatesOutputMixin, serializers.ModelSerializer):
    created_by = username_field()

    class Meta:
        model = CreditAssessment
        fields = [
            "id",
            "assessment_date",
            "assessor",
            "credit_score",
            "credit_limit",
            "remarks",
            "created_by",
            "created_at",
        ]


class CreditAssessmentCreatedSerializer(serializers.Serializer):
    assessment_id = serializers.CharField()
