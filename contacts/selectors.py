"""Read paths for contacts: the joins every list and detail needs, decided once."""

from django.db.models import QuerySet

from contacts.models import Contact


def contact_list() -> QuerySet[Contact]:
    """Live contacts of live accounts, with ``accountName`` and the stamps in the same query."""
    return Contact.objects.select_related("account", "created_by", "updated_by")
