"""Lead and opportunity shapes on the wire (seed §7); camelized by the renderer/parser."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from accounts.serializers import AccountIdField, AccountNameOutputMixin
from campaigns.serializers import CampaignIdField
from core.api.serializers import (
    MONEY,
    STAMP_FIELDS,
    DomainChoiceField,
    JsonTypesMixin,
    OwnerInputMixin,
    OwnerOutputMixin,
    StampsOutputMixin,
    phone_field,
)
from core.exceptions import ErrorCode
from sales.models import (
    SETTABLE_LEAD_STATUSES,
    Lead,
    LeadSource,
    Opportunity,
    OpportunityStage,
)

# --- Leads -------------------------------------------------------------------------------------


class LeadInputSerializer(JsonTypesMixin, OwnerInputMixin, serializers.ModelSerializer):
    """Create and (partial) update; ``converted`` is not a status a client may set (4009)."""

    phone = phone_field()
    source = serializers.ChoiceField(choices=LeadSource.choices, required=False, allow_null=True)
    status = DomainChoiceField(
        choices=SETTABLE_LEAD_STATUSES, error_code=ErrorCode.LEAD_STATUS_INVALID, required=False
    )
    score = serializers.IntegerField(min_value=0, max_value=100, required=False)
    campaign_id = CampaignIdField()

    class Meta:
        model = Lead
        fields = [
            "name",
            "company",
            "contact_person",
            "phone",
            "email",
            "source",
            "status",
            "score",
            "description",
            "campaign_id",
            "owner",
        ]


class LeadListSerializer(StampsOutputMixin, serializers.ModelSerializer):
    campaign_id = serializers.UUIDField(read_only=True)

    class Meta:
        model = Lead
        fields = [
            "id",
            "name",
            "company",
            "contact_person",
            "phone",
            "email",
            "source",
            "status",
            "score",
            "campaign_id",
            *STAMP_FIELDS,
        ]


class LeadDetailSerializer(OwnerOutputMixin, LeadListSerializer):
    converted_account_id = serializers.UUIDField(read_only=True)
    converted_contact_id = serializers.UUIDField(read_only=True)
    converted_opportunity_id = serializers.UUIDField(read_only=True)

    class Meta(LeadListSerializer.Meta):
        fields = [
            "id",
            "name",
            "company",
            "contact_person",
            "phone",
            "email",
            "source",
            "status",
            "score",
            "description",
            "campaign_id",
            "converted_account_id",
            "converted_contact_id",
            "converted_opportunity_id",
            "converted_at",
            "owner",
            *STAMP_FIELDS,
        ]


class LeadConvertInputSerializer(JsonTypesMixin, serializers.Serializer):
    """Body of POST /leads/{id}/convert (seed §7.3)."""

    create_account = serializers.BooleanField(default=True)
    account_id = AccountIdField(required=False, allow_null=True)
    create_contact = serializers.BooleanField(default=True)
    opportunity_name = serializers.CharField(
        max_length=200, required=False, allow_null=True, allow_blank=True
    )
    estimated_amount = serializers.DecimalField(
        **MONEY, min_value=0, required=False, allow_null=True
    )
    close_date = serializers.DateField(required=False, allow_null=True)

    def validate_opportunity_name(self, value):
        return (value.strip() or None) if value else None

    def validate(self, attrs):
        # Without createAccount, a missing accountId is the service's 400 (sales.services).
        if attrs["create_account"] and attrs.get("account") is not None:
            raise serializers.ValidationError(
                {"account_id": [_("Send accountId only with createAccount false.")]}
            )
        return attrs


class LeadConversionSerializer(serializers.Serializer):
    """Ids of what the conversion created; null where nothing was created."""

    account_id = serializers.UUIDField(allow_null=True)
    contact_id = serializers.UUIDField(allow_null=True)
    opportunity_id = serializers.UUIDField(allow_null=True)


# --- Opportunities -----------------------------------------------------------------------------


class OpportunityInputSerializer(JsonTypesMixin, OwnerInputMixin, serializers.ModelSerializer):
    """Create and (partial) update; number, closedAt and accountName are server-owned."""

    account_id = AccountIdField()
    stage = DomainChoiceField(
        choices=OpportunityStage.choices,
        error_code=ErrorCode.OPPORTUNITY_STAGE_INVALID,
        required=False,
    )
    probability = serializers.IntegerField(
        min_value=0, max_value=100, required=False, allow_null=True
    )
    estimated_amount = serializers.DecimalField(**MONEY, min_value=0, required=False)
    actual_amount = serializers.DecimalField(**MONEY, min_value=0, required=False, allow_null=True)
    campaign_id = CampaignIdField()

    class Meta:
        model = Opportunity
        fields = [
            "account_id",
            "name",
            "description",
            "stage",
            "probability",
            "estimated_amount",
            "actual_amount",
            "close_date",
            "campaign_id",
            "owner",
        ]


class OpportunityListSerializer(
    AccountNameOutputMixin, StampsOutputMixin, serializers.ModelSerializer
):
    campaign_id = serializers.UUIDField(read_only=True)

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "opportunity_no",
            "account_id",
            "account_name",
            "name",
            "description",
            "stage",
            "probability",
            "estimated_amount",
            "actual_amount",
            "close_date",
            "closed_at",
            "campaign_id",
            *STAMP_FIELDS,
        ]


class OpportunityDetailSerializer(OwnerOutputMixin, OpportunityListSerializer):
    class Meta(OpportunityListSerializer.Meta):
        fields = [*OpportunityListSerializer.Meta.fields, "owner"]
