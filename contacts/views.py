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
    queryset = selectors.contact_list()
    create_service = staticmethod(services.contact_create)
    update_service = staticmethod(services.contact_update)
    delete_service = staticmethod(services.contact_delete)
