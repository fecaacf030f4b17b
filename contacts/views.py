"""/api/v1/crm/contacts: thin views over contacts.selectors and contacts.services."""

from drf_spectacular.utils import extend_schema

from contacts import selectors, services
from contacts.filters import ContactFilterSet
from contacts.serializers import (
    ContactDetailSerializer,
    ContactInputSerializer,
    ContactListSerializer,
)
from core.api.viewsets import CrmModelViewSet
from core.exceptions import ErrorCode


@extend_schema(tags=["contacts"])
class ContactViewSet(CrmModelViewSet):
    """People at live accounts (seed §4); a missing or deleted contact answers 4002."""

    not_found_code = ErrorCode.CONTACT_NOT_FOUND
    serializer_class = ContactDetailSerializer
    list_serializer_class = ContactListSerializer
    input_serializer_class = ContactInputSerializer
    filterset_class = ContactFilterSet

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.contact_detail()
        return selectors.contact_list()

    def perform_create(self, data):
        return services.contact_create(by=self.request.user, **data)

    def perform_update(self, instance, data):
        services.contact_update(contact=instance, data=data, by=self.request.user)

    def perform_destroy(self, instance):
        services.contact_delete(contact=instance, by=self.request.user)
