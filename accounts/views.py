"""/api/v1/crm/accounts: thin views over accounts.selectors and accounts.services."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from accounts import selectors, services
from accounts.filters import AccountFilterSet
from accounts.serializers import (
    AccountDetailSerializer,
    AccountInputSerializer,
    AccountListSerializer,
    AccountStatusChangeSerializer,
    AccountStatusInputSerializer,
    CreditAssessmentCreatedSerializer,
    CreditAssessmentInputSerializer,
    CreditAssessmentSerializer,
)
from core.api.viewsets import CrmModelViewSet, record_action
from core.exceptions import ErrorCode


@extend_schema(tags=["accounts"])
class AccountViewSet(CrmModelViewSet):
    not_found_code = ErrorCode.ACCOUNT_NOT_FOUND
    serializer_class = AccountDetailSerializer
    list_serializer_class = AccountListSerializer
    input_serializer_class = AccountInputSerializer
    filterset_class = AccountFilterSet
    create_response_fields = ("id", "account_no")
    queryset = selectors.account_list()
    detail_queryset = selectors.account_detail()
    create_service = staticmethod(services.account_create)
    update_service = staticmethod(services.account_update)
    delete_service = staticmethod(services.account_delete)

    def list_total(self, queryset, *, narrowed: bool) -> int:
        kept = None if narrowed else selectors.account_live_total()
        return kept if kept is not None else queryset.count()

    @record_action("put", "status", "accounts.change_account", request=AccountStatusInputSerializer)
    def status(self, request, pk=None):
        data = self.validated_input(AccountStatusInputSerializer)
        services.account_change_status(account=self.get_object(), by=request.user, **data)
        return Response(None)

    @record_action(
        "get", "status-history", "accounts.view_account", rows=AccountStatusChangeSerializer
    )
    def status_history(self, request, pk=None):
        return self.paginated_under_record(selectors.account_status_history(), parent="account")

    @record_action(
        "post",
        "credit-assessment",
        "accounts.add_creditassessment",
        request=CreditAssessmentInputSerializer,
        answer=CreditAssessmentCreatedSerializer,
    )
    def credit_assessment(self, request, pk=None):
        data = self.validated_input(CreditAssessmentInputSerializer)
        assessment = services.credit_assessment_create(
            account=self.get_object(), by=request.user, **data
        )
        return Response({"assessment_id": str(assessment.pk)})

    @record_action(
        "get",
        "credit-assessments",
        "accounts.view_creditassessment",
        rows=CreditAssessmentSerializer,
    )
    def credit_assessments(self, request, pk=None):
        return self.paginated_under_record(selectors.account_credit_assessments(), parent="account")
