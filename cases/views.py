"""/api/v1/crm/cases: thin views over cases.selectors and cases.services (seed §6).

There is no DELETE: the seed offers none for cases, and a case is ended by closing it (the back
office can still soft-delete one created by mistake).
"""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from cases import selectors, services
from cases.filters import CaseFilterSet
from cases.serializers import (
    CaseCloseInputSerializer,
    CaseCommentCreatedSerializer,
    CaseCommentInputSerializer,
    CaseCreateInputSerializer,
    CaseDetailSerializer,
    CaseListSerializer,
    CaseUpdateInputSerializer,
)
from core.api.viewsets import CreateMixin, CrmViewSet, ListMixin, RetrieveMixin
from core.exceptions import ErrorCode


@extend_schema(tags=["cases"])
class CaseViewSet(ListMixin, RetrieveMixin, CreateMixin, CrmViewSet):
    not_found_code = ErrorCode.CASE_NOT_FOUND
    serializer_class = CaseDetailSerializer
    list_serializer_class = CaseListSerializer
    input_serializer_class = CaseUpdateInputSerializer
    filterset_class = CaseFilterSet
    create_response_fields = ("id", "case_no")
    queryset = selectors.case_list()
    detail_queryset = selectors.case_detail()
    create_service = staticmethod(services.case_create)

    @extend_schema(request=CaseCreateInputSerializer)
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def validated_input(self, serializer_class=None, *, instance=None, partial=False) -> dict:
        if serializer_class is None and self.action == "create":
            serializer_class = CaseCreateInputSerializer  # status is never set on create
        return super().validated_input(serializer_class, instance=instance, partial=partial)

    def update(self, request, *args, **kwargs):
        case = self.get_object()
        services.ensure_open(case)  # a closed case answers 4008 whatever the body holds
        data = self.validated_input(instance=case, partial=True)
        services.case_update(case=case, data=data, by=request.user)
        return Response(None)

    partial_update = update

    @extend_schema(
        request=CaseCommentInputSerializer, responses={200: CaseCommentCreatedSerializer}
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="comments",
        required_permissions=["cases.add_casecomment"],
    )
    def comments(self, request, pk=None):
        case = self.get_object()
        services.ensure_open(case)
        data = self.validated_input(CaseCommentInputSerializer)
        comment = services.case_add_comment(case=case, by=request.user, **data)
        return Response({"comment_id": str(comment.pk)})

    @extend_schema(request=CaseCloseInputSerializer, responses={200: None})
    @action(
        detail=True,
        methods=["post"],
        url_path="close",
        required_permissions=["cases.change_case"],
    )
    def close(self, request, pk=None):
        case = self.get_object()
        services.ensure_open(case)
        data = self.validated_input(CaseCloseInputSerializer)
        services.case_close(case=case, by=request.user, **data)
        return Response(None)
