"""/api/v1/crm/leads and /opportunities: thin views over sales.selectors and sales.services."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from core.api.viewsets import CrmModelViewSet, record_action
from core.exceptions import ErrorCode
from sales import selectors, services
from sales.filters import LeadFilterSet, OpportunityFilterSet
from sales.serializers import (
    LeadConversionSerializer,
    LeadConvertInputSerializer,
    LeadDetailSerializer,
    LeadInputSerializer,
    LeadListSerializer,
    OpportunityDetailSerializer,
    OpportunityInputSerializer,
    OpportunityListSerializer,
)


@extend_schema(tags=["leads"])
class LeadViewSet(CrmModelViewSet):
    """Sales leads (seed §7.1-7.3): ``status`` answers 4009 when unknown, a missing lead 4005."""

    not_found_code = ErrorCode.LEAD_NOT_FOUND
    serializer_class = LeadDetailSerializer
    list_serializer_class = LeadListSerializer
    input_serializer_class = LeadInputSerializer
    filterset_class = LeadFilterSet
    queryset = selectors.lead_list()
    create_service = staticmethod(services.lead_create)
    update_service = staticmethod(services.lead_update)
    delete_service = staticmethod(services.lead_delete)

    @record_action(
        "post",
        "convert",
        "sales.change_lead",
        request=LeadConvertInputSerializer,
        answer=LeadConversionSerializer,
    )
    def convert(self, request, pk=None):
        """Convert a new or qualified lead (else 4009), all or nothing.

        ``createAccount`` (default true) makes an account from the lead, or ``false`` with the
        ``accountId`` of a live account (missing: 400; naming no live account: 4001);
        ``createContact`` (default true) makes a contact under it; ``opportunityName`` makes an
        opportunity. The answer's ids are null where nothing was created.
        """
        lead = self.get_object()
        data = self.validated_input(LeadConvertInputSerializer)
        self._check_convert_permissions(data)
        result = services.lead_convert(lead=lead, by=request.user, **data)
        return Response(
            {
                "account_id": str(result.account.pk) if result.account_created else None,
                "contact_id": str(result.contact.pk) if result.contact else None,
                "opportunity_id": str(result.opportunity.pk) if result.opportunity else None,
            }
        )

    def _check_convert_permissions(self, data: dict) -> None:
        """Converting creates records: the user needs the right to add each kind it creates."""
        needed = []
        if data["create_account"]:
            needed.append("accounts.add_account")
        if data["create_contact"]:
            needed.append("contacts.add_contact")
        if data.get("opportunity_name"):
            needed.append("sales.add_opportunity")
        if not self.request.user.has_perms(needed):
            raise PermissionDenied(_("Converting this lead needs: %s.") % ", ".join(needed))


@extend_schema(tags=["opportunities"])
class OpportunityViewSet(CrmModelViewSet):
    """Opportunities (seed §7.4-7.5): ``stage`` answers 4010 when unknown, a missing one 4006."""

    not_found_code = ErrorCode.OPPORTUNITY_NOT_FOUND
    serializer_class = OpportunityDetailSerializer
    list_serializer_class = OpportunityListSerializer
    input_serializer_class = OpportunityInputSerializer
    filterset_class = OpportunityFilterSet
    create_response_fields = ("id", "opportunity_no")
    queryset = selectors.opportunity_list()
    create_service = staticmethod(services.opportunity_create)
    update_service = staticmethod(services.opportunity_update)
    delete_service = staticmethod(services.opportunity_delete)
