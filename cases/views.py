"""/api/v1/crm/cases: thin views over cases.selectors and cases.services (seed §6).

There is no DELETE: the seed offers none for cases, and a case is ended by closing it (the back
office can still soft-delete one created by mistake).
"""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from cases import selectors, services
from cases.filters import CaseFilterSet
from cases.models import Case
from cases.serializers import (
    CaseCloseInputSerializer,
    CaseCommentCreatedSerializer,
    CaseCommentInputSerializer,
    CaseCreateInputSerializer,
    CaseDetailSerializer,
    CaseListSerializer,
    CaseUpdateInputSerializer,
)
from core.api.viewsets import CreateMixin, CrmViewSet, ListMixin, RetrieveMixin, record_action
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

    def _open_case(self, serializer_class=None, **options) -> tuple[Case, dict]:
        """The case named in the URL and the request's body; a closed case answers 4008
        whatever the body holds."""
        case = self.get_object()
        services.ensure_open(case)
        return case, self.validated_input(serializer_class, instance=case, **options)

    def update(self, request, *args, **kwargs):
        case, data = self._open_case(partial=True)
        services.case_update(case=case, data=data, by=request.user)
        return Response(None)

    partial_update = update

    @record_action(
        "post",
        "comments",
        "cases.add_casecomment",
        request=CaseCommentInputSerializer,
        answer=CaseCommentCreatedSerializer,
    )
    def comments(self, request, pk=None):
        case, data = self._open_case(CaseCommentInputSerializer)
        comment = services.case_add_comment(case=case, by=request.user, **data)
        return Response({"comment_id": str(comment.pk)})

    @record_action("post", "close", "cases.change_case", request=CaseCloseInputSerializer)
    def close(self, request, pk=None):
        case, data = self._open_case(CaseCloseInputSerializer)
        services.case_close(case=case, by=request.user, **data)
        return Response(None)
